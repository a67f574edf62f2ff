#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpsm's tracker against the kernel's own sockets, inside the VM.

Real connections over loopback (one namespace) and over veth (client and
server in two namespaces, each with its own tcpsm), IPv4 and IPv6. After
each step, once quiet, every namespace's /proc/net/tcpsm/conns must agree
with the sockets of the namespace that owns each endpoint.
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import (Mismatch, Runner, add_netns, compare, find_conn,  # noqa: E402
                       load_module, netns, read_in, settle, sh, unload_module)

TOPOLOGIES = {
    # name: (client ns, server ns, client addr v4/v6, server addr v4/v6)
    'loopback': ('lo_a', 'lo_a', ('127.0.0.1', '::1'), ('127.0.0.1', '::1')),
    'veth': ('veth_a', 'veth_b', ('10.0.0.1', 'fd00::1'), ('10.0.0.2', 'fd00::2')),
}


def setup():
    add_netns('lo_a')
    add_netns('veth_a')
    add_netns('veth_b')
    sh('ip -n veth_a link add eth0 type veth peer name eth0 netns veth_b')
    for ns, v4, v6 in (('veth_a', '10.0.0.1', 'fd00::1'), ('veth_b', '10.0.0.2', 'fd00::2')):
        sh(f'ip -n {ns} addr add {v4}/24 dev eth0 && '
           f'ip -n {ns} addr add {v6}/64 dev eth0 nodad && ip -n {ns} link set eth0 up')


class Conn:
    """One connection of a topology: the sockets and what to compare."""

    def __init__(self, topo, family, keepalive=None, port=0):
        self.cns, self.sns, caddrs, saddrs = TOPOLOGIES[topo]
        self.fam = socket.AF_INET if family == 4 else socket.AF_INET6
        i = 0 if family == 4 else 1
        with netns(self.sns):
            self.lsock = socket.socket(self.fam, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind((saddrs[i], port))
        self.lsock.listen(8)
        self.server = (saddrs[i], self.lsock.getsockname()[1])
        with netns(self.cns):
            self.c = socket.socket(self.fam, socket.SOCK_STREAM)
        if keepalive:
            idle, intvl, cnt = keepalive
            self.c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            self.c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
            self.c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
            self.c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)
        self.c.bind((caddrs[i], 0))
        self.c.connect(self.server)
        self.s, _ = self.lsock.accept()
        self.lsock.close()
        self.client = self.c.getsockname()[:2]
        self.views = sorted({self.cns, self.sns})
        self.owners = {'client': self.cns, 'server': self.sns}

    def check(self, extra=None, timeout=5.0):
        settle(lambda: compare(self.views, self.owners, self.client, self.server, extra),
               timeout)

    def line(self, ns=None):
        return find_conn(ns or self.cns, self.client, self.server)


def expect_states(client, server):
    def fn(c, _socks):
        if (c['client_state'], c['server_state']) != (client, server):
            raise Mismatch(f'expected {client}/{server}, got {c}')
    return fn


def handshake_and_data(topo, fam):
    k = Conn(topo, fam)
    k.check(expect_states('ESTABLISHED', 'ESTABLISHED'))
    k.c.sendall(b'x' * 1000)
    assert len(k.s.recv(1000, socket.MSG_WAITALL)) == 1000
    k.s.sendall(b'y' * 500)
    assert len(k.c.recv(500, socket.MSG_WAITALL)) == 500

    def counts(c, _socks):
        if (c['bytes_client'], c['bytes_server']) != ('1000', '500'):
            raise Mismatch(f'bytes: {c}')
        if c['local'] != ('both' if topo == 'loopback' else c['local']):
            raise Mismatch(f'local: {c}')
    k.check(counts)
    for ns in k.views:
        want = 'both' if topo == 'loopback' else ('client' if ns == k.cns else 'server')
        got = k.line(ns)['local']
        if got != want:
            raise Mismatch(f'ns {ns}: local={got}, expected {want}')
    k.c.close()
    k.s.close()


# Who closes first -> (client, server) states after the first close, and at the end.
CLOSES = {
    'client': (('FIN_WAIT_2', 'CLOSE_WAIT'), ('TIME_WAIT', 'CLOSED')),
    'server': (('CLOSE_WAIT', 'FIN_WAIT_2'), ('CLOSED', 'TIME_WAIT')),
}


def four_way_close(topo, fam, first):
    k = Conn(topo, fam)
    k.check()
    one, other = (k.c, k.s) if first == 'client' else (k.s, k.c)
    half, end = CLOSES[first]
    one.close()
    k.check(expect_states(*half))
    other.close()
    k.check(expect_states(*end))


def time_wait_restart(topo, fam):
    """The client's last ACK is lost: the server's FIN comes again, 2MSL restarts."""
    k = Conn(topo, fam)
    k.check()
    k.c.close()
    k.check(expect_states('FIN_WAIT_2', 'CLOSE_WAIT'))
    # In the server's namespace, drop the client's pure ACKs: the last ACK.
    cport = k.client[1]
    sh(f'ip netns exec {k.sns} nft add table inet drop_ack')
    sh(f'ip netns exec {k.sns} nft add chain inet drop_ack in '
       "'{ type filter hook input priority 0; }'")
    sh(f'ip netns exec {k.sns} nft add rule inet drop_ack in tcp sport {cport} '
       "'tcp flags & (fin|syn|rst|ack) == ack' drop")
    k.s.close()
    time.sleep(1.5)     # the server retransmits its FIN at least once
    sh(f'ip netns exec {k.sns} nft delete table inet drop_ack')
    k.check(expect_states('TIME_WAIT', 'CLOSED'), timeout=10)
    line = k.line()
    if int(line['tw_restarts']) < 1:
        raise Mismatch(f'no TIME_WAIT restart counted: {line}')


