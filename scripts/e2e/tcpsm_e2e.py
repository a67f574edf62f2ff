# SPDX-License-Identifier: GPL-2.0
"""Shared pieces of tcpsm's end-to-end tests, run as root inside the test VM.

Namespaces, sockets created in a chosen namespace, tcpsm's /proc view and
the kernel's own sockets (/proc/net/tcp, tcp6) of any namespace, and the
comparison of the two: the kernel's sockets are the oracle.
"""
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)

# /proc/net/tcp "st" -> tcpsm's names (a request socket shows as SYN_RECV).
KERNEL_STATES = {
    0x01: 'ESTABLISHED', 0x02: 'SYN_SENT', 0x03: 'SYN_RCVD', 0x04: 'FIN_WAIT_1',
    0x05: 'FIN_WAIT_2', 0x06: 'TIME_WAIT', 0x07: 'CLOSED', 0x08: 'CLOSE_WAIT',
    0x09: 'LAST_ACK', 0x0A: 'LISTEN', 0x0B: 'CLOSING', 0x0C: 'SYN_RCVD',
}
USER_HZ = 100


def sh(cmd, check=True):
    """Run a shell command; its output on failure."""
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f'{cmd}: exit {r.returncode}: {r.stdout}{r.stderr}')
    return r.stdout


def setns(fd):
    if _libc.setns(fd, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), 'setns')


@contextlib.contextmanager
def netns(name):
    """Run the body in namespace NAME (None: the initial one)."""
    if name is None:
        yield
        return
    prev = os.open('/proc/thread-self/ns/net', os.O_RDONLY)
    fd = os.open(f'/run/netns/{name}', os.O_RDONLY)
    try:
        setns(fd)
        yield
    finally:
        setns(prev)
        os.close(fd)
        os.close(prev)


def read_in(ns, path):
    with netns(ns):
        with open(path.replace('/proc/net/', '/proc/thread-self/net/')) as f:
            return f.read()


def add_netns(name):
    sh(f'ip netns del {name} 2>/dev/null', check=False)
    sh(f'ip netns add {name} && ip -n {name} link set lo up')


def load_module(params=''):
    obj = os.environ['TCPSM_OBJ']
    sh(f'insmod {obj}/tcpsm.ko {params}')


def unload_module():
    sh('rmmod tcpsm')


def parse_conns(text):
    """Each line of /proc/net/tcpsm/conns as a dict (family under 'family')."""
    conns = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        d = {'family': words[0]}
        for w in words[1:]:
            k, _, v = w.partition('=')
            d[k] = v
        conns.append(d)
    return conns


def _hexaddr(h, family):
    raw = bytes.fromhex(h)
    if family == socket.AF_INET:
        return socket.inet_ntop(family, raw[::-1])
    words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]
    return socket.inet_ntop(family, b''.join(words))


def kernel_sockets(ns):
    """The kernel's TCP sockets of a namespace: list of dicts."""
    out = []
    for fam, path in ((socket.AF_INET, '/proc/net/tcp'), (socket.AF_INET6, '/proc/net/tcp6')):
        for line in read_in(ns, path).splitlines()[1:]:
            f = line.split()
            la, lp = f[1].split(':')
            ra, rp = f[2].split(':')
            tr, when = f[5].split(':')
            out.append({
                'local': (_hexaddr(la, fam), int(lp, 16)),
                'remote': (_hexaddr(ra, fam), int(rp, 16)),
                'state': KERNEL_STATES.get(int(f[3], 16), f[3]),
                'timer': int(tr, 16),
                'timer_ms': int(when, 16) * 1000 // USER_HZ,
                'probes': int(f[6], 16) if int(tr, 16) != 1 else 0,
            })
    return out


def split_ep(s):
    """'10.0.0.1:80' or '[fd00::1]:80' -> ('10.0.0.1', 80)."""
    host, _, port = s.rpartition(':')
    return host.strip('[]'), int(port)


def socket_of(ns, local, remote):
    for s in kernel_sockets(ns):
        if s['local'] == local and s['remote'] == remote:
            return s
    return None


class Mismatch(Exception):
    pass


def find_conn(ns, client, server):
    for c in parse_conns(read_in(ns, '/proc/net/tcpsm/conns')):
        if split_ep(c['client']) == client and split_ep(c['server']) == server:
            return c
    return None


def compare(views, owners, client, server, extra=None):
    """Check every namespace's tcpsm view of one connection against the sockets.

    views: namespaces whose tcpsm must list the connection.
    owners: {'client': ns, 'server': ns} where each endpoint's socket lives.
    extra: optional function(conn_line, sockets) raising Mismatch.
    """
    socks = {
        'client': socket_of(owners['client'], client, server),
        'server': socket_of(owners['server'], server, client),
    }
    for ns in views:
        c = find_conn(ns, client, server)
        if c is None:
            raise Mismatch(f'ns {ns}: connection {client} -> {server} not in conns')
        for role in ('client', 'server'):
            sk = socks[role]
            want = sk['state'] if sk else 'CLOSED'
            got = c[f'{role}_state']
            if got != want:
                raise Mismatch(f'ns {ns}: {role} tcpsm={got} kernel={want}\n  {c}')
            if sk and c[f'ka_unanswered_{role}'] != str(sk['probes']) and sk['timer'] == 2:
                raise Mismatch(f'ns {ns}: {role} keepalive unanswered tcpsm='
                               f'{c[f"ka_unanswered_{role}"]} kernel={sk["probes"]}')
            if sk and want == 'TIME_WAIT':
                left = int(c['timer_ms'])
                if c['timer'] != 'time_wait' or abs(left - sk['timer_ms']) > 1000:
                    raise Mismatch(f'ns {ns}: {role} TIME_WAIT left tcpsm={c["timer"]}:'
                                   f'{left} ms kernel={sk["timer_ms"]} ms')
        if extra:
            extra(c, socks)


def settle(fn, timeout=5.0):
    """Retry fn until it stops raising Mismatch: the connection goes quiet."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return fn()
        except Mismatch:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Runner:
    """One line per case, then 'N passed, N failed'."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, fn, *args, limit=60):
        t0 = time.monotonic()

        def timeout(_sig, _frame):
            raise TimeoutError(f'case still running after {limit} s')
        signal.signal(signal.SIGALRM, timeout)
        signal.alarm(limit)
        try:
            fn(*args)
        except Exception as e:  # a failed case must not stop the others
            signal.alarm(0)
            self.failed += 1
            print(f'FAIL {name}: {type(e).__name__}: {e}', flush=True)
        else:
            signal.alarm(0)
            self.passed += 1
            print(f'ok   {name} ({time.monotonic() - t0:.1f} s)', flush=True)

    def finish(self):
        print(f'{self.passed} passed, {self.failed} failed', flush=True)
        sys.exit(1 if self.failed or not self.passed else 0)
