# SPDX-License-Identifier: GPL-2.0
"""The module and tcpsm-replay agree on real traffic (issue 13).

While a truth suite case runs, tcpdump captures it where one namespace's
tcpsm observes it: the router namespace's egress (what left FORWARD) on the
router topology, the client's interface on the others (the host position,
replayed with --local and the client's address; both ends' over loopback).
Meanwhile tcpsmctl watch keeps that namespace's events. The case ends with
a cut: a SYN from that namespace to a closed port, whose entry's "new"
event ends the module's event stream and whose frame ends the replay's;
the module's table is read as soon as that event is in, the replay's at
the frame's time. The capture is replayed with the tunables the case set
there (--set, --rfc1337). For every connection of the case (not listed
before it began), the replay's events must be the module's (kinds, roles,
states, segment kinds, reasons, invalid reasons, in order) and its table
row the module's /proc line (states, counters, flags; times aside).

Timeouts are the one thing the two apply at different moments: the module's
collector notices a deadline up to a second or so late, the replay on the
next capture second. Timeout events in the last TIMER_SLACK seconds before
the cut are therefore left out on both sides (and the rows of such a
connection not compared); every earlier one must agree, in its place. An
entry older than the case whose end falls in it (its "new" not in the
stream) has nothing in the capture and is not compared. Where tcpsmctl
watch lost events (its socket buffer overflowed: the 1000 connections),
the case's tables are compared and its events are not; it says so.

The capture point is not the hook: between a host's receive tap and its
LOCAL_IN (or FORWARD and the router's egress) lie other hooks and routing,
and two segments handled on two CPUs at once may pass the one and the
other in different orders (a segment sent to a peer on the same machine
waits in the sending CPU's backlog). Then the two streams differ, rarely:
the events of that connection are printed side by side, one pair swapped.

Some cases do what a capture cannot show as the observing namespace saw
it; they are named, not compared (Sc.blind()): a segment dropped by the
captured host's input (the capture has it, the module never saw it), one
forged on the captured host (from a raw socket the module moves no sender;
put on the link by a packet socket, the module never sees it), netem on the
captured host's output (tcpdump sees a segment after the delay, the module
before it), and the module loaded during the case.
"""
import json
import os
import signal
import socket
import subprocess
import threading
import time

from tcpsm_e2e import ROUTER_NS, Mismatch, netns, parse_conns, read_in

TOP = os.environ.get('TCPSM_TOP', os.path.join(os.path.dirname(__file__), '..', '..'))
REPLAY = os.path.join(TOP, 'tools/tcpsm-replay/tcpsm-replay')
CTL = os.path.join(TOP, 'tools/tcpsmctl/tcpsmctl')
TIMER_SLACK = 2.5       # s
DISCARD = 9             # the cut's SYN goes to this port, closed everywhere
RMEM_DEFAULT = '/proc/sys/net/core/rmem_default'
RCVBUF = 64 << 20
# the one sysctl besides net.tcpsm.NAME (--set NAME=) that the replay takes
RFC1337 = 'net.ipv4.tcp_rfc1337'
# /proc's keys that do not depend on when they are read
STABLE = ('local', 'client_state', 'server_state', 'tw_restarts', 'tw_ack_restarts',
          'ka_probes_client', 'ka_unanswered_client', 'ka_probes_server',
          'ka_unanswered_server', 'ka_dead', 'zw_probes_client', 'zw_probes_server',
          'pickup', 'replaced', 'icmp_errors', 'confirmed', 'pkts_client', 'pkts_server',
          'bytes_client', 'bytes_server', 'closer', 'end', 'history_lost', 'history')


def stable(k, v):
    """A row's value as compared. A retransmission is judged against what
    its receiver acked: a router's capture point may see the two directions
    interleaved otherwise than its FORWARD hook, and count one more or one
    less (retrans_* are not compared, T letters not in the history)."""
    v = proc_value(v) if v is not None else None
    return v.replace('T', '').replace('t', '') if k == 'history' and v else v


def position(topo):
    """Where a topology is captured: (namespace, tcpdump's interface and
    direction, whether the namespace is a host whose addresses go to --local)."""
    if topo == 'router':
        return ROUTER_NS, ['-i', 'any', '-Q', 'out'], False
    if topo == 'loopback':
        return 'lo_a', ['-i', 'lo'], True
    return 'veth_a', ['-i', 'eth0'], True


