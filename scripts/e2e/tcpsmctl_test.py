#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpsmctl, the netlink client, against tcpsm's /proc files, inside the VM.

Expects the binary built on the host beforehand (the VM's tree is
read-only): `make -C tools/tcpsmctl`; it is found as
$TCPSM_TOP/tools/tcpsmctl/tcpsmctl.

- list --json agrees field by field with /proc/net/tcpsm/conns (loopback and
  veth between two namespaces, IPv4 and IPv6); get finds the same entry;
- watch --json shows a connection's life in order, down to the TIME_WAIT
  expiry with msl=1 set by `tcpsmctl config`;
- config out of range fails with the kernel's message and changes nothing;
- an unprivileged user lists but cannot config or flush;
- -n NS shows that namespace's connections only;
- without the module, the clear message.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import (Mismatch, Runner, load_module, parse_conns, read_in,  # noqa: E402
                       settle)
from tracker_test import Conn, setup  # noqa: E402

CTL = os.path.join(os.environ.get('TCPSM_TOP', '.'), 'tools/tcpsmctl/tcpsmctl')
# A copy anyone may run (the tree may be under a folder nobody cannot enter).
CTL_ANY = '/tmp/tcpsmctl'
NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
          '--inh-caps=-all', '--bounding-set=-all']
NOT_LOADED = 'tcpsm: module not loaded (genetlink family tcpsm not found)'
NO_PERM = 'need CAP_NET_ADMIN in the namespace'

# Keys whose values move with time: compared within a tolerance (ms).
TIMED = {'timer_ms', 'ka_idle_ms', 'ka_next_client_ms', 'ka_next_server_ms', 'age_ms'}
SLACK_MS = 1000


def ctl(*args, ns=None, prefix=(), check=True, binary=None):
    """Run tcpsmctl [-n ns] args; (rc, stdout, stderr)."""
    cmd = list(prefix) + [binary or CTL] + (['-n', ns] if ns else []) + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if check and r.returncode:
        raise Mismatch(f'{" ".join(cmd)}: exit {r.returncode}: {r.stdout}{r.stderr}')
    return r.returncode, r.stdout, r.stderr


def ctl_json(*args, ns=None):
    return json.loads(ctl('--json', *args, ns=ns)[1])


def endpoints(c):
    return c['client'], c['server']


def fmt_ep(addr):
    host, port = addr
    return f'[{host}]:{port}' if ':' in host else f'{host}:{port}'


def compare_fields(proc, js, slack_ms=SLACK_MS):
    """Every key of a /proc line against the JSON object; timed keys within
    slack_ms, which covers the time between the two reads."""
    for k, v in proc.items():
        if k not in js:
            raise Mismatch(f'{k} missing from list --json: {js}')
        got = js[k]
        if k in TIMED:
            if abs(int(got) - int(v)) > slack_ms:
                raise Mismatch(f'{k}: tcpsmctl {got} /proc {v}')
        elif str(got) != v:
            raise Mismatch(f'{k}: tcpsmctl {got!r} /proc {v!r}\n  {proc}\n  {js}')


