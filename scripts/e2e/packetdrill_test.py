#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""packetdrill drives real sockets while tcpsm watches: run as root in the VM.

packetdrill (scripts/packetdrill-build.sh) plays a scripted peer on a tun
device against a real socket, each script in a network namespace of its
own, as the kernel's runners do (unshare -n). It runs:

  - the kernel's own scripts, from the 6.12 source tree in the cache:
    tools/testing/selftests/net/packetdrill/*.pkt with the flags of its
    ksft_runner.sh, and tools/testing/selftests/net/netfilter/packetdrill/
    *.pkt with those of nf_conntrack_packetdrill.sh; IPv4 and IPv6 each;
  - tcpsm's own, scripts/e2e/packetdrill/*.pkt (the acceptability cases),
    with ksft_runner.sh's addresses and a looser tolerance (OwnSuite).

While a script runs, a sampler reads the namespace's /proc/net/tcpsm/conns
and /proc/net/tcp{,6} every 20 ms and compares, for each connection with a
local endpoint, tcpsm's state of that endpoint with its socket's (a socket
that is gone is CLOSED; a listener stands for an endpoint tcpsm has in
LISTEN; a socket tcpsm does not list is a disagreement too), and tcpsm's
count of unanswered keepalive probes with the socket's. A disagreement
seen in two samples in a row fails the script, unless EXCEPTIONS excuses
it.

packetdrill's own failure (the socket did not do what the script says) is
reported apart. A script that fails runs again with tcpsm, then, if it
fails again, without tcpsm: one that fails without tcpsm too fails on this
kernel anyway, and a timing error or a time-out says the machine was too
slow for the script; both are listed, not counted against tcpsm. One that
fails otherwise only with tcpsm loaded fails.

Without TCPSM_FULL=1, a subset (SUBSET) runs; arguments, if any, name the
scripts to run instead (file names or fnmatch patterns: 'rst-*.pkt'). Ends
with "N passed, N failed, N skipped", a script counted once per IP version.
"""
import collections
import ctypes
import fnmatch
import glob
import os
import re
import selectors
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import (load_module, parse_conns, parse_proc_tcp,  # noqa: E402
                       split_ep, unload_module)

TOP = os.environ.get('TCPSM_TOP') or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '../..'))
CACHE = os.environ.get('TCPSM_CACHE') or os.path.expanduser('~/.cache/tcpsm')
OWN = os.path.join(TOP, 'scripts/e2e/packetdrill')
FULL = os.environ.get('TCPSM_FULL') == '1'
SAMPLE_S = 0.020

# The exceptions: a disagreement that an observer of the wire cannot avoid,
# never a defect of tcpsm's state machine. Each names the script, the step
# (a regular expression matched against the packetdrill events around the
# disagreement's start, written as in a script: "< F. 1:1(0) ...",
# "> S 0:0(0) ...", "close()"), the two states (tcpsm's, the socket's) and
# why nothing on the wire shows what the socket did.
Excuse = collections.namedtuple('Excuse', 'script step tcpsm socket reason')
EXCEPTIONS = (
    Excuse('tcp_md5_md5-only-on-client-ack.pkt', r'^< \. 1:1\(0\) ack \d+ .*<md5 ',
           'ESTABLISHED', 'SYN_RCVD',
           'TCP-MD5: the kernel drops an ACK carrying an MD5 option the listener '
           'has no key for after the netfilter hooks (tcp_inbound_md5_hash); '
           'the wire shows an ACK that completes the handshake'),
    # The blind spots of tcpsm's own scripts: each must end (the sampler
    # checks that it did) by the segment or timer README.md names.
    Excuse('blind-close-syn-sent.pkt', r'^close\(\)$', 'SYN_SENT', 'CLOSED',
           'close() in SYN_SENT sends nothing; until the SYN+ACK is answered '
           'with a RST, or the SYN_SENT timeout'),
    Excuse('blind-close-queued.pkt', r'^close\(\)$', 'ESTABLISHED', 'FIN_WAIT_1',
           'close() with data queued: FIN_WAIT_1 before the FIN can leave; '
           'until it does'),
    Excuse('blind-fastopen-connect.pkt', r'^connect\(\)$', '(none)', 'SYN_SENT',
           'TCP_FASTOPEN_CONNECT: connect() returns before any SYN; until the '
           'first write sends it'),
    Excuse('blind-user-timeout.pkt', r'^> P\. \d+:\d+\(100\)', 'ESTABLISHED', 'CLOSED',
           'TCP_USER_TIMEOUT closes the socket silently; until the next segment '
           'from the peer is answered with a RST'),
)

# make check's share (TCPSM_FULL=1 runs every script): tcpsm's own, the
# netfilter scripts about RSTs and a SYN on an established connection, and
# from the TCP selftests an active open and close, TCP-MD5 (the exception
# above), and Fast Open on both sides.
SUBSET = (
    'tcp_inq_client.pkt', 'tcp_md5_md5-only-on-client-ack.pkt',
    'tcp_zerocopy_fastopen-client.pkt', 'tcp_zerocopy_fastopen-server.pkt',
    'conntrack_rst_invalid.pkt', 'conntrack_synack_reuse.pkt',
)

# The kernel runners' flags. ksft_runner.sh adds --tolerance_usecs=14000 when
# KSFT_MACHINE_SLOW is set: a VM under TCG is such a machine.
KSFT_ARGS = {
    4: ['--ip_version=ipv4', '--local_ip=192.168.0.1', '--gateway_ip=192.168.0.1',
        '--netmask_ip=255.255.0.0', '--remote_ip=192.0.2.1',
        '-D', 'CMSG_LEVEL_IP=SOL_IP', '-D', 'CMSG_TYPE_RECVERR=IP_RECVERR'],
    6: ['--ip_version=ipv6', '--mtu=1520', '--local_ip=fd3d:0a0b:17d6::1',
        '--gateway_ip=fd3d:0a0b:17d6:8888::1', '--remote_ip=fd3d:fa7b:d17d::1',
        '-D', 'CMSG_LEVEL_IP=SOL_IPV6', '-D', 'CMSG_TYPE_RECVERR=IPV6_RECVERR'],
}
KSFT_SLOW = ['--tolerance_usecs=14000']


class Suite:
    """A folder of scripts and how its kernel runner runs them."""

    def __init__(self, name, pkt_dir, cwd, needs, timeout):
        self.name = name
        self.pkt_dir = pkt_dir
        self.cwd = cwd
        self.needs = needs
        self.timeout = timeout

    def scripts(self):
        return sorted(glob.glob(os.path.join(self.pkt_dir, '*.pkt')))

    def argv(self, script, ipver):
        return KSFT_ARGS[ipver] + KSFT_SLOW + [os.path.relpath(script, self.cwd)]

    def env(self, ipver):
        return {}


class OwnSuite(Suite):
    """tcpsm's scripts: ksft_runner.sh's addresses, and a tolerance of
    250 ms: they are about states, and the gaps between their steps are
    100 ms or more, so that the sampler sees each state many times."""

    def argv(self, script, ipver):
        return KSFT_ARGS[ipver] + ['--tolerance_usecs=250000', os.path.basename(script)]


class NetfilterSuite(Suite):
    """nf_conntrack_packetdrill.sh: packetdrill's default addresses, a
    tolerance of 1 s, non-fatal packet errors, xtables per family."""

    def argv(self, script, ipver):
        return [f'--ip_version=ipv{ipver}', f'--mtu={1500 if ipver == 4 else 1520}',
                '--tolerance_usecs=1000000', '--non_fatal', 'packet',
                os.path.relpath(script, self.cwd)]

    def env(self, ipver):
        return {'NFCT_IP_VERSION': f'ipv{ipver}',
                'xtables': 'iptables' if ipver == 4 else 'ip6tables'}


def kernel_source():
    trees = sorted(glob.glob(os.path.join(CACHE, 'src', 'linux-source-6.12*')))
    trees = [t for t in trees if os.path.isdir(os.path.join(t, 'tools/testing/selftests/net'))]
    if not trees:
        sys.exit(f'no linux-source-6.12 tree under {CACHE}/src: '
                 'run scripts/build-test-kernel.sh --unpack-only on the host')
    return trees[-1]


def suites():
    net = os.path.join(kernel_source(), 'tools/testing/selftests/net')
    # Time limits: kselftest's default of 45 s and the netfilter runner's
    # 10 s, each four times over for TCG; tcpsm's own as the selftests.
    return [
        Suite('selftests/net/packetdrill', os.path.join(net, 'packetdrill'),
              os.path.join(net, 'packetdrill'), ['tun', 'pfifo'], 180),
        NetfilterSuite('selftests/net/netfilter/packetdrill',
                       os.path.join(net, 'netfilter/packetdrill'), os.path.join(net, 'netfilter'),
                       ['tun', 'pfifo', 'iptables', 'conntrack'], 40),
        OwnSuite('tcpsm', OWN, OWN, ['tun', 'pfifo'], 180),
    ]


# --- what a kernel lacks: scripts that cannot run say so --------------------

# What single scripts need beyond their suite: fnmatch pattern -> probes.
# Scripts with code blocks (%{ }%) need 'tcp_info' too (not_run()).
SCRIPT_NEEDS = (
    ('tcp_md5_*.pkt', ['md5']),
    ('*-fq-*.pkt', ['fq']),
)

# A code block's assertions read the socket's TCP_INFO, which packetdrill
# wants at least as long as the struct tcp_info it was built with.
TCP_INFO_PROBE = '''
    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
   +0 bind(3, ..., ...) = 0
   +0 listen(3, 1) = 0
   +0 < S 0:0(0) win 65535 <mss 1000>
   +0 > S. 0:0(0) ack 1 <mss 1460>
   +0 < . 1:1(0) ack 1 win 65535
   +0 accept(3, ..., ...) = 4
   +0 %{ assert tcpi_state == 1 }%
'''


def _scratch(cmd):
    """Run a shell command in a throwaway network namespace: None if it
    worked, else the last line it printed."""
    r = subprocess.run(['unshare', '-n', 'sh', '-c', 'ip link set lo up; ' + cmd],
                       capture_output=True, text=True)
    if r.returncode == 0:
        return None
    out = (r.stderr or r.stdout).strip().splitlines()
    return out[-1] if out else f'exit {r.returncode}'


def _probe_md5():
    # TCP_MD5SIG with a zeroed struct tcp_md5sig (216 bytes): EINVAL (no
    # address family) where TCP-MD5 is built in, ENOPROTOOPT where not.
    with socket.socket() as s:
        try:
            s.setsockopt(socket.IPPROTO_TCP, 14, bytes(216))
        except OSError as e:
            if e.errno == 92:
                return 'the kernel has no TCP-MD5 (CONFIG_TCP_MD5SIG)'
    return None


def _probe_tcp_info():
    path = '/tmp/tcpsm-tcp-info-probe.pkt'
    with open(path, 'w') as f:
        f.write(TCP_INFO_PROBE)
    r = subprocess.run(['unshare', '-n', packetdrill()] + KSFT_ARGS[4] + KSFT_SLOW + [path],
                       capture_output=True, text=True)
    os.unlink(path)
    if r.returncode == 0:
        return None
    with socket.socket() as s:
        have = len(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1024))
    if 'sizeof(struct _tcp_info)' in r.stderr:
        return (f'code blocks (%{{ }}%) need TCP_INFO as long as packetdrill\'s '
                f'struct tcp_info, longer than this kernel\'s ({have} bytes)')
    return f'code blocks (%{{ }}%) do not run: {first_error(r.stderr.splitlines())}'


def _probe_qdisc(kind, config):
    def probe():
        err = _scratch(f'ip tuntap add dev probe0 mode tun && ip link set probe0 up && '
                       f'tc qdisc add dev probe0 root {kind}')
        return err and f'no {kind} qdisc ({config}): {err}'
    return probe


def _probe_tool(tool, package, cmd, lacks):
    def probe():
        if not any(os.access(os.path.join(d, tool), os.X_OK)
                   for d in os.environ['PATH'].split(':')):
            return f'{tool} is not installed (Debian package {package})'
        err = _scratch(cmd)
        return err and f'{lacks}: {err}'
    return probe


PROBES = {
    'tun': lambda: None if os.path.exists('/dev/net/tun') else
    'no /dev/net/tun (CONFIG_TUN)',
    'pfifo': _probe_qdisc('pfifo', 'CONFIG_NET_SCH_FIFO'),
    'fq': _probe_qdisc('fq', 'CONFIG_NET_SCH_FQ'),
    'md5': _probe_md5,
    'tcp_info': _probe_tcp_info,
    'iptables': _probe_tool('iptables', 'iptables',
                            'iptables -A INPUT -m conntrack --ctstate INVALID -j DROP && '
                            'ip6tables -A INPUT -m conntrack --ctstate INVALID -j DROP',
                            'no iptables conntrack match (CONFIG_NFT_COMPAT, '
                            'CONFIG_NETFILTER_XT_MATCH_CONNTRACK)'),
    'conntrack': _probe_tool('conntrack', 'conntrack',
                             'modprobe -q nf_conntrack; conntrack -L',
                             'conntrack -L fails (CONFIG_NF_CT_NETLINK)'),
}
_probed = {}


def not_run(suite, script):
    """Why SCRIPT cannot run on this kernel, or None."""
    needs = list(suite.needs)
    for pat, more in SCRIPT_NEEDS:
        if fnmatch.fnmatch(os.path.basename(script), pat):
            needs += more
    with open(script) as f:
        if '%{' in f.read():
            needs.append('tcp_info')
    for n in needs:
        if n not in _probed:
            _probed[n] = PROBES[n]()
        if _probed[n]:
            return _probed[n]
    return None


# --- one run of one script, and the sampler --------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def _new_netns():
    if _libc.unshare(CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), 'unshare(CLONE_NEWNET)')


_packetdrill = []


def packetdrill():
    """The binary scripts/packetdrill-build.sh built on the host."""
    if not _packetdrill:
        r = subprocess.run([os.path.join(TOP, 'scripts/packetdrill-build.sh'), '--check'],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit(r.stderr.strip())
        _packetdrill.append(r.stdout.strip())
    return _packetdrill[0]


EVENT = re.compile(r'^(outbound sniffed|inbound injected) packet:\s+\S+ (.*?)\s*$'
                   r'|^(\w+) syscall: ')


def step_of(line):
    """A line of packetdrill --verbose as a script would write it, or None.
    An inbound segment is printed before it is injected; a system call and
    an outbound segment after they happened."""
    m = EVENT.match(line)
    if not m:
        return None
    if m.group(1):
        return ('>' if m.group(1).startswith('out') else '<') + ' ' + m.group(2)
    return m.group(3) + '()'


# steps: the last event printed before the sample that first saw the
# disagreement, then any printed before the sample that saw it again;
# last_in: the last segment injected before the first of them; ended: it
# was gone by the script's last sample (tcpsm converged).
Finding = collections.namedtuple('Finding', 'key t steps last_in what tcpsm socket line ended',
                                 defaults=(True,))


def observe(pid, ipver, t):
    """One sample of the namespace of PID, whose sockets are of IPVER: its
    disagreements, by key, each a Finding without steps."""
    base = f'/proc/{pid}/net/'
    with open(base + 'tcpsm/conns') as f:
        conns = parse_conns(f.read())
    with open(base + ('tcp' if ipver == 4 else 'tcp6')) as f:
        socks = {(s['local'], s['remote']): s for s in
                 parse_proc_tcp(f.read(), socket.AF_INET if ipver == 4 else socket.AF_INET6)}
    listeners = [s for s in socks.values() if s['state'] == 'LISTEN']
    found = {}

    def add(key, what, got, want, line):
        found[key] = Finding(key, t, (), '', what, got, want, line)

    seen = set()
    for c in conns:
        role = c.get('local')
        if role not in ('client', 'server'):
            continue        # forwarded (none), or loopback (both): not packetdrill's
        other = 'server' if role == 'client' else 'client'
        me, peer = split_ep(c[role]), split_ep(c[other])
        seen.add((me, peer))
        sk = socks.get((me, peer))
        got = c[f'{role}_state']
        want = sk['state'] if sk else 'CLOSED'
        if got == 'LISTEN' and not sk and any(
                ls['local'][1] == me[1] and ls['local'][0] in (me[0], '0.0.0.0', '::')
                for ls in listeners):
            want = 'LISTEN'
        line = c['family'] + ''.join(f' {k}={v}' for k, v in c.items() if k != 'family')
        if got != want:
            add(('state', me, peer, got, want), f'{role} (local) state', got, want, line)
            continue
        if not sk or want != 'ESTABLISHED' or sk['timer'] not in (1, 2):
            continue
        # Keepalive probes go out only with nothing in flight (timer 2), and
        # the socket counts them in icsk_probes_out. With data in flight
        # (timer 1) a segment at snd_nxt - 1 is a retransmission, no probe.
        ka = int(c[f'ka_unanswered_{role}'])
        if (sk['timer'] == 2 and ka != sk['probes']) or \
                (sk['timer'] == 1 and ka > sk['probes']):
            timer = 'keepalive' if sk['timer'] == 2 else 'retransmission'
            add(('keepalive', me, peer), f'{role} (local) keepalive probes unanswered',
                str(ka), f'{sk["probes"]} ({timer} timer, {sk["retrans"]} retransmissions)',
                line)
    for (me, peer), sk in socks.items():
        if sk['state'] != 'LISTEN' and (me, peer) not in seen:
            add(('state', me, peer, None, sk['state']), 'local endpoint not in conns',
                '(none)', sk['state'], '(none)')
    return found


def mid_connect(key, steps):
    """A socket seen in SYN_SENT without an entry while its connect() has not
    returned (packetdrill prints a system call once it has): the socket
    enters SYN_SENT before its SYN is built and sent, and a vCPU preempted
    there (the host runs other VMs) stretches that instant over samples.
    Once connect() returns the SYN is out, and a missing entry counts."""
    if key[0] != 'state' or key[3] is not None or key[4] != 'SYN_SENT':
        return False
    last_socket = max((i for i, s in enumerate(steps) if s == 'socket()'), default=-1)
    return 'connect()' not in steps[last_socket + 1:]


class Run:
    """One packetdrill run of one script: its outcome and what the sampler saw."""

    def __init__(self, rc, err, secs, samples, gap, findings):
        self.rc = rc
        self.err = err
        self.secs = secs
        self.samples = samples
        self.gap = gap          # the longest time between two samples
        self.findings = findings


def run_script(suite, script, ipver, sample):
    argv = ['stdbuf', '-oL', packetdrill(), '--verbose'] + suite.argv(script, ipver)
    env = dict(os.environ, **suite.env(ipver))
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=suite.cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         preexec_fn=_new_netns)
    sel = selectors.DefaultSelector()
    bufs = {p.stdout.fileno(): b'', p.stderr.fileno(): b''}
    for fd in bufs:
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    errs = []
    steps = ['(start)']
    samples = 0
    last = gap = 0.0
    prev = {}           # the last sample's disagreements: key -> (Finding, len(steps) then)
    findings = {}       # those seen in two samples in a row: key -> Finding
    deadline = t0 + suite.timeout
    next_sample = t0
    timed_out = False

    def take_lines(fd, data):
        bufs[fd] += data
        *lines, bufs[fd] = bufs[fd].split(b'\n')
        for raw in lines:
            line = raw.decode(errors='replace')
            if fd == p.stderr.fileno():
                errs.append(line)
            elif step_of(line):
                steps.append(step_of(line))

    while sel.get_map():
        now = time.monotonic()
        if now > deadline and not timed_out:
            timed_out = True
            p.kill()
        for key, _ in sel.select(max(0.0, next_sample - now) if sample else 1.0):
            data = os.read(key.fd, 65536)
            if data:
                take_lines(key.fd, data)
            else:
                sel.unregister(key.fd)
        now = time.monotonic()
        if not sample or now < next_sample or p.poll() is not None:
            continue
        next_sample = max(next_sample + SAMPLE_S, now)
        try:
            cur = observe(p.pid, ipver, now - t0)
        except (FileNotFoundError, ProcessLookupError):
            continue    # exiting: its namespace is going
        samples += 1
        if last:
            gap = max(gap, now - last)
        last = now
        seen = {}
        for key, f in cur.items():
            if key in prev:
                first, n = prev[key]
                seen[key] = prev[key]
                if key not in findings and not mid_connect(key, steps):
                    last_in = next((s for s in reversed(steps[:n]) if s[0] == '<'), '')
                    findings[key] = first._replace(steps=tuple(steps[n - 1:]),
                                                   last_in=last_in)
            else:
                seen[key] = (f, len(steps))
        prev = seen
    for key in prev:
        if key in findings:
            findings[key] = findings[key]._replace(ended=False)
    for fd in bufs:
        if bufs[fd]:
            take_lines(fd, b'\n')
    rc = p.wait()
    err = [e for e in errs if e.strip()]
    if timed_out:
        rc = -1
        err = [f'timed out after {suite.timeout} s'] + err
    elif rc and not err:
        err = [f'exit {rc}']
    return Run(rc, err, time.monotonic() - t0, samples, gap, list(findings.values()))


def where(f):
    """The steps a disagreement began after."""
    text = f'after "{f.steps[0]}"'
    if len(f.steps) > 1:
        text += ' (or ' + ', '.join(f'"{s}"' for s in f.steps[1:]) + \
            ', printed by the next sample)'
    if f.last_in and f.last_in != f.steps[0]:
        text += f' (last in: "{f.last_in}")'
    return text


def excuse_for(script, f):
    for e in EXCEPTIONS:
        if e.script == os.path.basename(script) and e.tcpsm == f.tcpsm and \
                e.socket == f.socket and \
                any(re.search(e.step, s) for s in f.steps + (f.last_in,)):
            return e
    return None


def first_error(err):
    """packetdrill's error in one line: the line naming the script line."""
    for line in err:
        if re.search(r'\.pkt:\d+:', line) or 'timed out' in line:
            return line.strip()
    return err[0].strip() if err else ''


def wanted(suite, script):
    name = os.path.basename(script)
    if sys.argv[1:]:
        return any(fnmatch.fnmatch(name, p) for p in sys.argv[1:])
    return FULL or isinstance(suite, OwnSuite) or name in SUBSET


class Verdicts:
    """The counts, and what the closing summary lists."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.bad = []           # (name, Finding)
        self.excused = []       # (name, Finding, Excuse)
        self.pd = []            # (name, what became of it, packetdrill's error)


def run_case(v, suite, script, ipver):
    """One script on one IP version: print its line, count it."""
    name = f'{os.path.basename(script)} ipv{ipver}'
    why = not_run(suite, script)
    if why:
        v.skipped += 1
        print(f'skip {name}: not run: {why}', flush=True)
        return
    runs = [run_script(suite, script, ipver, True)]
    if runs[0].rc:
        runs.append(run_script(suite, script, ipver, True))
    findings = {}       # the same disagreement in both runs, once
    for run in runs:
        for f in run.findings:
            findings.setdefault((f.what, f.tcpsm, f.socket), f)
    mine = []
    for f in sorted(findings.values(), key=lambda f: f.t):
        e = excuse_for(script, f)
        if e and not f.ended:
            f = f._replace(what=f.what + ', never converged (excused only until '
                           'the next segment or timer)')
            e = None
        if e:
            v.excused.append((name, f, e))
        else:
            mine.append(f)
            v.bad.append((name, f))

    pd_fail = False
    note = ''
    if runs[-1].rc:
        err = first_error(runs[-1].err)
        unload_module()
        alone = run_script(suite, script, ipver, False)
        load_module()
        if 'timing error' in err or 'timed out' in err:
            what = 'the machine too slow for the script\'s timing' + \
                ('' if alone.rc else ' (passed without tcpsm)')
        elif alone.rc:
            what = 'fails without tcpsm too: the upstream script fails on this kernel'
        else:
            what = 'FAILS ONLY WITH TCPSM LOADED'
            pd_fail = True
        v.pd.append((name, what, err))
        note = f'; packetdrill failed twice: {what}'
    elif runs[0].rc:
        note = f'; packetdrill failed once, then passed: {first_error(runs[0].err)}'
    secs = sum(run.secs for run in runs)
    samples = f'{sum(run.samples for run in runs)} samples, ' \
        f'gaps up to {max(run.gap for run in runs) * 1000:.0f} ms'
    if mine or pd_fail:
        v.failed += 1
        print(f'FAIL {name}: {len(mine)} disagreement(s) ({secs:.1f} s, '
              f'{samples}{note})', flush=True)
        for f in mine:
            print(f'     t={f.t:.3f} s {where(f)}: {f.what}: tcpsm={f.tcpsm} '
                  f'socket={f.socket}\n       {f.line}', flush=True)
    else:
        v.passed += 1
        print(f'ok   {name} ({secs:.1f} s, {samples}{note})', flush=True)


def main():
    packetdrill()
    subprocess.run(['modprobe', '-q', 'tun'], check=False)
    load_module()
    t_start = time.monotonic()
    cases = []
    left_out = []
    counts = []
    for suite in suites():
        chosen = [s for s in suite.scripts() if wanted(suite, s)]
        left_out += [os.path.basename(s) for s in suite.scripts() if s not in chosen]
        cases += [(suite, s, v) for s in chosen for v in (4, 6)]
        counts.append(f'{len(chosen)} from {suite.name}')
    print(f'packetdrill, kernel {os.uname().release}: {", ".join(counts)}; '
          'IPv4 and IPv6 each', flush=True)
    if left_out:
        why = 'not named' if sys.argv[1:] else 'not in make check\'s subset; TCPSM_FULL=1 runs them'
        print(f'not run ({why}): {" ".join(left_out)}', flush=True)

    v = Verdicts()
    for suite, script, ipver in cases:
        run_case(v, suite, script, ipver)

    if v.pd:
        print('\npacketdrill failures (the socket did not do what the script says):')
        for name, what, err in v.pd:
            print(f'  {name}: {what}: {err}')
    if v.excused:
        print('\nexcused by EXCEPTIONS (what an observer of the wire cannot see):')
        for name, f, e in v.excused:
            print(f'  {name}: t={f.t:.3f} s {where(f)}: {f.what}: '
                  f'tcpsm={f.tcpsm} socket={f.socket}: {e.reason}')
    if v.bad:
        print('\ndisagreements:')
        for name, f in v.bad:
            print(f'  {name}: {where(f)}: {f.what}: tcpsm={f.tcpsm} socket={f.socket}')
    print(f'\npacketdrill suite: {time.monotonic() - t_start:.0f} s', flush=True)
    print(f'{v.passed} passed, {v.failed} failed, {v.skipped} skipped', flush=True)
    sys.exit(1 if v.failed or not v.passed else 0)


if __name__ == '__main__':
    main()
