#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpsm-replay on hand-made captures (mkcap.py): every link type, pcap and
pcapng, the observer's positions, the timers on the capture's clock, the
output formats and filters, and bad input. User space only: no module is
loaded. Run: python3 tests/test_replay.py [-v] [NAME...]"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mkcap  # noqa: E402
from mkcap import ACK, FIN, PSH, RST, SYN, tcp, ip, link, conversation, frames  # noqa: E402

BIN = os.environ.get("TCPSM_REPLAY", os.path.join(HERE, "..", "tcpsm-replay"))
T0 = 1700000000.0

# What a router sees of conversation(): (event, role, old->new), in order.
CONVERSATION = [
    ("new", None, None),
    ("state", "client", "CLOSED->SYN_SENT"),
    ("state", "server", "CLOSED->LISTEN"),
    ("state", "client", "SYN_SENT->ESTABLISHED"),
    ("state", "server", "LISTEN->SYN_RCVD"),
    ("state", "server", "SYN_RCVD->ESTABLISHED"),
    ("state", "client", "ESTABLISHED->FIN_WAIT_1"),
    ("state", "server", "ESTABLISHED->CLOSE_WAIT"),
    ("state", "client", "FIN_WAIT_1->TIME_WAIT"),
    ("tw_start", "client", None),
    ("state", "server", "CLOSE_WAIT->LAST_ACK"),
    ("state", "server", "LAST_ACK->CLOSED"),
]


def run(data, *args, rc=0):
    """Replay capture bytes @data (or a path) with @args: (stdout, stderr)."""
    with tempfile.NamedTemporaryFile(suffix=".pcap") as f:
        if isinstance(data, bytes):
            f.write(data)
            f.flush()
            path = f.name
        else:
            path = data
        p = subprocess.run([BIN, *args, path], capture_output=True, text=True,
                           env=dict(os.environ, TZ="UTC"), timeout=60)
    if p.returncode != rc:
        raise AssertionError("exit %d, not %d\nstdout:\n%s\nstderr:\n%s" %
                             (p.returncode, rc, p.stdout, p.stderr))
    return p.stdout, p.stderr


def events(data, *args):
    out, _ = run(data, "--json", *args)
    return [json.loads(line) for line in out.splitlines()]


def summary(evs):
    return [(e["event"], e.get("role"),
             "%s->%s" % (e["old_state"], e["new_state"]) if "old_state" in e else None)
            for e in evs]


def table(data, *args):
    """--table rows as dicts of the /proc line's key=value pairs."""
    out, _ = run(data, "--table", *args)
    rows = []
    for line in out.splitlines():
        fam, *kv = line.split(" ")
        rows.append(dict([("family", fam)] + [x.split("=", 1) for x in kv]))
    return rows


def stats(data, *args):
    out, _ = run(data, "--stats", *args)
    return {k: int(v) for k, v in (line.split(" ") for line in out.splitlines())}