def list_matches_proc(topo, fam):
    k = Conn(topo, fam)
    k.check()
    k.c.sendall(b'x' * 300)
    k.s.recv(300, socket.MSG_WAITALL)
    k.check()
    want = (fmt_ep(k.client), fmt_ep(k.server))
    for ns in k.views:
        def agree():
            t0 = time.monotonic()
            proc = {endpoints(c): c for c in parse_conns(read_in(ns, '/proc/net/tcpsm/conns'))}
            listed = {endpoints(c): c for c in ctl_json('list', ns=ns)}
            slack = SLACK_MS + int((time.monotonic() - t0) * 1000)
            if set(proc) != set(listed):
                raise Mismatch(f'ns {ns}: /proc has {sorted(proc)}, list {sorted(listed)}')
            if want not in listed:
                raise Mismatch(f'ns {ns}: {want} not listed')
            for key, line in proc.items():
                compare_fields(line, listed[key], slack)
            # get by the four-tuple gives the same entry
            got = ctl_json('get', k.client[0], str(k.client[1]), k.server[0],
                           str(k.server[1]), ns=ns)
            compare_fields(proc[want], got, SLACK_MS + int((time.monotonic() - t0) * 1000))
        settle(agree)
    # filters: this connection's port, and a state it is not in
    rows = ctl_json('list', 'port', str(k.server[1]), 'state', 'ESTABLISHED', ns=k.cns)
    if [endpoints(c) for c in rows] != [want]:
        raise Mismatch(f'list port {k.server[1]} state ESTABLISHED: {rows}')
    if any(endpoints(c) == want for c in ctl_json('list', 'state', 'TIME_WAIT', ns=k.cns)):
        raise Mismatch('an ESTABLISHED connection listed under state TIME_WAIT')
    other = 'ipv6' if fam == 4 else 'ipv4'
    if any(endpoints(c) == want for c in ctl_json('list', 'family', other, ns=k.cns)):
        raise Mismatch(f'listed under family {other}')
    k.c.close()
    k.s.close()


def list_many():
    """Enough connections for a dump of several messages: none lost or doubled."""
    conns = [Conn('loopback', 4) for _ in range(250)]
    try:
        def agree():
            proc = sorted(endpoints(c) for c in
                          parse_conns(read_in('lo_a', '/proc/net/tcpsm/conns')))
            rc, out, err = ctl('--json', 'list', ns='lo_a')
            listed = sorted(endpoints(c) for c in json.loads(out))
            if 'interrupted' in err:
                raise Mismatch('dump interrupted on a quiet table')
            if listed != proc or len(listed) < 250:
                raise Mismatch(f'{len(listed)} listed, {len(proc)} in /proc')
            table = ctl('list', ns='lo_a')[1].splitlines()
            if len(table) != len(listed) + 1:
                raise Mismatch(f'table: {len(table)} lines for {len(listed)} connections')
        settle(agree)
    finally:
        for k in conns:
            k.c.close()
            k.s.close()


def get_missing():
    rc, _out, err = ctl('-n', 'lo_a', 'get', '127.0.0.1', '1', '127.0.0.1', '2', check=False)
    if rc != 1 or 'no such connection' not in err:
        raise Mismatch(f'get of nothing: exit {rc}: {err}')


def netns_only_its_own():
    k = Conn('loopback', 4)
    k.check()
    want = (fmt_ep(k.client), fmt_ep(k.server))
    if want not in [endpoints(c) for c in ctl_json('list', ns='lo_a')]:
        raise Mismatch('-n lo_a does not list its connection')
    for ns in ('veth_a', 'veth_b', None):
        if want in [endpoints(c) for c in ctl_json('list', ns=ns)]:
            raise Mismatch(f'lo_a connection listed by -n {ns}')
    # ip netns exec is the same as -n
    _rc, out, _err = ctl('--json', 'list', prefix=('ip', 'netns', 'exec', 'lo_a'))
    if want not in [endpoints(c) for c in json.loads(out)]:
        raise Mismatch('ip netns exec lo_a tcpsmctl list does not list it')
    k.c.close()
    k.s.close()


