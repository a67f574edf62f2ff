#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""NAT on the host's own connections, VRFs and link-local scopes, in the VM.

One entry per connection, keyed as the sockets see it: a client whose
connection an nft OUTPUT rule DNATs to another namespace, or REDIRECTs to a
proxy of its own namespace, has one entry, with the addresses its socket
shows, whose states agree with both sockets after the handshake, data and
each close (compare(), tcpsm_e2e.py), each segment counted once. The same
four-tuple in two VRFs (local traffic, and traffic to two peers), and the
same IPv6 link-local tuple on two veth pairs, are two entries, told apart
by their zone. A kernel without nft NAT or VRF skips those cases only,
saying why.
"""
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import (Mismatch, Runner, add_netns, compare,  # noqa: E402
                       expect_states, load_module, netns, parse_conns, read_in,
                       settle, setup, sh, split_ep, unload_module)
from tcpsmctl_test import ctl_json  # noqa: E402
from truth_test import nft, stat, tcp_mib  # noqa: E402

VIP = ('10.9.9.9', 'fd09::9')   # the address a client connects to, NATed away
VPORT = 8080
DATA = 64 * 1024
COUNTERS = ('retransmissions', 'invalid_flags', 'invalid_state', 'invalid_seq',
            'invalid_ack')


class Skip(Exception):
    pass


def counters(*nss):
    """tcpsm's counters of the first namespace, and the segments the kernel
    retransmitted in all of them (a slow VM's real retransmissions)."""
    return [stat(nss[0], k) for k in COUNTERS] + [sum(tcp_mib(ns, 'RetransSegs')[0]
                                                     for ns in nss)]


def entries(ns, *eps):
    """The conns lines of NS with an endpoint among EPS."""
    return [c for c in parse_conns(read_in(ns, '/proc/net/tcpsm/conns'))
            if split_ep(c['client']) in eps or split_ep(c['server']) in eps]


def data_both_ways(a, b):
    a.sendall(b'x' * DATA)
    got = 0
    while got < DATA:
        got += len(b.recv(DATA - got))
    b.sendall(b'y' * DATA)
    got = 0
    while got < DATA:
        got += len(a.recv(DATA - got))


def quiet(before, *nss):
    """No segment of the case taken for invalid, nor for a retransmission
    unless the kernel retransmitted: each endpoint moved once per segment.
    Returns whether the kernel retransmitted nothing."""
    after = counters(*nss)
    delta = [a - b for a, b in zip(after, before)]
    kernel = delta.pop()
    if any(delta[1:]) or delta[0] > kernel:
        raise Mismatch(f'ns {nss[0]}: {dict(zip(COUNTERS, delta))}, the kernel '
                       f'retransmitted {kernel}')
    if kernel:
        print(f'     the kernel retransmitted {kernel}: bytes checked as at least',
              flush=True)
    return kernel == 0


def counted_once(line, n, exact=True):
    """Bytes counted once each way (exactly when nothing was resent)."""
    got = (int(line['bytes_client']), int(line['bytes_server']))
    if got[0] < n or got[1] < n or (exact and got != (n, n)):
        raise Mismatch(f'bytes {line["bytes_client"]}/{line["bytes_server"]}, '
                       f'{n} each way sent: {line}')


def nat_case(fam, kind):
    """An nft OUTPUT rule on the client's host: dnat to the server in
    veth_b, or redirect to a proxy listening in the client's namespace."""
    i = 0 if fam == 4 else 1
    af = socket.AF_INET if fam == 4 else socket.AF_INET6
    ipf = 'ip' if fam == 4 else 'ip6'
    sns = 'veth_b' if kind == 'dnat' else 'veth_a'
    with netns(sns):
        ls = socket.socket(af, socket.SOCK_STREAM)
    ls.bind((('10.0.0.2', 'fd00::2')[i] if kind == 'dnat' else ('0.0.0.0', '::')[i], 0))
    ls.listen(1)
    port = ls.getsockname()[1]
    to = (f'dnat to {"10.0.0.2" if fam == 4 else "[fd00::2]"}:{port}' if kind == 'dnat'
          else f'redirect to :{port}')
    try:
        nft('veth_a', script=f'table {ipf} tnat {{\n chain out {{\n'
                             f'  type nat hook output priority -100\n'
                             f'  {ipf} daddr {VIP[i]} tcp dport {VPORT} {to}\n }}\n}}\n')
    except RuntimeError:
        ls.close()
        raise
    nss = sorted({'veth_a', sns})
    nss.remove('veth_a')
    nss = ['veth_a'] + nss      # tcpsm's counters: the client's namespace
    before = counters(*nss)
    try:
        with netns('veth_a'):
            c = socket.socket(af, socket.SOCK_STREAM)
        c.connect((VIP[i], VPORT))
        s, _ = ls.accept()
        ls.close()
        client, vip = c.getsockname()[:2], (VIP[i], VPORT)
        keys = {'client': (client, vip),
                'server': (s.getsockname()[:2], s.getpeername()[:2])}
        owners = {'client': 'veth_a', 'server': sns}

        def step(cs, ss):
            settle(lambda: compare(['veth_a'], owners, client, vip, expect_states(cs, ss),
                                   sock_keys=keys))
            got = entries('veth_a', client)
            if len(got) != 1:
                raise Mismatch(f'{len(got)} entries for {client}: {got}')
            if kind == 'dnat':     # the server's namespace: its own view, no NAT
                settle(lambda: compare(['veth_b'], owners, keys['server'][1],
                                       keys['server'][0], expect_states(cs, ss),
                                       sock_keys=keys))
            return got[0]

        line = step('ESTABLISHED', 'ESTABLISHED')
        want_local = 'both' if kind == 'redirect' else 'client'
        if line['local'] != want_local:
            raise Mismatch(f'local={line["local"]}, want {want_local}: {line}')
        data_both_ways(c, s)
        line = step('ESTABLISHED', 'ESTABLISHED')
        counted_once(line, DATA, quiet(before, *nss))
        c.shutdown(socket.SHUT_WR)
        step('FIN_WAIT_2', 'CLOSE_WAIT')
        s.close()
        step('TIME_WAIT', 'CLOSED')
        c.close()
        quiet(before, *nss)
    finally:
        nft('veth_a', 'delete', 'table', ipf, 'tnat')


def vrf_setup():
    """vrf_h: VRFs red (table 10) and blue (table 20), each with a dummy
    holding the same addresses, and a veth to a peer namespace of its own
    (vrf_red, vrf_blue) with the same addresses on both."""
    add_netns('vrf_h')
    r = sh('ip -n vrf_h link add red type vrf table 10 2>&1', check=False)
    if r.strip():
        raise Skip(f'VRF: {r.strip()}')
    sh('ip -n vrf_h link add blue type vrf table 20')
    for vrf in ('red', 'blue'):
        peer = f'vrf_{vrf}'
        add_netns(peer)
        sh(f'ip -n vrf_h link set {vrf} up && '
           f'ip -n vrf_h link add d_{vrf} type dummy && '
           f'ip -n vrf_h link set d_{vrf} master {vrf} && '
           f'ip -n vrf_h addr add 10.5.0.1/24 dev d_{vrf} && '
           f'ip -n vrf_h addr add fd05::1/64 dev d_{vrf} nodad && '
           f'ip -n vrf_h link set d_{vrf} up && '
           f'ip -n vrf_h link add v_{vrf} type veth peer name eth0 netns {peer} && '
           f'ip -n vrf_h link set v_{vrf} master {vrf} && '
           f'ip -n vrf_h addr add 10.6.0.1/24 dev v_{vrf} && '
           f'ip -n vrf_h link set v_{vrf} up && '
           f'ip -n {peer} addr add 10.6.0.2/24 dev eth0 && ip -n {peer} link set eth0 up')


def ifindex(ns, dev):
    with netns(ns):
        return socket.if_nametoindex(dev)


def bound(ns, af, dev):
    with netns(ns):
        sk = socket.socket(af, socket.SOCK_STREAM)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    return sk


def two_zones(ns, client, server, zones, local, exact):
    """Two entries for one tuple in NS, one per zone, each ESTABLISHED at
    both ends with DATA counted once each way."""
    def fn():
        got = [c for c in entries(ns, client)
               if (split_ep(c['client']), split_ep(c['server'])) == (client, server)]
        if sorted(int(c.get('zone', 0)) for c in got) != sorted(zones):
            raise Mismatch(f'ns {ns}: zones {[c.get("zone") for c in got]}, want {zones}: {got}')
        for c in got:
            if (c['client_state'], c['server_state']) != ('ESTABLISHED', 'ESTABLISHED') or \
                    c['local'] != local:
                raise Mismatch(f'ns {ns}: {c}')
            counted_once(c, DATA, exact)
        # netlink says the same (tcpsmctl --json: the /proc keys)
        nl = sorted(c.get('zone', 0) for c in ctl_json('list', ns=ns)
                    if (split_ep(c['client']), split_ep(c['server'])) == (client, server))
        if nl != sorted(zones):
            raise Mismatch(f'ns {ns}: netlink zones {nl}, want {zones}')
    settle(fn)


def vrf_local(fam):
    """The same four-tuple between two sockets of vrf_h in red and in blue:
    two entries, both ends local, each segment once."""
    af = socket.AF_INET if fam == 4 else socket.AF_INET6
    addr = '10.5.0.1' if fam == 4 else 'fd05::1'
    before = counters('vrf_h')
    socks, port, cport = [], 0, 0
    for vrf in ('red', 'blue'):
        ls = bound('vrf_h', af, vrf)
        ls.bind((addr, port))
        ls.listen(1)
        port = ls.getsockname()[1]
        c = bound('vrf_h', af, vrf)
        c.bind((addr, cport))
        cport = c.getsockname()[1]
        c.connect((addr, port))
        s, _ = ls.accept()
        ls.close()
        data_both_ways(c, s)
        socks += [c, s]
    exact = quiet(before, 'vrf_h')
    two_zones('vrf_h', (addr, cport), (addr, port),
              [ifindex('vrf_h', 'red'), ifindex('vrf_h', 'blue')], 'both', exact)
    for sk in socks:
        sk.close()


def vrf_peers():
    """The same four-tuple from vrf_h in red and in blue to a peer namespace
    each: two entries in vrf_h, one in each peer (no zone there)."""
    before = counters('vrf_h', 'vrf_red', 'vrf_blue')
    socks, cport = [], 0
    for vrf in ('red', 'blue'):
        with netns(f'vrf_{vrf}'):
            ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.bind(('10.6.0.2', 5001))
        ls.listen(1)
        c = bound('vrf_h', socket.AF_INET, vrf)
        c.bind(('10.6.0.1', cport))
        cport = c.getsockname()[1]
        c.connect(('10.6.0.2', 5001))
        s, _ = ls.accept()
        ls.close()
        data_both_ways(c, s)
        socks += [c, s]
    client, server = ('10.6.0.1', cport), ('10.6.0.2', 5001)
    exact = quiet(before, 'vrf_h', 'vrf_red', 'vrf_blue')
    two_zones('vrf_h', client, server,
              [ifindex('vrf_h', 'red'), ifindex('vrf_h', 'blue')], 'client', exact)
    for vrf in ('red', 'blue'):
        settle(lambda: compare([f'vrf_{vrf}'], {'client': 'vrf_h', 'server': f'vrf_{vrf}'},
                               client, server, expect_states('ESTABLISHED', 'ESTABLISHED')))
    for sk in socks:
        sk.close()


def link_local():
    """ll_a and ll_b joined by two veth pairs, fe80::1 and fe80::2 on both:
    the same tuple on each pair is two entries on each side."""
    for ns in ('ll_a', 'll_b'):
        add_netns(ns)
    for dev in ('v0', 'v1'):
        sh(f'ip -n ll_a link add {dev} type veth peer name {dev} netns ll_b')
        for ns, a in (('ll_a', 'fe80::1'), ('ll_b', 'fe80::2')):
            sh(f'ip -n {ns} link set {dev} addrgenmode none && '
               f'ip -n {ns} addr add {a}/64 dev {dev} nodad && ip -n {ns} link set {dev} up')
    with netns('ll_b'):
        ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.bind(('::', 0))
    ls.listen(2)
    port = ls.getsockname()[1]
    before = counters('ll_a', 'll_b'), counters('ll_b', 'll_a')
    socks, cport = [], 0
    for dev in ('v0', 'v1'):
        with netns('ll_a'):
            c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        idx = ifindex('ll_a', dev)
        c.bind(('fe80::1', cport, 0, idx))
        cport = c.getsockname()[1]
        c.connect(('fe80::2', port, 0, idx))
        s, _ = ls.accept()
        data_both_ways(c, s)
        socks += [c, s]
    ls.close()
    client, server = ('fe80::1', cport), ('fe80::2', port)
    exact = all([quiet(before[0], 'll_a', 'll_b'), quiet(before[1], 'll_b', 'll_a')])
    for ns, local in (('ll_a', 'client'), ('ll_b', 'server')):
        two_zones(ns, client, server, [ifindex(ns, 'v0'), ifindex(ns, 'v1')], local, exact)
    for sk in socks:
        sk.close()


def nat_missing():
    """Why nft NAT cannot be used here, or None."""
    try:
        nft('veth_a', script='table ip probe {\n chain out {\n'
                             '  type nat hook output priority -100\n }\n}\n')
    except RuntimeError as e:
        return ' '.join(str(e).split())
    nft('veth_a', 'delete', 'table', 'ip', 'probe')
    return None


def main():
    r = Runner()
    setup()
    sh('ip -n veth_a route add 10.9.9.0/24 dev eth0 && '
       'ip -n veth_a -6 route add fd09::/64 dev eth0')
    load_module()
    why = nat_missing()
    for fam in (4, 6):
        for kind in ('dnat', 'redirect'):
            name = f'IPv{fam} OUTPUT {kind}: one entry, the client socket\'s addresses'
            if why:
                print(f'not run: {name}: nft NAT: {why}', flush=True)
            else:
                r.run(name, nat_case, fam, kind)
    try:
        vrf_setup()
    except Skip as e:
        print(f'not run: the VRF cases: {e}', flush=True)
    else:
        for fam in (4, 6):
            r.run(f'IPv{fam} one tuple, local, in two VRFs: two entries', vrf_local, fam)
        r.run('IPv4 one tuple to two peers through two VRFs: two entries', vrf_peers)
    # two namespaces and four devices: 50 s on the debug kernel, under TCG
    r.run('IPv6 one link-local tuple on two veth pairs: two entries', link_local, limit=300)
    unload_module()
    r.finish()


if __name__ == '__main__':
    main()
