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
    return parse_proc_tcp(read_in(ns, '/proc/net/tcp'), socket.AF_INET) + \
        parse_proc_tcp(read_in(ns, '/proc/net/tcp6'), socket.AF_INET6)


def parse_proc_tcp(text, fam):
    """/proc/net/tcp (AF_INET) or tcp6 (AF_INET6) as a list of dicts."""
    out = []
    for line in text.splitlines()[1:]:
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
            # the "timeout" column is icsk_probes_out (keepalive, zero window)
            'probes': int(f[8]),
            'retrans': int(f[6], 16),
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


def listener_of(ns, local):
    """The listening socket that would take a SYN for LOCAL, if any."""
    for s in kernel_sockets(ns):
        if s['state'] == 'LISTEN' and s['local'][1] == local[1] and \
                s['local'][0] in (local[0], '0.0.0.0', '::'):
            return s
    return None


class Mismatch(Exception):
    pass


def find_conn(ns, client, server):
    for c in parse_conns(read_in(ns, '/proc/net/tcpsm/conns')):
        if split_ep(c['client']) == client and split_ep(c['server']) == server:
            return c
    return None


def _swap_words(s):
    return s.replace('client', '\0').replace('server', 'client').replace('\0', 'server')


def _swap_roles(c):
    """The same line with client and server exchanged (keys and values: the
    history's letters change case)."""
    out = {}
    for k, v in c.items():
        if k in ('ka_dead', 'local', 'closer', 'end'):
            v = _swap_words(v)
        elif k == 'history':
            v = v.swapcase()
        out[_swap_words(k)] = v
    return out


def find_either(ns, client, server):
    """The connection with CLIENT and SERVER in the test's roles, whichever
    end tcpsm took for the client (after a simultaneous open each namespace
    may name its own SYN's sender)."""
    c = find_conn(ns, client, server)
    if c is None:
        c = find_conn(ns, server, client)
        if c is not None:
            c = _swap_roles(c)
            c['swapped'] = '1'
    return c


def compare(views, owners, client, server, extra=None, sock_keys=None):
    """Check every namespace's tcpsm view of one connection against the sockets.

    views: namespaces whose tcpsm must list the connection.
    owners: {'client': ns, 'server': ns} where each endpoint's socket lives.
    extra: optional function(conn_line, sockets) raising Mismatch.
    sock_keys: {'client': (local, remote), 'server': ...} when a socket sees
    other addresses than the entry's (NAT); default the entry's own.
    """
    keys = sock_keys or {'client': (client, server), 'server': (server, client)}
    socks = {role: socket_of(owners[role], *keys[role]) for role in ('client', 'server')}
    for ns in views:
        c = find_either(ns, client, server)
        if c is None:
            raise Mismatch(f'ns {ns}: connection {client} -> {server} not in conns')
        for role in ('client', 'server'):
            sk = socks[role]
            want = sk['state'] if sk else 'CLOSED'
            got = c[f'{role}_state']
            if got == 'LISTEN' and not sk and role == 'server' and \
                    listener_of(owners['server'], server):
                want = 'LISTEN'     # a SYN sent to it, unanswered: its socket is the listener
            if got != want:
                raise Mismatch(f'ns {ns}: {role} tcpsm={got} kernel={want}\n  {c}')
            if sk and sk['timer'] == 2 and want == 'ESTABLISHED' and \
                    c[f'ka_unanswered_{role}'] != str(sk['probes']):
                raise Mismatch(f'ns {ns}: {role} keepalive unanswered tcpsm='
                               f'{c[f"ka_unanswered_{role}"]} kernel={sk["probes"]}\n  {c}')
            other = c['server_state' if role == 'client' else 'client_state']
            if sk and want == 'TIME_WAIT' and sk['timer'] == 3 and \
                    other in ('CLOSED', 'TIME_WAIT'):
                # (else the entry's one timer may be the other end's, earlier)
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


# Topologies: name -> (client ns, server ns, client addr v4/v6, server addr
# v4/v6, namespaces whose tcpsm must list the connection).
TOPOLOGIES = {
    'loopback': ('lo_a', 'lo_a', ('127.0.0.1', '::1'), ('127.0.0.1', '::1'), ('lo_a',)),
    'veth': ('veth_a', 'veth_b', ('10.0.0.1', 'fd00::1'), ('10.0.0.2', 'fd00::2'),
             ('veth_a', 'veth_b')),
    # client ns -- veth -- router ns (forwarding: tcpsm observes) -- veth -- server ns
    'router': ('rt_c', 'rt_s', ('10.1.0.1', 'fd01::1'), ('10.2.0.1', 'fd02::1'),
               ('rt_c', 'rt_r', 'rt_s')),
}
ROUTER_NS = 'rt_r'