def watch_lifecycle():
    ns = 'lo_a'
    old = ctl_json('config', ns=ns)
    ctl('config', 'msl=1', 'close_linger=1', ns=ns)
    if ctl_json('config', ns=ns)['msl'] != 1:
        raise Mismatch('config msl=1 not applied')
    w = subprocess.Popen([CTL, '-n', ns, '--json', 'watch'], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)       # subscribed before the first SYN
        k = Conn('loopback', 4)
        want = (fmt_ep(k.client), fmt_ep(k.server))
        k.c.sendall(b'd' * 1000)
        k.s.recv(1000, socket.MSG_WAITALL)
        time.sleep(0.2)
        k.c.close()
        time.sleep(0.2)
        k.s.close()
        time.sleep(2 * 1 + 1 + 2.5)     # 2MSL, linger, slack
    finally:
        w.terminate()
        out, err = w.communicate(timeout=10)
        ctl('config', f'msl={old["msl"]}', f'close_linger={old["close_linger"]}', ns=ns)
    events = [json.loads(line) for line in out.splitlines()]
    mine = [e for e in events if endpoints(e['conn']) == want]
    if not mine:
        raise Mismatch(f'no event for {want}; stderr {err}; got {events}')

    def tag(e):
        if e['event'] == 'state':
            return f'state {e["role"]} {e["old_state"]}->{e["new_state"]}'
        if e['event'] in ('tw_start', 'tw_expire', 'tw_restart'):
            return f'{e["event"]} {e["role"]}'
        return e['event']
    seen = [tag(e) for e in mine]
    expected = [
        'new',
        'state client CLOSED->SYN_SENT',
        'state server CLOSED->SYN_RCVD',
        'state client SYN_SENT->ESTABLISHED',
        'state server SYN_RCVD->ESTABLISHED',
        'state client ESTABLISHED->FIN_WAIT_1',
        'state server ESTABLISHED->CLOSE_WAIT',
        'state client FIN_WAIT_1->FIN_WAIT_2',
        'state server CLOSE_WAIT->LAST_ACK',
        'state client FIN_WAIT_2->TIME_WAIT',
        'tw_start client',
        'state server LAST_ACK->CLOSED',
        'tw_expire client',
        'destroy',
    ]
    i = 0
    for t in seen:
        if i < len(expected) and t == expected[i]:
            i += 1
    if i < len(expected):
        raise Mismatch(f'events out of order or missing from "{expected[i]}" on:\n  '
                       + '\n  '.join(seen))
    # the data shows in the connection the close events carry
    fin = next(e for e in mine if tag(e) == 'state client ESTABLISHED->FIN_WAIT_1')
    if fin['conn']['bytes_client'] != 1000:
        raise Mismatch(f'bytes_client at the FIN: {fin["conn"]}')
    if mine[-1]['event'] != 'destroy' or mine[-1].get('reason') != 'expired':
        raise Mismatch(f'last event: {mine[-1]}')
    for e in mine:
        if not isinstance(e.get('time'), float):
            raise Mismatch(f'no timestamp: {e}')


def config_out_of_range():
    ns = 'veth_a'
    before = ctl_json('config', ns=ns)
    for args, bad in ((['msl=0'], 'msl=0'), (['msl=3601'], 'msl=3601'),
                      (['msl=5', 'keepalive_probes=0'], 'keepalive_probes=0')):
        rc, _out, err = ctl('config', *args, ns=ns, check=False)
        if rc != 1:
            raise Mismatch(f'config {args}: exit {rc}, expected 1: {err}')
        # the attribute the kernel blamed (extack offset) is named
        if f'config {bad}:' not in err:
            raise Mismatch(f'config {args}: {bad} not named: {err!r}')
        # the kernel's extack message is printed after ours
        if 'out of range' not in err.split('config:', 1)[-1]:
            raise Mismatch(f'config {args}: no kernel message: {err!r}')
        after = ctl_json('config', ns=ns)
        if after != before:
            raise Mismatch(f'config {args} changed something: {before} -> {after}')
    rc, _out, err = ctl('config', 'nosuchkey=1', ns=ns, check=False)
    if rc != 2:
        raise Mismatch(f'config nosuchkey=1: exit {rc}, expected 2 (usage): {err}')
    # sysctl sees the netlink write and the other way round
    ctl('config', 'msl=7', ns=ns)
    try:
        if read_in(ns, '/proc/sys/net/tcpsm/msl').strip() != '7':
            raise Mismatch('config msl=7 not seen by the sysctl')
    finally:
        ctl('config', f'msl={before["msl"]}', ns=ns)


