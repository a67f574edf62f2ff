#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The demo, run inside the VM: one TCP life, step by step, as tcpsm sees it.

A client and a server in two namespaces joined by veth. After each step:
the events `tcpsmctl watch` printed meanwhile, what `cat
/proc/net/tcpsm/conns` prints in the client's namespace, and what the
kernel's own sockets say (ss), side by side. At the end, the connection's
whole life as a ladder (tcpsmctl get --ladder) and the state graph the
namespace travelled (tcpsmctl graph).
"""
import fcntl
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'e2e'))
from tcpsm_e2e import add_netns, load_module, netns, read_in, sh  # noqa: E402

KEYS = ('client_state', 'server_state', 'timer', 'timer_ms', 'tw_restarts',
        'ka_probes_client', 'ka_unanswered_client', 'bytes_client', 'bytes_server',
        'history')
TOOL = os.path.join(os.environ.get('TCPSM_TOP', '.'), 'tools/tcpsmctl/tcpsmctl')


WATCH = None


def start_watch():
    """tcpsmctl watch in the client's namespace, read as it goes."""
    global WATCH
    WATCH = subprocess.Popen([TOOL, '-n', 'demo_client', 'watch'], stdout=subprocess.PIPE)
    fcntl.fcntl(WATCH.stdout, fcntl.F_SETFL, os.O_NONBLOCK)
    time.sleep(0.5)


def show_events():
    data = b''
    while True:
        try:
            chunk = os.read(WATCH.stdout.fileno(), 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        data += chunk
    lines = data.decode(errors='replace').splitlines()
    if lines:
        print('  $ tcpsmctl watch   (client namespace, as it happened)')
        for line in lines:
            print('    ' + line)


def show(title, port):
    print(f'\n--- {title}')
    show_events()
    for line in read_in('demo_client', '/proc/net/tcpsm/conns').splitlines():
        if f':{port} ' in line + ' ':
            print('  $ cat /proc/net/tcpsm/conns   (client namespace)')
            print('    ' + line[:line.index(' local=')] + ' ...')
            d = dict(w.split('=', 1) for w in line.split()[1:])
            print('    ' + ' '.join(f'{k}={d[k]}' for k in KEYS))
    for ns in ('demo_client', 'demo_server'):
        out = sh(f'ip netns exec {ns} ss -tanoH "( sport = :{port} or dport = :{port} )"')
        for s in out.splitlines():
            print(f'  ss in {ns:12}: {" ".join(s.split())}')


def main():
    add_netns('demo_client')
    add_netns('demo_server')
    sh('ip -n demo_client link add eth0 type veth peer name eth0 netns demo_server')
    sh('ip -n demo_client addr add 10.0.0.1/24 dev eth0 && ip -n demo_client link set eth0 up')
    sh('ip -n demo_server addr add 10.0.0.2/24 dev eth0 && ip -n demo_server link set eth0 up')
    load_module()
    print('tcpsm loaded:', sh('grep tcpsm /proc/modules').split()[0])
    start_watch()

    with netns('demo_server'):
        ls = socket.socket()
    ls.bind(('10.0.0.2', 8080))
    ls.listen()
    with netns('demo_client'):
        c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 2)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 2)
    c.connect(('10.0.0.2', 8080))
    cport = c.getsockname()[1]
    s, _ = ls.accept()
    port = 8080
    time.sleep(0.3)
    show('three-way handshake done', port)

    c.sendall(b'GET / HTTP/1.0\r\n\r\n')
    s.recv(100)
    s.sendall(b'HTTP/1.0 200 OK\r\n\r\nhello')
    c.recv(100)
    time.sleep(0.3)
    show('request and response exchanged', port)

    # hold the server's answers back a moment: the probe goes out unanswered
    sh("ip netns exec demo_server nft 'add table inet demo; add chain inet demo out "
       "{ type filter hook output priority 0; }; add rule inet demo out tcp sport 8080 drop'")
    show_events()     # what happened before the drop belongs to the step before
    time.sleep(2.5)
    show('idle 2 s: the client sent a keepalive probe; the server\'s answer is held '
         'back (nft), so it is unanswered, as ss counts it (probes in ss -o)', port)
    sh('ip netns exec demo_server nft delete table inet demo')
    time.sleep(2.2)
    show('the server answers again: the next probe is answered, unanswered back to 0', port)

    c.close()
    time.sleep(0.3)
    show('client closed: FIN sent and acknowledged (FIN_WAIT_2 / CLOSE_WAIT)', port)

    s.close()
    time.sleep(0.3)
    show("server closed: the client is in TIME_WAIT, 2MSL counting down", port)
    print('\n--- TIME_WAIT counting down: tcpsm (cat /proc/net/tcpsm/conns) and the socket (ss -o)')
    for _ in range(4):
        time.sleep(1)
        d = next(dict(w.split('=', 1) for w in line.split()[1:])
                 for line in read_in('demo_client', '/proc/net/tcpsm/conns').splitlines()
                 if f':{port} ' in line + ' ')
        ss = sh(f'ip netns exec demo_client ss -tanoH "( dport = :{port} )"').split()
        print(f'    tcpsm: client_state={d["client_state"]} timer={d["timer"]} '
              f'timer_ms={d["timer_ms"]:>6}    ss: {ss[0]} {ss[-1]}')
    print('\n--- counters: cat /proc/net/tcpsm/stats (client namespace)')
    for line in read_in('demo_client', '/proc/net/tcpsm/stats').splitlines():
        if not line.endswith(' 0'):
            print('    ' + line)
    WATCH.terminate()
    print(f'\n--- its life, told: tcpsmctl get 10.0.0.1 {cport} 10.0.0.2 {port} --ladder')
    print(sh(f'{TOOL} -n demo_client get 10.0.0.1 {cport} 10.0.0.2 {port} --ladder'))
    print('\n--- the state graph the client\'s namespace travelled: tcpsmctl graph')
    print(sh(f'{TOOL} -n demo_client graph'))


if __name__ == '__main__':
    main()