def _addrs(ns, dev, v4, v6):
    sh(f'ip -n {ns} addr add {v4}/24 dev {dev} && '
       f'ip -n {ns} addr add {v6}/64 dev {dev} nodad && ip -n {ns} link set {dev} up')


def setup(router=False):
    """The namespaces of the topologies (the router only when asked)."""
    for ns in ('lo_a', 'veth_a', 'veth_b'):
        add_netns(ns)
    sh('ip -n veth_a link add eth0 type veth peer name eth0 netns veth_b')
    _addrs('veth_a', 'eth0', '10.0.0.1', 'fd00::1')
    _addrs('veth_b', 'eth0', '10.0.0.2', 'fd00::2')
    if not router:
        return
    for ns in ('rt_c', 'rt_r', 'rt_s'):
        add_netns(ns)
    sh('ip -n rt_c link add eth0 type veth peer name c0 netns rt_r')
    sh('ip -n rt_s link add eth0 type veth peer name s0 netns rt_r')
    _addrs('rt_c', 'eth0', '10.1.0.1', 'fd01::1')
    _addrs('rt_r', 'c0', '10.1.0.254', 'fd01::fe')
    _addrs('rt_r', 's0', '10.2.0.254', 'fd02::fe')
    _addrs('rt_s', 'eth0', '10.2.0.1', 'fd02::1')
    sh('ip netns exec rt_r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1')
    for ns, v4, v6 in (('rt_c', '10.1.0.254', 'fd01::fe'), ('rt_s', '10.2.0.254', 'fd02::fe')):
        sh(f'ip -n {ns} route add default via {v4} && ip -n {ns} -6 route add default via {v6}')


class Conn:
    """One connection of a topology made with Python sockets: the sockets and
    what to compare."""

    def __init__(self, topo, family, keepalive=None, port=0):
        self.cns, self.sns, caddrs, saddrs, _views = TOPOLOGIES[topo]
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
    """An extra check for compare(): the states tcpsm must show."""
    def fn(c, _socks):
        if (c['client_state'], c['server_state']) != (client, server):
            raise Mismatch(f'expected {client}/{server}, got {c}')
    return fn


DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      '../../tools/tcpsm-scenario/tcpsm-scenario')


class DriverError(Exception):
    pass


class Driver:
    """tools/tcpsm-scenario, one command at a time: do() returns the words
    after "ok" or raises DriverError with the "err" line."""

    def __init__(self, ns=None, cpu=None):
        argv = [os.path.normpath(DRIVER)]
        if cpu is not None:
            argv = ['taskset', '-c', str(cpu)] + argv
        if ns:
            argv = ['ip', 'netns', 'exec', ns] + argv
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)

    def send(self, *lines):
        """Queue commands without waiting (they run back to back)."""
        for line in lines:
            self.p.stdin.write(line + '\n')
        self.p.stdin.flush()

    def answer(self):
        r = self.p.stdout.readline().split()
        if not r:
            raise DriverError('driver exited')
        if r[0] != 'ok':
            raise DriverError(' '.join(r))
        return r[1:]

    def do(self, line):
        self.send(line)
        return self.answer()

    def close(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.write('quit\n')
                self.p.stdin.close()
            except OSError:
                pass
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def compare_all(owners_by_ns, views):
    """Every connection each view lists against the sockets: a bulk compare().

    owners_by_ns: the namespaces where the sockets live. Returns the number
    of connections compared; raises Mismatch listing the disagreements.
    """
    socks = {}
    for ns in owners_by_ns:
        for s in kernel_sockets(ns):
            socks[(s['local'], s['remote'])] = s
    bad = []
    n = 0
    for ns in views:
        for c in parse_conns(read_in(ns, '/proc/net/tcpsm/conns')):
            cl, sv = split_ep(c['client']), split_ep(c['server'])
            n += 1
            for role, me, peer in (('client', cl, sv), ('server', sv, cl)):
                sk = socks.get((me, peer))
                want = sk['state'] if sk else 'CLOSED'
                if c[f'{role}_state'] != want:
                    bad.append(f'ns {ns}: {c["client"]} -> {c["server"]} {role} '
                               f'tcpsm={c[f"{role}_state"]} kernel={want}')
    if bad:
        raise Mismatch(f'{len(bad)} disagreements, first: ' + '; '.join(bad[:5]))
    return n
