#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpsm as a module, inside the VM: parameters, per-namespace sysctls,
namespace isolation, load and unload with traffic.

Every connection's life (handshake, closes, resets, timers, keepalive,
pickup, scale) is in truth_test.py, driven by tools/tcpsm-scenario and
compared with the kernel's sockets; Conn and setup stay importable from
here for the other tests.
"""
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import (Conn, Mismatch, Runner, find_conn, load_module,  # noqa: E402,F401
                       netns, read_in, setup, sh, unload_module)


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
    r.run('module unloads with connections in TIME_WAIT', unload_clean)
    r.finish()


if __name__ == '__main__':
    main()