def unprivileged():
    shutil.copy(CTL, CTL_ANY)
    os.chmod(CTL_ANY, 0o755)
    k = Conn('veth', 4)
    k.check()
    want = (fmt_ep(k.client), fmt_ep(k.server))
    _rc, out, _err = ctl('--json', 'list', ns=None, binary=CTL_ANY,
                         prefix=['ip', 'netns', 'exec', 'veth_a'] + NOBODY)
    if want not in [endpoints(c) for c in json.loads(out)]:
        raise Mismatch(f'unprivileged list does not show {want}: {out}')
    before = ctl_json('config', ns='veth_a')
    for args in (['config', 'msl=5'], ['flush'], ['watch']):
        rc, _out, err = ctl(*args, binary=CTL_ANY, check=False,
                            prefix=['ip', 'netns', 'exec', 'veth_a'] + NOBODY)
        if rc != 1 or NO_PERM not in err:
            raise Mismatch(f'unprivileged {args}: exit {rc}: {err!r}')
    if ctl_json('config', ns='veth_a') != before:
        raise Mismatch('unprivileged config changed something')
    if want not in [endpoints(c) for c in ctl_json('list', ns='veth_a')]:
        raise Mismatch('unprivileged flush flushed')
    k.c.close()
    k.s.close()


def stats_and_flush():
    ns = 'lo_a'
    k = Conn('loopback', 6)
    k.check()
    stats = ctl_json('stats', ns=ns)
    proc = dict(line.split() for line in read_in(ns, '/proc/net/tcpsm/stats').splitlines())
    missing = set(proc) - set(stats)
    if missing:
        raise Mismatch(f'stats --json lacks {sorted(missing)}')
    for key, v in proc.items():
        if key != 'active' and stats[key] > int(v):
            raise Mismatch(f'stats {key}: tcpsmctl {stats[key]} before /proc {v}')
    ctl('flush', ns=ns)
    if ctl_json('list', ns=ns):
        raise Mismatch(f'list after flush: {ctl_json("list", ns=ns)}')
    if ctl_json('stats', ns=ns)['destroyed_flushed'] < 1:
        raise Mismatch('destroyed_flushed not counted')
    k.c.close()
    k.s.close()


def not_loaded():
    for args in (['list'], ['stats'], ['watch'], ['config', 'msl=5']):
        rc, _out, err = ctl(*args, check=False)
        if rc != 1 or NOT_LOADED not in err:
            raise Mismatch(f'{args} without the module: exit {rc}: {err!r}')


def usage_errors():
    for args in (['nosuch'], ['list', 'state', 'BOGUS'], ['list', 'port'],
                 ['get', '1.2.3.4'], []):
        rc, _out, _err = ctl(*args, check=False)
        if rc != 2:
            raise Mismatch(f'tcpsmctl {args}: exit {rc}, expected 2')
    rc, out, _err = ctl('--help', check=False)
    if rc != 0 or 'Usage' not in out:
        raise Mismatch(f'--help: exit {rc}')


def main():
    r = Runner()
    if not os.access(CTL, os.X_OK):
        print(f'FAIL {CTL} not built: run `make -C tools/tcpsmctl` on the host first',
              flush=True)
        r.failed += 1
        r.finish()
    setup()
    r.run('usage errors exit 2', usage_errors)
    r.run('module not loaded: clear message', not_loaded)
    load_module()
    for topo in ('loopback', 'veth'):
        for fam in (4, 6):
            r.run(f'list --json agrees with /proc, {topo} ipv{fam}', list_matches_proc,
                  topo, fam)
    # a guard against a hang: the debug kernel beside other VMs took over 60 s
    r.run('list of 250 connections, a dump in several parts', list_many, limit=300)
    r.run('get of a missing connection', get_missing)
    r.run('-n NS lists that namespace only', netns_only_its_own)
    r.run('watch --json: a life in order, TIME_WAIT expiry with msl=1', watch_lifecycle)
    r.run('config out of range: kernel message, nothing changed', config_out_of_range)
    r.run('unprivileged: list yes, config and flush no', unprivileged)
    r.run('stats --json and flush', stats_and_flush)
    r.finish()


if __name__ == '__main__':
    main()
