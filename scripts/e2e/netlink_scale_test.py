#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpsm's generic netlink family at the edges, inside the VM.

Malformed requests over a raw NETLINK_GENERIC socket (unknown command,
unknown, mistyped, out-of-range, truncated and nested garbage attributes):
each gets the kernel's exact error and extack message, and changes nothing.
Dumps at scale: tools/tcpsm-inject sends N SYNs from distinct source tuples
over a veth, each must be dumped exactly once, NLMSG_DONE must arrive, and
the count must equal /proc/net/tcpsm/stats active (N=20000; TCPSM_FULL=1:
N=1000000, which needs a VM with about 1.5 GB more memory than the
default: see the dump case). NLM_F_DUMP_INTR when the table changes in the
middle of a dump (flush, or more SYNs). And the kernel tree's YNL command
line, cli.py --subscribe events --sleep, printing the events of a
connection opened while it sleeps.
"""
import errno
import json
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import (Runner, add_netns, load_module, netns, read_in, sh,  # noqa: E402
                       unload_module)
from netlink_test import CLI, SPEC  # noqa: E402

TOP = os.environ.get('TCPSM_TOP', os.path.join(os.path.dirname(__file__), '..', '..'))
INJECT = os.path.join(TOP, 'tools/tcpsm-inject/tcpsm-inject')
FULL = os.environ.get('TCPSM_FULL') == '1'
N = 1000000 if FULL else 20000

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 0x1, 0x2, 0x4
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7

CMD_CONN_GET, CMD_STATS_GET, CMD_CONFIG_GET, CMD_CONFIG_SET, CMD_FLUSH, CMD_EVENT = range(1, 7)
A_CONN_FAMILY, A_CONN_CLIENT_ADDR, A_CONN_CLIENT_PORT, A_CONN_SERVER_ADDR, \
    A_CONN_SERVER_PORT = range(1, 6)
A_CONFIG_MSL, A_CONFIG_SYN_SENT, A_CONFIG_SYN_RCVD, A_CONFIG_MAX_CONNS = 1, 4, 5, 14
A_STATS_ACTIVE, A_STATS_SEGMENTS = 1, 2

SRC, DST, DPORT = '10.100.0.1', '10.200.0.2', 80	# the injector's SYNs (see its source)
PORTS_PER_ADDR, FIRST_PORT = 50000, 10000


class Failed(Exception):
    pass


def nla(atype, payload):
    """One attribute, padded to 4 bytes."""
    hdr = struct.pack('=HH', 4 + len(payload), atype)
    return hdr + payload + b'\0' * (-len(payload) % 4)


def parse_attrs(data, off=0, end=None):
    """{type: payload} of a flat attribute stream (the last one of a type wins)."""
    end = len(data) if end is None else end
    out = {}
    while off + 4 <= end:
        ln, at = struct.unpack_from('=HH', data, off)
        if ln < 4:
            break
        out[at & 0x3fff] = data[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


class Genl:
    """A raw NETLINK_GENERIC socket in namespace NS, with extended acks."""

    def __init__(self, ns, rcvbuf=None):
        with netns(ns):
            self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = int(time.time()) & 0xffff
        self.family = None
        self.groups = {}
        msgs = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                            nla(CTRL_ATTR_FAMILY_NAME, b'tcpsm\0'))
        attrs = parse_attrs(msgs[0][3])
        self.family = struct.unpack('=H', attrs[CTRL_ATTR_FAMILY_ID])[0]
        for grp in parse_attrs(attrs.get(CTRL_ATTR_MCAST_GROUPS, b'')).values():
            g = parse_attrs(grp)
            self.groups[g[1].rstrip(b'\0').decode()] = struct.unpack('=I', g[2])[0]

    def close(self):
        self.s.close()

    def send_raw(self, data):
        self.s.send(data)

    def build(self, ftype, cmd, payload=b'', flags=NLM_F_REQUEST | NLM_F_ACK, version=1):
        self.seq += 1
        body = struct.pack('=BBH', cmd, version, 0) + payload
        return struct.pack('=IHHII', 16 + len(body), ftype, flags, self.seq, 0) + body

    def recv_msgs(self, timeout=10.0):
        """One datagram: a list of (type, flags, seq, payload, error, extack)."""
        self.s.settimeout(timeout)
        data = self.s.recv(1 << 20)
        out = []
        off = 0
        while off + 16 <= len(data):
            ln, typ, flags, seq, _pid = struct.unpack_from('=IHHII', data, off)
            if ln < 16 or off + ln > len(data):
                raise Failed(f'bad netlink message length {ln} at {off}/{len(data)}')
            err, ext = None, {}
            if typ == NLMSG_ERROR:
                err = -struct.unpack_from('=i', data, off + 16)[0]
                inner = 16 + 4	# the request's header, and its payload unless capped
                if not flags & NLM_F_CAPPED and err:	# (padded to 4 bytes)
                    inner += (struct.unpack_from('=I', data, off + 20)[0] + 3) & ~3
                else:
                    inner += 16
                if flags & NLM_F_ACK_TLVS:
                    ext = parse_attrs(data, off + inner, off + ln)
                out.append((typ, flags, seq, b'', err, ext))
            elif typ == NLMSG_DONE:
                out.append((typ, flags, seq, b'', -struct.unpack_from('=i', data, off + 16)[0]
                            if ln >= 20 else 0, {}))
            else:
                out.append((typ, flags, seq, data[off + 20:off + ln], None, {}))
            off += (ln + 3) & ~3
        return out

    def request(self, ftype, cmd, payload=b'', flags=NLM_F_REQUEST | NLM_F_ACK):
        """A do request: its reply messages; raises NlErr on an error."""
        self.send_raw(self.build(ftype, cmd, payload, flags))
        return self.wait(self.seq)

    def wait(self, seq):
        replies = []
        while True:
            for m in self.recv_msgs():
                if m[2] != seq:
                    continue
                if m[0] == NLMSG_ERROR:
                    if m[4]:
                        raise NlErr(m[4], m[5])
                    return replies
                replies.append(m)

    def tcpsm(self, cmd, payload=b''):
        return self.request(self.family, cmd, payload)

    def attrs_of(self, cmd):
        """config-get or stats-get as {attr: int}."""
        msg = self.tcpsm(cmd)[0]
        return {k: int.from_bytes(v, sys.byteorder) for k, v in parse_attrs(msg[3]).items()}


class NlErr(Exception):
    def __init__(self, err, ext):
        self.err = err
        self.msg = ext.get(NLMSGERR_ATTR_MSG, b'').rstrip(b'\0').decode()
        self.ext = ext
        super().__init__(f'{errno.errorcode.get(err, err)} "{self.msg}"')


# 1. Malformed requests

def u32(v):
    return struct.pack('=I', v)


def conn_tuple(addr_len=4, extra=b''):
    return (nla(A_CONN_FAMILY, b'\x02') + nla(A_CONN_CLIENT_ADDR, b'\x0a' * addr_len) +
            nla(A_CONN_CLIENT_PORT, struct.pack('>H', 1)) +
            nla(A_CONN_SERVER_ADDR, b'\x0a' * addr_len) +
            nla(A_CONN_SERVER_PORT, struct.pack('>H', 2)) + extra)


def bad_tail(g):
    """config-set whose last attribute says 8 bytes where the message has 4."""
    msg = g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, u32(7)) +
                  struct.pack('=HH', 8, A_CONFIG_MSL))
    return msg


def truncated(g):
    """nlmsg_len 64 bytes past the end of the datagram."""
    msg = g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, u32(7)))
    return struct.pack('=I', len(msg) + 64) + msg[4:]


# name -> (builder(g) -> bytes, errno, extack message or None, attribute offset wanted)
MALFORMED = [
    ('unknown command 99', lambda g: g.build(g.family, 99), errno.EOPNOTSUPP, None),
    ('the event command (no request side)', lambda g: g.build(g.family, CMD_EVENT),
     errno.EOPNOTSUPP, None),
    ('config-set: unknown attribute 40',
     lambda g: g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, u32(7)) + nla(40, u32(1))),
     errno.EINVAL, 'Unknown attribute type'),
    ('config-set: msl as a u8',
     lambda g: g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, b'\x07')),
     errno.EINVAL, 'invalid attribute length'),
    ('config-set: msl as a u64',
     lambda g: g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, struct.pack('=Q', 7))),
     errno.EINVAL, 'invalid attribute length'),
    ('config-set: msl 0 (range 1..3600)',
     lambda g: g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, u32(0))),
     errno.ERANGE, 'integer out of range'),
    ('config-set: max-conns 2^24+1, after a good msl',
     lambda g: g.build(g.family, CMD_CONFIG_SET, nla(A_CONFIG_MSL, u32(7)) +
                       nla(A_CONFIG_MAX_CONNS, u32((1 << 24) + 1))),
     errno.ERANGE, 'integer out of range'),
    ('config-set: attribute length past the end', bad_tail, errno.EINVAL,
     'bytes leftover after parsing attributes'),
    ('conn-get do: client-addr with NLA_F_NESTED and garbage inside',
     lambda g: g.build(g.family, CMD_CONN_GET,
                       nla(A_CONN_FAMILY, b'\x02') +
                       nla(A_CONN_CLIENT_ADDR | NLA_F_NESTED, b'\xff\xff\x00\x00garbage!')),
     errno.EINVAL, 'NLA_F_NESTED not expected'),
    ('conn-get do: unknown nested attribute 60 of garbage',
     lambda g: g.build(g.family, CMD_CONN_GET,
                       conn_tuple(extra=nla(60 | NLA_F_NESTED, b'\x03\x00\x01\x00\xde\xad'))),
     errno.EINVAL, 'Unknown attribute type'),
    ('conn-get do: 5-byte IPv4 address',
     lambda g: g.build(g.family, CMD_CONN_GET, conn_tuple(addr_len=5)),
     errno.EINVAL, 'address length does not match the family'),
    ('conn-get do: no server-port',
     lambda g: g.build(g.family, CMD_CONN_GET,
                       conn_tuple()[:-8]), errno.EINVAL, None),
]


def malformed(name, build, want_err, want_msg):
    ns = 'sc_m'
    g = Genl(ns)
    try:
        cfg0, st0 = g.attrs_of(CMD_CONFIG_GET), g.attrs_of(CMD_STATS_GET)
        msg = build(g)
        seq = g.seq
        g.send_raw(msg)
        try:
            g.wait(seq)
        except NlErr as e:
            if e.err != want_err or (want_msg is not None and e.msg != want_msg):
                raise Failed(f'got {e}, want {ename(want_err)} "{want_msg}"')
            if want_msg and e.msg and NLMSGERR_ATTR_OFFS not in e.ext and \
                    'leftover' not in want_msg and 'family' not in want_msg:
                raise Failed(f'{e}: no attribute offset in the extack')
            if want_msg is None and 'no server-port' in name and \
                    e.ext.get(NLMSGERR_ATTR_MISS_TYPE) != u32(A_CONN_SERVER_PORT):
                raise Failed(f'{e}: extack does not name server-port as missing: {e.ext}')
        else:
            raise Failed(f'accepted, want {ename(want_err)}')
        cfg1, st1 = g.attrs_of(CMD_CONFIG_GET), g.attrs_of(CMD_STATS_GET)
        if cfg0 != cfg1:
            raise Failed(f'config changed: {cfg0} -> {cfg1}')
        st0.pop(A_STATS_SEGMENTS, None)
        st1.pop(A_STATS_SEGMENTS, None)
        if st0 != st1:
            raise Failed(f'stats changed: {st0} -> {st1}')
    finally:
        g.close()


def truncated_dropped():
    """nlmsg_len past the datagram: netlink_rcv_skb() drops it without a reply."""
    g = Genl('sc_m')
    try:
        cfg0 = g.attrs_of(CMD_CONFIG_GET)
        g.send_raw(truncated(g))
        bad_seq = g.seq
        try:
            got = g.recv_msgs(timeout=1.0)
            raise Failed(f'a reply to a truncated message: {got}')
        except socket.timeout:
            pass
        cfg1 = g.attrs_of(CMD_CONFIG_GET)	# the socket still works
        if cfg0 != cfg1 or cfg1[A_CONFIG_MSL] == 7:
            raise Failed(f'config changed: {cfg0} -> {cfg1} (seq {bad_seq})')
    finally:
        g.close()


# 2. Dumps at scale

def sysctl_w(ns, name, value):
    sh(f'ip netns exec {ns} sysctl -qw net.tcpsm.{name}={value}')


def stats_proc(ns):
    return dict((k, int(v)) for k, v in
                (line.split() for line in read_in(ns, '/proc/net/tcpsm/stats').splitlines()))


def setup_inject_ns():
    add_netns('sc_a')
    add_netns('sc_b')
    sh('ip -n sc_a link add sc0 type veth peer name sc1 netns sc_b')
    sh('ip -n sc_a addr add 10.200.0.1/24 dev sc0 && ip -n sc_a link set sc0 up')
    sh('ip -n sc_b link set sc1 up')	# no address: the SYNs die there, no RST comes back
    mac = json.loads(sh('ip -j -n sc_b link show sc1'))[0]['address']
    sh(f'ip -n sc_a neigh add {DST} lladdr {mac} dev sc0 nud permanent')
    sysctl_w('sc_a', 'max_conns', N + 100000)
    sysctl_w('sc_a', 'syn_sent_timeout', 86400)	# the entries must outlive the test
    sysctl_w('sc_a', 'syn_rcvd_timeout', 86400)


def inject(ns, n, first=0):
    t0 = time.monotonic()
    out = sh(f'ip netns exec {ns} {INJECT} -s {SRC} -d {DST} -p {DPORT} -n {n} -o {first}')
    if int(out) != n:
        raise Failed(f'injector sent {out.strip()} of {n}')
    return time.monotonic() - t0


def tuple_of(i):
    a = struct.unpack('>I', socket.inet_aton(SRC))[0] + i // PORTS_PER_ADDR
    return struct.pack('>I', a), FIRST_PORT + i % PORTS_PER_ADDR


def client_key(payload):
    """(client address, port) of a conn-get message, straight from the bytes."""
    a = parse_attrs(payload)
    return a[A_CONN_CLIENT_ADDR], struct.unpack('>H', a[A_CONN_CLIENT_PORT])[0]


def dump_start(g):
    g.send_raw(g.build(g.family, CMD_CONN_GET, b'', NLM_F_REQUEST | NLM_F_DUMP))
    return g.seq


def dump_read(g, seq, counts, limit=None, until_intr=False):
    """Read dump messages into counts; (done, flags seen). limit: datagrams;
    until_intr: stop after the first datagram with NLM_F_DUMP_INTR."""
    flags_seen = 0
    reads = 0
    while (limit is None or reads < limit) and \
            not (until_intr and flags_seen & NLM_F_DUMP_INTR):
        reads += 1
        for typ, flags, s, payload, err, ext in g.recv_msgs():
            if s != seq:
                continue
            flags_seen |= flags
            if typ == NLMSG_DONE:
                if err:
                    raise Failed(f'dump failed: {errno.errorcode.get(err, err)}')
                return True, flags_seen
            if typ == NLMSG_ERROR:
                raise NlErr(err, ext)
            if not flags & NLM_F_MULTI:
                raise Failed(f'a dump message without NLM_F_MULTI: {flags:#x}')
            k = client_key(payload)
            counts[k] = counts.get(k, 0) + 1
    return False, flags_seen


def meminfo(path='/proc/meminfo'):
    """The kB fields of /proc/meminfo or /proc/self/status."""
    out = {}
    for line in open(path):
        k, _, v = line.partition(':')
        if v.strip().endswith('kB'):
            out[k] = int(v.split()[0])
    return out


def dump_at_scale():
    g = Genl('sc_a')
    try:
        g.tcpsm(CMD_FLUSH)
        mem0 = meminfo()
        secs = inject('sc_a', N)
        mem1 = meminfo()
        active = stats_proc('sc_a')['active']
        if active != N:
            raise Failed(f'{N} SYNs injected, active {active}')
        t0 = time.monotonic()
        counts = {}
        done, flags = dump_read(g, dump_start(g), counts)
        t_dump = time.monotonic() - t0
        if not done:
            raise Failed('no NLMSG_DONE')
        if flags & NLM_F_DUMP_INTR:
            raise Failed('NLM_F_DUMP_INTR on a quiet table')
        dups = [k for k, v in counts.items() if v != 1]
        missing = [i for i in range(N) if tuple_of(i) not in counts]
        active = stats_proc('sc_a')['active']
        if dups or missing or len(counts) != N or active != N:
            raise Failed(f'{len(counts)} distinct dumped, {len(dups)} repeated '
                         f'{dups[:3]}, {len(missing)} missing {missing[:3]}, active {active}')
        print(f'     N={N}: injected in {secs:.1f} s, dumped in {t_dump:.1f} s; kernel memory '
              f'+{(mem0["MemAvailable"] - mem1["MemAvailable"]) >> 10} MB '
              f'(slab +{(mem1["Slab"] - mem0["Slab"]) >> 10} MB), test process '
              f'{meminfo("/proc/self/status")["VmHWM"] >> 10} MB at most', flush=True)
    finally:
        g.close()


def dump_intr(change):
    """A dump with a small receive buffer: read one datagram, change the table,
    read the rest: a later message must carry NLM_F_DUMP_INTR."""
    g = Genl('sc_a', rcvbuf=4096)
    ctl = Genl('sc_a')
    try:
        if stats_proc('sc_a')['active'] < 2000:
            ctl.tcpsm(CMD_FLUSH)
            inject('sc_a', 2000)
        counts = {}
        seq = dump_start(g)
        done, first = dump_read(g, seq, counts, limit=1)
        if done or first & NLM_F_DUMP_INTR:
            raise Failed(f'first datagram: done {done}, flags {first:#x}')
        if change == 'flush':
            ctl.tcpsm(CMD_FLUSH)
        else:
            inject('sc_a', 100, first=N + 10)
        # the rest of a 10^6 dump, a datagram at a time, is too slow: after a
        # flush NLMSG_DONE comes next; after SYNs, stop at the mark (closing
        # the socket ends the dump)
        done, later = dump_read(g, seq, counts, until_intr=change != 'flush')
        if change == 'flush' and not done:
            raise Failed('no NLMSG_DONE')
        if not later & NLM_F_DUMP_INTR:
            raise Failed(f'{sum(counts.values())} messages after a {change}, '
                         'none with NLM_F_DUMP_INTR')
    finally:
        g.close()
        ctl.close()


# 3. cli.py --subscribe events --sleep

def subscribed(ns, group):
    """Is some NETLINK_GENERIC socket of NS a member of GROUP (ids 1..32 only)?"""
    for line in read_in(ns, '/proc/net/netlink').splitlines()[1:]:
        f = line.split()
        if int(f[1]) == NETLINK_GENERIC and int(f[3], 16) & (1 << (group - 1)):
            return True
    return False


def cli_events():
    ns = 'sc_c'
    g = Genl(ns)
    group = g.groups['events']
    g.close()
    sleep = 6
    cmd = ['ip', 'netns', 'exec', ns, 'python3', CLI, '--spec', SPEC, '--no-schema',
           '--output-json', '--subscribe', 'events', '--sleep', str(sleep)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    conns = []
    try:
        deadline = time.monotonic() + 60
        if group <= 32:	# /proc/net/netlink shows the first 32 groups
            while not subscribed(ns, group):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise Failed('cli.py never joined the events group')
                time.sleep(0.1)
        # then one connection; without a view of the membership, one a second
        while True:
            with netns(ns):
                ls = socket.socket()
                ls.bind(('127.0.0.1', 0))
                ls.listen(1)
                c = socket.create_connection(ls.getsockname())
                s, _ = ls.accept()
            conns.append((c.getsockname()[1], ls.getsockname()[1]))
            for x in (c, s, ls):
                x.close()
            if group <= 32 or proc.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(1)
        out, err = proc.communicate(timeout=sleep + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode:
        raise Failed(f'cli.py exit {proc.returncode}: {err}')
    msgs = json.loads(out)
    for cport, sport in conns:
        evs = [m['msg'] for m in msgs if m['name'] == 'event' and
               m['msg']['conn']['client-port'] == cport and
               m['msg']['conn']['server-port'] == sport]
        types = [e['type'] for e in evs]
        states = [(e['role'], e['new-state']) for e in evs if e['type'] == 'state']
        if types and types[0] == 'new' and ('client', 'syn-sent') in states and \
                ('server', 'established') in states:
            return
    raise Failed(f'no new+state events for {conns} in {len(msgs)} messages: {out[:2000]}')


def events_overflow():
    """A listener that does not read loses events: ENOBUFS to it, events_lost counted."""
    ns = 'sc_c'
    g = Genl(ns, rcvbuf=1024)
    try:
        g.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g.groups['events'])
        before = stats_proc(ns)['events_lost']
        with netns(ns):
            ls = socket.socket()
        ls.bind(('127.0.0.1', 0))
        ls.listen(64)
        for _ in range(30):     # about ten events each
            with netns(ns):
                c = socket.socket()
            c.connect(ls.getsockname())
            a, _ = ls.accept()
            c.close()
            a.close()
        ls.close()
        time.sleep(0.5)
        lost = stats_proc(ns)['events_lost'] - before
        if lost <= 0:
            raise Failed('a listener that never read lost no events')
        g.s.settimeout(2)
        try:
            while True:
                g.s.recv(1 << 16)
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise Failed(f'the listener got {e!r}, not ENOBUFS') from e
        print(f'     {lost} events lost, ENOBUFS reported to the listener', flush=True)
    finally:
        g.close()


def ename(err):
    return 'EOPNOTSUPP' if err == errno.EOPNOTSUPP else errno.errorcode[err]


def main():
    r = Runner()
    for ns in ('sc_m', 'sc_c'):
        add_netns(ns)
    load_module()
    try:
        setup_inject_ns()
        for name, build, err, msg in MALFORMED:
            r.run(f'malformed: {name} -> {ename(err)}', malformed,
                  name, build, err, msg)
        r.run('malformed: nlmsg_len past the datagram -> dropped, no reply',
              truncated_dropped)
        r.run(f'dump of {N} injected SYNs: each once, DONE, count = active', dump_at_scale,
              limit=1800 if FULL else 300)
        # the table as the last case left it: no more SYNs than needed
        r.run('NLM_F_DUMP_INTR: more SYNs in the middle of a dump', dump_intr, 'inject')
        r.run('NLM_F_DUMP_INTR: flush in the middle of a dump', dump_intr, 'flush')
        r.run('cli.py --subscribe events --sleep: events of a new connection', cli_events,
              limit=120)
        r.run('events overflowing a listener: ENOBUFS to it, events_lost counted',
              events_overflow)
    finally:
        for ns in ('sc_a', 'sc_b', 'sc_m', 'sc_c'):
            sh(f'ip netns del {ns}', check=False)
        time.sleep(0.5)
        for _ in range(100):	# namespace cleanup runs in the background
            try:
                unload_module()
                break
            except RuntimeError:
                time.sleep(0.2)
    r.finish()


if __name__ == '__main__':
    main()