class Watcher:
    """tcpsmctl watch --json in one namespace, for the whole suite."""

    def __init__(self, ns):
        self.ns = ns
        self.events = []
        self.lock = threading.Lock()
        self.lost = 0   # times tcpsmctl said its socket buffer overflowed
        self.p = subprocess.Popen([CTL, '-n', ns, '--json', 'watch'], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        for fn in (self._read, self._read_err):
            threading.Thread(target=fn, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            with self.lock:
                self.events.append(json.loads(line))

    def _read_err(self):
        for line in self.p.stderr:
            if 'events lost' in line:
                with self.lock:
                    self.lost += 1

    def mark(self):
        """Where the stream is now: (events, losses)."""
        with self.lock:
            return len(self.events), self.lost

    def since(self, mark):
        """The events after MARK, and whether any were lost since."""
        with self.lock:
            return self.events[mark[0]:], self.lost > mark[1]

    def stop(self):
        self.p.terminate()
        self.p.wait(10)


class Agreement:
    """The watchers of the capture points, and the case being captured."""

    def __init__(self):
        self.watchers = {}
        self.current = None

    def start_watchers(self):
        """(Again after the module was reloaded: the old ones hear nothing.)
        Their sockets get a buffer of RCVBUF (a netlink socket takes
        net.core.rmem_default when made, set for that moment only): the
        thousand TIME_WAIT expiries of the 1000 connections come in a burst."""
        self.stop_watchers()
        with open(RMEM_DEFAULT) as f:
            old = f.read()
        with open(RMEM_DEFAULT, 'w') as f:
            f.write(f'{RCVBUF}\n')
        try:
            for topo in ('router', 'veth', 'loopback'):
                ns = position(topo)[0]
                self.watchers[ns] = Watcher(ns)
            time.sleep(1)   # subscribed before the next case's first segment
        finally:
            with open(RMEM_DEFAULT, 'w') as f:
                f.write(old)

    def stop_watchers(self):
        for w in self.watchers.values():
            w.stop()
        self.watchers = {}

    def begin(self, sc):
        self.current = Capture(self, sc)
        return self.current

    def note_sysctl(self, ns, name, value):
        if self.current:
            self.current.note_sysctl(ns, name, value)


class Capture:
    """One case: tcpdump from before its first segment to the cut."""

    def __init__(self, agreement, sc):
        self.sc = sc
        self.ns, self.where, host = position(sc.topo)
        self.local = sorted({sc.caddr} | ({sc.saddr} if sc.topo == 'loopback' else set())) \
            if host else []
        self.watcher = agreement.watchers.get(self.ns)
        self.blind_why = None
        self.sets = {}
        self.path = f'/tmp/agree-{os.getpid()}.pcap'
        self.before = {(c['client'], c['server'])
                       for c in parse_conns(read_in(self.ns, '/proc/net/tcpsm/conns'))}
        self.mark = self.watcher.mark()
        self.p = subprocess.Popen(['ip', 'netns', 'exec', self.ns, 'tcpdump', '-Z', 'root',
                                   '-n', '-U', '--immediate-mode', '-s', '256', *self.where,
                                   '-w', self.path, 'tcp or icmp or icmp6'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        said = ''
        while 'listening on' not in said:      # tcpdump's word that it captures
            line = self.p.stderr.readline()
            if not line:
                raise RuntimeError(f'tcpdump in {self.ns}: {said}')
            said += line
        self.sentinel = None
        self.module = self.table = None
        self.reloaded = False   # the case reloaded the module (its watchers went deaf)
        self.lost = False       # the watcher lost events in the case

    def blind(self, why):
        if self.blind_why is None:
            self.blind_why = why

    def note_sysctl(self, ns, name, value):
        if ns == self.ns and name not in self.sets:
            self.sets[name] = value     # the first: the value in force while it ran

    def end(self):
        """The cut: a SYN from the captured namespace to a closed port. Its
        entry's "new" event ends the module's stream, its frame the
        replay's, and the module's table is read once the event is in."""
        fam = socket.AF_INET if ':' not in self.sc.saddr else socket.AF_INET6
        with netns(self.ns):
            s = socket.socket(fam, socket.SOCK_STREAM)
        try:
            s.setblocking(False)
            try:
                s.connect((self.sc.saddr, DISCARD))
            except BlockingIOError:
                pass
            here = s.getsockname()
            self.sentinel = (ep(here[0], here[1]), ep(self.sc.saddr, DISCARD))
            deadline = time.monotonic() + 10
            while True:
                got = self.watcher.since(self.mark)[0]
                at = [i for i, e in enumerate(got)
                      if e['event'] == 'new' and key_of(e) == self.sentinel]
                if at:
                    self.module = got[:at[0]]
                    break
                if time.monotonic() > deadline:
                    raise Mismatch(f'ns {self.ns}: no event for the cut\'s SYN {self.sentinel}')
                time.sleep(0.02)
            self.table = read_in(self.ns, '/proc/net/tcpsm/conns')
            time.sleep(0.2)     # (tcpsmctl's word of a loss comes on stderr, apart)
            self.lost = self.watcher.since(self.mark)[1]
        finally:
            s.close()
            self.stop()

    def stop(self):
        """tcpdump stopped; its file gone unless the cut was made."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            self.p.communicate(timeout=30)
        if self.module is None and os.path.exists(self.path):
            os.unlink(self.path)

    def _replay(self, *extra):
        args = [REPLAY, '--json', *extra]
        for a in self.local:
            args += ['--local', a]
        for name, value in self.sets.items():
            if name.startswith('net.tcpsm.'):
                args += ['--set', f'{name[len("net.tcpsm."):]}={value}']
            elif name == RFC1337 and int(value):
                args.append('--rfc1337')
        r = subprocess.run(args + [self.path], capture_output=True, text=True, timeout=120)
        if r.returncode:
            raise Mismatch(f'tcpsm-replay exit {r.returncode}: {r.stderr}')
        return r.stdout.splitlines()

    def compare(self):
        """Raises Mismatch where they differ."""
        try:
            events = [json.loads(x) for x in self._replay()]
            at = [i for i, e in enumerate(events)
                  if e['event'] == 'new' and key_of(e) == self.sentinel]
            if not at:
                raise Mismatch(f'the cut\'s SYN {self.sentinel} is not in the capture')
            cut = events[at[0]]['time']
            events = events[:at[0]]
            rows = json.loads('\n'.join(self._replay('--table', '--at', f'{cut:.6f}')))
            # (none at all where nothing reached the capture point: SYNs
            # dropped before the router; the cut's SYN shows the capture ran)
            module, replayed = by_conn(self.module), by_conn(events)
            table = {(c['client'], c['server']): c for c in parse_conns(self.table)}
            rows = {(c['client'], c['server']): c for c in rows}
            # An entry older than the case (its linger or timeout ending
            # now, hidden from /proc once due) shows in the module's events
            # without its "new"; the capture has nothing of it.
            mine = {k for k in set(module) | set(replayed) if k not in self.before and
                    (k in replayed or module[k][0]['event'] == 'new')}
            n = [0, 0]
            for key in sorted(mine):
                try:
                    got = agree_one(key, [] if self.lost else module.get(key, []),
                                    [] if self.lost else replayed.get(key, []),
                                    table.get(key), rows.get(key), cut)
                except Mismatch as e:
                    raise Mismatch(f'{e}{self.reread(key, table)}') from None
                n = [a + b for a, b in zip(n, got)]
            if self.lost:
                print('     tcpsmctl watch lost events (its socket buffer overflowed): '
                      'the tables compared, not the events', flush=True)
            print(f'     {len(mine)} connections: {n[0]} events and {n[1]} table rows alike',
                  flush=True)
        finally:
            os.unlink(self.path)


    def reread(self, key, table):
        """For a row the module's table lacked: is it there now?"""
        if key in table:
            return ''
        now = {(c['client'], c['server']): c for c in
               parse_conns(read_in(self.ns, '/proc/net/tcpsm/conns'))}
        if key not in now:
            return ''
        return (f'\n  (a read of /proc/net/tcpsm/conns now lists it: {now[key]}; the one at '
                f'the cut listed {len(table)} lines)')


def ep(addr, port):
    return f'[{addr}]:{port}' if ':' in addr else f'{addr}:{port}'


def key_of(e):
    return e['conn']['client'], e['conn']['server']


def by_conn(events):
    """Each connection's events, in order."""
    out = {}
    for e in events:
        out.setdefault(key_of(e), []).append(e)
    return out


def tag(e):
    return tuple(e.get(k) for k in ('event', 'role', 'old_state', 'new_state', 'kind',
                                    'reason', 'invalid'))


def by_timer(e):
    """Caused by a deadline, not by a segment: noticed late by the module."""
    return (e['event'] == 'state' and 'kind' not in e) or \
        e['event'] in ('tw_expire', 'ka_dead') or \
        (e['event'] == 'destroy' and e.get('reason') == 'expired')


def trim(events, cut):
    """Without the timeouts of the last TIMER_SLACK seconds (and what
    follows them); whether any went."""
    keep = list(events)
    while keep and by_timer(keep[-1]) and keep[-1]['time'] > cut - TIMER_SLACK:
        keep.pop()
    return keep, len(keep) < len(events)


def proc_value(v):
    """A value of the replay's JSON row as /proc prints it (booleans 0, 1)."""
    return str(int(v)) if isinstance(v, bool) else str(v)


def agree_one(key, module, replay, row, rrow, cut):
    """One connection; (events, rows) found alike."""
    name = f'{key[0]} -> {key[1]}'
    m, m_cut = trim(module, cut)
    r, r_cut = trim(replay, cut)
    if [tag(e) for e in m] != [tag(e) for e in r]:
        raise Mismatch(f'{name}: events differ\n' + diff(m, r))
    if m_cut or r_cut:
        return len(m), 0    # a timeout on the way: the rows may be either side of it
    if (row is None) != (rrow is None):
        raise Mismatch(f'{name}: in the module\'s table: {row is not None}, in the '
                       f'replay\'s: {rrow is not None}')
    if row is None:
        return len(m), 0
    bad = {k: (row.get(k), proc_value(rrow.get(k))) for k in STABLE
           if stable(k, row.get(k)) != stable(k, rrow.get(k))}
    if bad:
        raise Mismatch(f'{name}: table rows differ (module, replay): {bad}')
    return len(m), 1


def diff(m, r):
    out = []
    n = max(len(m), len(r))
    for i in range(n):
        a = ' '.join(str(x) for x in tag(m[i]) if x is not None) if i < len(m) else '-'
        b = ' '.join(str(x) for x in tag(r[i]) if x is not None) if i < len(r) else '-'
        out.append(f'  {"  " if a == b else "! "}{i:3} module: {a:45} replay: {b}')
    return '\n'.join(out)