class LinkTypes(unittest.TestCase):
    """The same conversation in every link type replays the same."""

    def check(self, capture):
        self.assertEqual(summary(events(capture)), CONVERSATION)
        row, = table(capture)
        self.assertEqual((row["client"], row["server"]), ("10.0.0.1:40000", "10.0.0.2:80"))
        self.assertEqual((row["client_state"], row["server_state"]), ("TIME_WAIT", "CLOSED"))
        self.assertEqual((row["bytes_client"], row["bytes_server"]), ("100", "100"))

    def test_each_link_type(self):
        for dlt in (mkcap.EN10MB, mkcap.SLL, mkcap.SLL2, mkcap.RAW, mkcap.IPV4, mkcap.NULL,
                    mkcap.LOOP):
            with self.subTest(dlt=dlt):
                self.check(mkcap.pcap(frames(dlt, conversation()), dlt))

    def test_vlan_tags(self):
        for tags in ([(0x8100, 7)], [(0x88A8, 100), (0x8100, 7)], [(0x9100, 1), (0x8100, 2)]):
            with self.subTest(tags=tags):
                self.check(mkcap.pcap(frames(mkcap.EN10MB, conversation(), tags),
                                      mkcap.EN10MB))

    def test_pcapng(self):
        for dlt in (mkcap.EN10MB, mkcap.SLL2, mkcap.RAW):
            with self.subTest(dlt=dlt):
                self.check(mkcap.pcapng(frames(dlt, conversation()), dlt))

    def test_ipv6_each_link_type(self):
        conv = conversation(c="2001:db8::1", s="2001:db8::2")
        for dlt in (mkcap.EN10MB, mkcap.SLL, mkcap.SLL2, mkcap.RAW, mkcap.IPV6, mkcap.NULL,
                    mkcap.LOOP):
            with self.subTest(dlt=dlt):
                cap = mkcap.pcap(frames(dlt, conv), dlt)
                self.assertEqual(summary(events(cap)), CONVERSATION)
                row, = table(cap)
                self.assertEqual(row["family"], "ipv6")
                self.assertEqual(row["client"], "[2001:db8::1]:40000")

    def test_stdin(self):
        cap = mkcap.pcap(frames(mkcap.EN10MB, conversation()), mkcap.EN10MB)
        p = subprocess.run([BIN, "--json", "-"], input=cap, capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        evs = [json.loads(line) for line in p.stdout.splitlines()]
        self.assertEqual(summary(evs), CONVERSATION)


def eth(packets):
    return mkcap.pcap(frames(mkcap.EN10MB, packets), mkcap.EN10MB)


def other_conn(t, port=50000):
    """A lone SYN of another connection at time @t: the clock moves on."""
    return (t, ip("10.0.0.3", "10.0.0.4", tcp(port, 22, 1, 0, SYN)))


class Clock(unittest.TestCase):
    """The module's timers, on the capture's timestamps."""

    def test_time_wait_expires_at_2msl(self):
        cap = eth(conversation() + [other_conn(T0 + 59.5), other_conn(T0 + 61, 50001)])
        evs = events(cap)
        tw = [e for e in evs if e["event"] == "tw_expire"]
        self.assertEqual(len(tw), 1)
        # noticed at the first sweep after the deadline (T0 + 0.006 + 60 s)
        self.assertAlmostEqual(tw[0]["time"], T0 + 61, places=3)
        self.assertEqual(tw[0]["role"], "client")
        before = [e for e in evs if e["time"] < T0 + 60]
        self.assertNotIn("tw_expire", [e["event"] for e in before])

    def test_msl_set(self):
        cap = eth(conversation() + [other_conn(T0 + 11)])
        self.assertIn("tw_expire", [e["event"] for e in events(cap, "--set", "msl=5")])
        self.assertNotIn("tw_expire", [e["event"] for e in events(cap)])

    def test_linger_then_destroy(self):
        # both CLOSED at 2MSL, then the 10 s linger: the entry goes, "expired"
        cap = eth(conversation() + [other_conn(T0 + 61), other_conn(T0 + 72, 50001)])
        destroys = [e for e in events(cap) if e["event"] == "destroy"
                    and e["conn"]["server_port"] == 80]
        self.assertEqual(len(destroys), 1)
        self.assertEqual(destroys[0]["reason"], "expired")
        self.assertGreaterEqual(destroys[0]["time"], T0 + 70)

    def test_timer_ms_from_capture_clock(self):
        row, = table(eth(conversation()))
        # TIME_WAIT entered at T0 + 0.006, the last frame at T0 + 0.007
        self.assertEqual(row["timer"], "time_wait")
        self.assertEqual(int(row["timer_ms"]), 59999)
        self.assertEqual(int(row["age_ms"]), 7)

    def test_at(self):
        cap = eth(conversation())
        row, = table(cap, "--at", "+0.0025")
        self.assertEqual((row["client_state"], row["server_state"]), ("ESTABLISHED",) * 2)
        row, = table(cap, "--at", "%.4f" % (T0 + 0.0065))
        self.assertEqual((row["client_state"], row["server_state"]), ("TIME_WAIT", "LAST_ACK"))
        # past the end: the clock runs on to TIME, deadlines apply
        self.assertEqual(table(cap, "--at", "+200"), [])

    def test_keepalive_dead(self):
        # idle 10 s, then 3 probes 2 s apart unanswered: one interval after
        # the last, the prober (client) gives up on the server
        pkts = conversation(close=False)
        for t in (12, 14, 16):
            pkts.append((T0 + t, ip("10.0.0.1", "10.0.0.2", tcp(40000, 80, 1100, 5101, ACK))))
        pkts += [other_conn(T0 + 17.5), other_conn(T0 + 18.5, 50001)]
        args = ("--set", "keepalive_time=10", "--set", "keepalive_intvl=2",
                "--set", "keepalive_probes=3")
        evs = events(eth(pkts), *args)
        probes = [e["time"] - T0 for e in evs if e["event"] == "ka_probe"]
        self.assertEqual(probes, [12, 14, 16])
        dead = [e for e in evs if e["event"] == "ka_dead"]
        self.assertEqual([(d["role"], d["time"]) for d in dead], [("client", T0 + 18.5)])
        self.assertEqual(dead[0]["conn"]["ka_dead"], "server")
        self.assertEqual(stats(eth(pkts), *args)["keepalive_dead_peers"], 1)
        # one probe fewer: nobody gives up
        self.assertEqual([e for e in events(eth(pkts[:-3] + pkts[-2:]), *args)
                          if e["event"] == "ka_dead"], [])

    def test_syn_sent_timeout(self):
        cap = eth([other_conn(T0), other_conn(T0 + 121, 50001)])
        changes = [s for s in summary(events(cap)) if s[0] == "state"]
        self.assertIn(("state", "client", "SYN_SENT->CLOSED"), changes)
        self.assertIn(("state", "server", "LISTEN->CLOSED"), changes)


class Observer(unittest.TestCase):
    """Where the capture was taken: a router (default) or a host (--local)."""

    def test_router(self):
        row, = table(eth(conversation()))
        self.assertEqual(row["local"], "none")
        self.assertEqual(stats(eth(conversation()))["segments"], 8)

    def test_client_host(self):
        cap = eth(conversation())
        self.assertEqual(summary(events(cap, "--local", "10.0.0.1")), CONVERSATION)
        row, = table(cap, "--local", "10.0.0.1")
        self.assertEqual(row["local"], "client")
        self.assertEqual(stats(cap, "--local", "10.0.0.1")["segments"], 8)

    def test_server_host(self):
        row, = table(eth(conversation()), "--local", "10.0.0.2")
        self.assertEqual(row["local"], "server")

    def test_loopback_both_local(self):
        cap = eth(conversation())
        args = ("--local", "10.0.0.1", "--local", "10.0.0.2")
        row, = table(cap, *args)
        self.assertEqual(row["local"], "both")
        self.assertEqual((row["client_state"], row["server_state"]), ("TIME_WAIT", "CLOSED"))
        # each segment passes LOCAL_OUT and LOCAL_IN, counted at both
        self.assertEqual(stats(cap, *args)["segments"], 16)
        self.assertEqual((row["pkts_client"], row["pkts_server"]), ("5", "3"))

    def test_local_rejects_garbage(self):
        _, err = run(eth(conversation()), "--local", "not-an-address", rc=2)
        self.assertIn("--local", err)


class Output(unittest.TestCase):
    PROC_KEYS = ["family", "client", "server", "local", "client_state", "server_state",
                 "timer", "timer_ms", "tw_restarts", "tw_ack_restarts", "ka_probes_client",
                 "ka_unanswered_client", "ka_probes_server", "ka_unanswered_server",
                 "ka_idle_ms", "ka_next_client_ms", "ka_next_server_ms", "ka_dead",
                 "zw_probes_client", "zw_probes_server", "pickup", "replaced",
                 "icmp_errors", "confirmed", "pkts_client", "pkts_server", "bytes_client",
                 "bytes_server", "age_ms", "client_state_ms", "server_state_ms",
                 "retrans_client", "retrans_server", "syn_rtt_ms", "ack_rtt_ms", "closer",
                 "end", "history", "history_lost"]

    def test_table_keys_as_proc(self):
        row, = table(eth(conversation()))
        self.assertEqual(list(row), self.PROC_KEYS)

    def test_json_event_keys_as_watch(self):
        evs = events(eth(conversation()))
        self.assertEqual(list(evs[0]), ["time", "event", "conn"])
        self.assertEqual(list(evs[1]), ["time", "event", "role", "old_state", "new_state",
                                        "kind", "conn"])
        conn_keys = [k for k in evs[1]["conn"]
                     if k not in ("client_addr", "client_port", "server_addr", "server_port")]
        # the SYN's event: no handshake times yet, left out as netlink does
        self.assertEqual(conn_keys, [k for k in self.PROC_KEYS
                                     if k not in ("syn_rtt_ms", "ack_rtt_ms")])
        self.assertEqual(evs[-1]["conn"]["syn_rtt_ms"], 1)
        self.assertEqual([e["time"] for e in evs[:2]], [T0, T0])
        self.assertAlmostEqual(evs[-1]["time"], T0 + 0.007, places=6)

    def test_link_local_has_no_zone(self):
        # The module scopes a link-local pair by its interface (zone=); a
        # capture does not name one: the default zone, shown by no key.
        cap = eth(conversation(c="fe80::1", s="fe80::2"))
        row, = table(cap)
        self.assertEqual(list(row), self.PROC_KEYS)
        self.assertEqual(row["client"], "[fe80::1]:40000")
        self.assertNotIn("zone", events(cap)[-1]["conn"])

    def test_text_events_as_watch(self):
        out, _ = run(eth(conversation()))
        lines = out.splitlines()
        self.assertEqual(len(lines), len(CONVERSATION))
        self.assertEqual(lines[1], "2023-11-14 22:13:20.000000 state        ipv4 "
                         "10.0.0.1:40000 -> 10.0.0.2:80 client CLOSED->SYN_SENT on syn "
                         "[SYN_SENT/LISTEN timer=syn_rcvd:1m00s]")

    def test_stats_names(self):
        s = stats(eth(conversation()))
        self.assertEqual(list(s)[:3], ["active", "segments", "conns_created"])
        # one per segment that changed a state: SYN, SYN+ACK, ACK, FIN, FIN, ACK
        self.assertEqual((s["active"], s["conns_created"], s["transitions"]), (1, 1, 6))

    def test_table_only_no_events(self):
        out, _ = run(eth(conversation()), "--table")
        self.assertEqual(len(out.splitlines()), 1)
        out, _ = run(eth(conversation()), "--table", "--events")
        self.assertEqual(len(out.splitlines()), len(CONVERSATION) + 1)

    def test_reset_destroys_after_linger(self):
        pkts = conversation(close=False)
        pkts.append((T0 + 1, ip("10.0.0.2", "10.0.0.1", tcp(80, 40000, 5101, 0, RST))))
        evs = events(eth(pkts))
        self.assertEqual(summary(evs[-2:]), [("state", "client", "ESTABLISHED->CLOSED"),
                                              ("state", "server", "ESTABLISHED->CLOSED")])
        self.assertEqual(evs[-1]["kind"], "rst")
        # both CLOSED: the entry lingers close_linger (10 s), then goes as reset
        evs = events(eth(pkts + [other_conn(T0 + 10.5), other_conn(T0 + 11.5, 50001)]))
        gone = [e for e in evs if e["event"] == "destroy"]
        self.assertEqual([(e["reason"], e["time"]) for e in gone], [("reset", T0 + 11.5)])

    def test_set_checks_name_and_range(self):
        _, err = run(eth(conversation()), "--set", "msl=0", rc=2)
        self.assertIn("msl=0 is out of range [1, 3600]", err)
        _, err = run(eth(conversation()), "--set", "nonsense=1", rc=2)
        self.assertIn("no tunable 'nonsense'", err)


class History(unittest.TestCase):
    """history.c through the replay: the letters, the ring, the end."""

    C, S = "10.0.0.1", "10.0.0.2"

    def handshake(self):
        return [(self.C, self.S, tcp(40000, 80, 1000, 0, SYN)),
                (self.S, self.C, tcp(80, 40000, 5000, 1001, SYN | ACK)),
                (self.C, self.S, tcp(40000, 80, 1001, 5001, ACK))]

    def row(self, segs):
        packets = [(1700000000.0 + i * 0.002, ip(a, b, seg)) for i, (a, b, seg) in enumerate(segs)]
        row, = table(eth(packets))
        return row

    def test_a_close_told(self):
        row, = table(eth(conversation()))
        got = {k: row[k] for k in ("history", "history_lost", "closer", "end", "syn_rtt_ms",
                                   "ack_rtt_ms")}
        self.assertEqual(got, {"history": "ShADdFfA", "history_lost": "0", "closer": "client",
                               "end": "closed", "syn_rtt_ms": "1", "ack_rtt_ms": "1"})

    def test_reset_by_the_server(self):
        row = self.row(self.handshake() + [(self.S, self.C, tcp(80, 40000, 5001, 1001, RST))])
        self.assertEqual((row["history"], row["end"]), ("ShAr", "reset_server"))

    def test_refused(self):
        row = self.row([(self.C, self.S, tcp(40000, 80, 1000, 0, SYN)),
                        (self.S, self.C, tcp(80, 40000, 0, 1001, RST | ACK))])
        self.assertEqual((row["history"], row["end"], row["syn_rtt_ms"]), ("Sr", "refused", "-"))

    def test_overflow_keeps_the_first_and_the_latest(self):
        data = (self.C, self.S, tcp(40000, 80, 1001, 5001, PSH | ACK, payload=b"x" * 10))
        close = [(self.C, self.S, tcp(40000, 80, 1011, 5001, FIN | ACK)),
                 (self.S, self.C, tcp(80, 40000, 5001, 1012, FIN | ACK)),
                 (self.C, self.S, tcp(40000, 80, 1012, 5002, ACK))]
        row = self.row(self.handshake() + [data] * 20 + close)
        # S h A D, 19 retransmissions T, F f A: 26 events, 12 kept
        self.assertEqual((row["history"], row["history_lost"], row["retrans_client"]),
                         ("ShAD~TTTTTFfA", "14", "19"))


class Entries(unittest.TestCase):
    """How entries start and end, as the hooks decide (entry.c)."""

    def test_pickup_midstream(self):
        cap = eth(conversation()[3:5])  # data both ways, no handshake
        row, = table(cap)
        self.assertEqual((row["pickup"], row["client"]), ("1", "10.0.0.1:40000"))
        self.assertEqual((row["client_state"], row["server_state"]), ("ESTABLISHED",) * 2)
        self.assertEqual(stats(cap)["conns_picked_up"], 1)
        s = stats(cap, "--set", "pickup=0")
        self.assertEqual((s["active"], s["untracked_midstream"]), (0, 2))

    def test_syn_on_time_wait_replaces(self):
        again = (T0 + 1, ip("10.0.0.1", "10.0.0.2", tcp(40000, 80, 900000, 0, SYN)))
        cap = eth(conversation() + [again])
        evs = events(cap)
        gone = [e for e in evs if e["event"] == "destroy"]
        self.assertEqual([e["reason"] for e in gone], ["replaced"])
        row, = table(cap)
        self.assertEqual((row["replaced"], row["client_state"]), ("1", "SYN_SENT"))
        s = stats(cap)
        self.assertEqual((s["tw_reuse"], s["destroyed_replaced"], s["conns_created"]),
                         (1, 1, 2))


class Confirmation(unittest.TestCase):
    """Confirmed entries as the module has them (entry.c, timeout.c): both
    ends seen to answer; an unconfirmed one evicted first, its timers short."""

    def test_handshake_confirms_on_its_last_ack(self):
        cap = eth(conversation(close=False))
        row, = table(cap, "--at", "+0.0015")  # SYN and SYN+ACK seen
        self.assertEqual(row["confirmed"], "0")
        row, = table(cap)
        self.assertEqual((row["confirmed"], row["timer"], row["timer_ms"]),
                         ("1", "established", "432000000"))

    def test_pickup_confirmed_when_answered(self):
        conv = conversation(close=False)
        row, = table(eth(conv[3:5]))  # data both ways
        self.assertEqual((row["pickup"], row["confirmed"], row["timer_ms"]),
                         ("1", "1", "432000000"))

    def test_unconfirmed_pickup_expires_in_unconfirmed_timeout(self):
        cap = eth(conversation(close=False)[3:4])  # one segment, never answered
        row, = table(cap)
        self.assertEqual((row["pickup"], row["confirmed"], row["timer"], row["timer_ms"]),
                         ("1", "0", "established", "120000"))
        row, = table(cap, "--set", "unconfirmed_timeout=30")
        self.assertEqual(row["timer_ms"], "30000")
        row, = table(cap, "--at", "+121")
        self.assertEqual((row["client_state"], row["server_state"]), ("CLOSED", "CLOSED"))

    def test_unconfirmed_pickup_evicted_first(self):
        conv = conversation(close=False)
        syn = [other_conn(T0 + 1)]
        s = stats(eth(conv[3:4] + syn), "--set", "max_conns=1")
        self.assertEqual((s["evictions"], s["table_full"]), (1, 0))
        s = stats(eth(conv[3:5] + syn), "--set", "max_conns=1")
        self.assertEqual((s["evictions"], s["table_full"]), (0, 1))


class Icmp(unittest.TestCase):
    def test_unreachable_aborts_syn_sent(self):
        syn = ip("10.0.0.1", "10.0.0.2", tcp(40000, 80, 1000, 0, SYN, wscale=7))
        cap = eth([(T0, syn), (T0 + 1, mkcap.icmp_unreachable("10.0.0.254", syn))])
        evs = events(cap)
        self.assertEqual(summary(evs[3:]), [("icmp", "client", None),
                                             ("state", "client", "SYN_SENT->CLOSED"),
                                             ("state", "server", "LISTEN->CLOSED")])
        s = stats(cap)
        self.assertEqual((s["icmp_aborts"], s["segments"]), (1, 1))

    def test_unreachable_out_of_window_ignored(self):
        syn = ip("10.0.0.1", "10.0.0.2", tcp(40000, 80, 1000, 0, SYN, wscale=7))
        other = ip("10.0.0.1", "10.0.0.2", tcp(40000, 80, 77777, 0, SYN, wscale=7))
        cap = eth([(T0, syn), (T0 + 1, mkcap.icmp_unreachable("10.0.0.254", other))])
        self.assertEqual(stats(cap)["icmp_ignored"], 1)
        row, = table(cap)
        self.assertEqual(row["client_state"], "SYN_SENT")


class Filters(unittest.TestCase):
    def capture(self):
        return eth(conversation() + conversation(cport=40001, sport=443, t0=T0 + 0.1,
                                                 close=False))

    def test_port(self):
        rows = table(self.capture(), "--port", "443")
        self.assertEqual([r["server"] for r in rows], ["10.0.0.2:443"])

    def test_state(self):
        rows = table(self.capture(), "--state", "established")
        self.assertEqual([r["server"] for r in rows], ["10.0.0.2:443"])
        self.assertEqual(len(table(self.capture(), "--state", "TIME_WAIT")), 1)

    def test_addr_and_family(self):
        self.assertEqual(len(table(self.capture(), "--addr", "10.0.0.1")), 2)
        self.assertEqual(table(self.capture(), "--addr", "10.0.0.9"), [])
        self.assertEqual(table(self.capture(), "--family", "ipv6"), [])

    def test_events_filtered_by_port(self):
        evs = events(self.capture(), "--port", "443")
        self.assertTrue(evs)
        self.assertTrue(all(e["conn"]["server_port"] == 443 for e in evs))


class BadInput(unittest.TestCase):
    """A clear error with the frame number, never a crash."""

    def test_garbage_file(self):
        _, err = run(b"this is not a capture at all, just text\n" * 4, rc=1)
        self.assertIn("tcpsm-replay: ", err)
        self.assertIn("format", err)

    def test_empty_file(self):
        run(b"", rc=1)

    def test_truncated_file(self):
        cap = eth(conversation())
        out, err = run(cap[:-30], "--json", rc=1)
        self.assertIn("frame 8: truncated dump file", err)
        self.assertEqual(len(out.splitlines()), len(CONVERSATION) - 1)

    def test_truncated_record_header(self):
        cap = eth(conversation())
        _, err = run(cap[:24 + 16 + len(frames(mkcap.EN10MB, conversation())[0][1]) + 7],
                     rc=1)
        self.assertIn("frame 2:", err)

    def test_unknown_link_type(self):
        cap = mkcap.pcap(frames(mkcap.RAW, conversation()), 105)  # IEEE 802.11
        _, err = run(cap, rc=1)
        self.assertIn("link type IEEE802_11 (105) not supported", err)

    def test_snap_length_cuts_headers(self):
        fr = frames(mkcap.EN10MB, conversation())
        cut = [(t, d[:40], len(d)) if i == 2 else (t, d, len(d)) for i, (t, d) in enumerate(fr)]
        out, err = run(mkcap.pcap(cut, mkcap.EN10MB, snaplen=40), "--json")
        self.assertIn("frame 3: the snap length cuts the IP or TCP header", err)
        self.assertNotIn(("state", "server", "SYN_RCVD->ESTABLISHED"),
                         summary(json.loads(x) for x in out.splitlines()))

    def test_snap_length_cuts_payload_only(self):
        fr = frames(mkcap.EN10MB, conversation())
        # 58: Ethernet, IPv4 and the SYNs' TCP header with its window scale option
        cut = [(t, d[:58], len(d)) for t, d in fr]
        cap = mkcap.pcap(cut, mkcap.EN10MB, snaplen=58)
        self.assertEqual(summary(events(cap)), CONVERSATION)
        row, = table(cap)
        self.assertEqual((row["bytes_client"], row["bytes_server"]), ("100", "100"))

    def test_short_link_header(self):
        fr = frames(mkcap.EN10MB, conversation())
        fr.insert(1, (T0, b"\x01\x02\x03"))
        out, err = run(mkcap.pcap(fr, mkcap.EN10MB), "--json")
        self.assertIn("frame 2: truncated link-layer header", err)
        self.assertEqual(len(out.splitlines()), len(CONVERSATION))

    def test_fragment(self):
        seg = tcp(40000, 80, 1000, 0, SYN)
        frag = mkcap.ipv4("10.0.0.1", "10.0.0.2", seg, frag=0x2000)  # MF
        out, err = run(eth([(T0, frag)]), "--stats")
        self.assertIn("frame 1: not replayed: fragment", err)
        s = {k: int(v) for k, v in (x.split(" ") for x in out.splitlines())}
        self.assertEqual((s["bad_fragment"], s["conns_created"]), (1, 0))

    def test_not_ip_ignored(self):
        arp = b"\xff" * 6 + b"\x02" * 6 + b"\x08\x06" + b"\0" * 28
        out, err = run(mkcap.pcap([(T0, arp)], mkcap.EN10MB), "--stats")
        self.assertEqual(err, "")
        self.assertIn("segments 0", out)

    def test_random_garbage_frames(self):
        import random
        rnd = random.Random(13)
        fr = [(T0 + i, bytes(rnd.randrange(256) for _ in range(rnd.randrange(80))))
              for i in range(300)]
        for dlt in (mkcap.EN10MB, mkcap.SLL, mkcap.SLL2, mkcap.RAW, mkcap.NULL):
            with self.subTest(dlt=dlt):
                run(mkcap.pcap(fr, dlt), "--table", "--stats")

    def test_table_limit(self):
        syns = [other_conn(T0 + i * 0.001, 30000 + i) for i in range(50)]
        s = stats(eth(syns), "--set", "max_conns=10")
        self.assertEqual(s["active"], 10)
        self.assertEqual((s["conns_created"], s["evictions"]), (50, 40))

    def test_table_full_of_established(self):
        convs = []
        for i in range(5):
            convs += conversation(cport=30000 + i, t0=T0 + i, close=False)
        s = stats(eth(convs), "--set", "max_conns=2")
        self.assertEqual(s["active"], 2)
        self.assertGreater(s["table_full"], 0)


def main():
    argv = [a for a in sys.argv[1:]]
    verbosity = 2 if "-v" in argv else 1
    names = [a for a in argv if a != "-v"]
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromNames(names, sys.modules[__name__]) if names else \
        loader.loadTestsFromModule(sys.modules[__name__])
    res = unittest.TextTestRunner(verbosity=verbosity).run(suite)
    bad = len(res.failures) + len(res.errors)
    print("tcpsm-replay: %d passed, %d failed" % (res.testsRun - bad, bad))
    return 0 if res.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