def keepalive_answered(topo, fam):
    """Short keepidle: probes go out, the peer answers, unanswered back to 0."""
    k = Conn(topo, fam, keepalive=(1, 1, 5))
    k.check()
    time.sleep(3.5)

    def probed(c, socks):
        if int(c['ka_probes_client']) < 2:
            raise Mismatch(f'expected keepalive probes from the client: {c}')
        if c['ka_unanswered_client'] != '0' or c['ka_dead'] != 'none':
            raise Mismatch(f'answered probes left unanswered: {c}')
    k.check(probed)
    k.c.close()
    k.s.close()


def bad_module_parameter():
    """An out-of-range parameter is refused at load, with the reason in dmesg."""
    obj = os.environ['TCPSM_OBJ']
    r = sh(f'insmod {obj}/tcpsm.ko msl=0 2>&1; echo rc=$?', check=False)
    if 'rc=0' in r:
        raise Mismatch('insmod with msl=0 succeeded')
    if 'msl=0 is out of range' not in sh('dmesg | tail -n 5'):
        raise Mismatch('no message naming msl in dmesg')
    if os.path.exists('/sys/module/tcpsm'):
        raise Mismatch('module loaded anyway')


def sysctl_per_namespace():
    """net.tcpsm.* is per namespace; out-of-range writes fail, old value kept."""
    def value(ns):
        return read_in(ns, '/proc/sys/net/tcpsm/msl').strip()

    with netns('veth_a'):
        try:
            with open('/proc/sys/net/tcpsm/msl', 'w') as f:
                f.write('0')
        except OSError:
            pass
        else:
            raise Mismatch('msl=0 accepted')
        if value('veth_a') != '30':
            raise Mismatch(f'msl changed to {value("veth_a")} by a refused write')
        with open('/proc/sys/net/tcpsm/msl', 'w') as f:
            f.write('5')
    try:
        if (value('veth_a'), value('veth_b')) != ('5', '30'):
            raise Mismatch(f'msl: veth_a={value("veth_a")} veth_b={value("veth_b")}')
    finally:
        sh('ip netns exec veth_a sysctl -qw net.tcpsm.msl=30')


def namespaces_isolated():
    """A connection of one namespace is never listed in another's file."""
    k = Conn('loopback', 4)
    k.check()
    for ns in ('veth_a', 'veth_b', None):
        if find_conn(ns, k.client, k.server):
            raise Mismatch(f'loopback connection of lo_a listed in {ns or "init"}')
    k.c.close()
    k.s.close()


def reload_many():
    """Load and unload again and again, with connections open meanwhile."""
    k = Conn('veth', 4)
    for _ in range(10):
        load_module()
        k.c.sendall(b'z' * 100)
        k.s.recv(100, socket.MSG_WAITALL)
        unload_module()
    k.c.close()
    k.s.close()


def pickup_midstream():
    """A connection open before the module loads is picked up on its next segment.

    Which end is the server is a guess there (the lower port): the server
    listens on a low port, as servers do, below the client's ephemeral one.
    """
    unload_module()
    k = Conn('veth', 6, port=5001)
    load_module()
    try:
        k.c.sendall(b'a' * 10)
        k.s.recv(10, socket.MSG_WAITALL)

        def picked(c, _socks):
            if c['pickup'] != '1':
                raise Mismatch(f'not flagged as picked up: {c}')
        k.check(picked)
        k.c.close()
        k.check(expect_states('FIN_WAIT_2', 'CLOSE_WAIT'))
        k.s.close()
        k.check(expect_states('TIME_WAIT', 'CLOSED'))
    finally:
        k.c.close()
        k.s.close()


def stats_counted():
    stats = dict(line.split() for line in read_in('veth_a', '/proc/net/tcpsm/stats').splitlines())
    for key in ('segments', 'conns_created', 'transitions', 'tw_restarts', 'keepalive_probes'):
        if int(stats[key]) <= 0:
            raise Mismatch(f'stats {key} is {stats[key]}')


def unload_clean():
    unload_module()
    if os.path.exists('/proc/net/tcpsm'):
        raise Mismatch('/proc/net/tcpsm still there after rmmod')


def main():
    r = Runner()
    setup()
    r.run('out-of-range module parameter refused', bad_module_parameter)
    r.run('load and unload ten times with a connection open', reload_many)
    load_module()
    r.run('sysctls per namespace, out-of-range refused', sysctl_per_namespace)
    r.run('namespaces see only their own connections', namespaces_isolated)
    for topo in TOPOLOGIES:
        for fam in (4, 6):
            tag = f'{topo} ipv{fam}'
            r.run(f'handshake and data, {tag}', handshake_and_data, topo, fam)
            for first in CLOSES:
                r.run(f'four-way close, {first} first, {tag}', four_way_close, topo, fam, first)
            r.run(f'keepalive answered, {tag}', keepalive_answered, topo, fam)
            if topo == 'veth':
                r.run(f'TIME_WAIT restart on a lost last ACK, {tag}', time_wait_restart,
                      topo, fam)
    r.run('stats counted', stats_counted)
    r.run('connection open before load picked up mid-stream', pickup_midstream)
    r.run('module unloads with connections in TIME_WAIT', unload_clean)
    r.finish()


if __name__ == '__main__':
    main()
