#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A fuzzer for tcpsm's generic netlink family, inside the VM.

A fixed count of random and mutated messages (4000, 1000 on the debug
kernel; TCPSM_FULL=1: 20000, 3000; the seed is printed; set
TCPSM_NL_FUZZ_SEED to replay a run, TCPSM_NL_FUZZ_COUNT to change the count),
from a privileged socket and from one opened by an unprivileged user, to a
namespace whose table holds injected connections: unknown commands and
attributes, attributes of the wrong type and length, nested garbage, bad
lengths, odd flags and headers, dumps with any filter, and mutations of all
of these. Each message is followed by a barrier (config-get with an ack), so
every reply is matched to its message, and checked against an oracle of
what the family documents (docs/netlink/tcpsm.yaml, README) and genetlink
does with a request:

  no NLM_F_REQUEST                 an ack if NLM_F_ACK, nothing else
  not the family's id              ENOENT (no such family)
  shorter than the genl header     EINVAL
  genl header reserved field set,  EINVAL "ambiguous or reserved bits..."
  or a flag genetlink cannot honour
  an unknown command, the event    EOPNOTSUPP
  command, a dump of a do-only one
  a dump while one runs on the     EBUSY (netlink: one dump per socket)
  socket
  any of the five commands         EINVAL for attributes that do not parse
  conn-get, config-set             ERANGE, EINVAL (the policies), or:
  conn-get do                      EINVAL (tuple incomplete or inconsistent),
                                   ENOENT "no such connection", or the entry
  config-set, flush                EPERM unless CAP_NET_ADMIN, else success
  stats-get, config-get            success (no policy: attributes ignored)

Any other errno fails; so do EINVAL, ERANGE and EPERM without an extack
(a message or the missing attribute) once the message reached the family.
A successful config-set must have set what it carried, in the spec's ranges;
the config never changes otherwise. Then dumps at scale: a table of N
injected SYNs (20000, 3000 on the debug kernel; TCPSM_FULL=1: 10^6, 20000), dumps
abandoned part way (the socket closed), a whole one (each entry once), one
through inserts and a flush (NLM_F_DUMP_INTR, DONE). At the end the module must
unload (no dump left holding it); the VM runner fails on any splat or leak.
"""
import errno
import os
import random
import socket
import struct
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tcpsm_e2e import Runner, load_module, netns, sh, unload_module  # noqa: E402
from netlink_test import SPEC  # noqa: E402
from netlink_scale_test import (  # noqa: E402
    CMD_CONFIG_GET, CMD_CONFIG_SET, CMD_CONN_GET, CMD_FLUSH, CMD_STATS_GET, CMD_EVENT,
    FULL, NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
    NLMSG_DONE, NLMSG_ERROR, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NETLINK_EXT_ACK,
    SOL_NETLINK, A_STATS_ACTIVE, Failed, Genl, client_key, dump_start, inject, nla,
    parse_attrs, setup_inject_ns, stats_proc, sysctl_w)

NS = 'sc_a'		# setup_inject_ns(): injected SYNs land here
# Sized for make check's budget and the VM runner's 900 s: the debug kernel
# under TCG handles about a tenth of the stock kernel's messages and SYNs a
# second, so the 10^6 entries are the stock kernel's.
DEBUG_KERNEL = os.environ.get('TCPSM_VM_KERNEL') == 'test'
N = (20000 if FULL else 3000) if DEBUG_KERNEL else (1000000 if FULL else 20000)
COUNT = int(os.environ.get('TCPSM_NL_FUZZ_COUNT', (3000 if FULL else 1000) if DEBUG_KERNEL
                           else (20000 if FULL else 4000)))
SEED = int(os.environ.get('TCPSM_NL_FUZZ_SEED', 0)) or random.SystemRandom().randrange(1, 1 << 31)
NLA_F_NET_BYTEORDER = 0x4000
NLM_F_ECHO = 0x8
DO_CMDS = (CMD_CONN_GET, CMD_STATS_GET, CMD_CONFIG_GET, CMD_CONFIG_SET, CMD_FLUSH)
ADMIN_CMDS = (CMD_CONFIG_SET, CMD_FLUSH)
POLICY_CMDS = (CMD_CONN_GET, CMD_CONFIG_SET)	# the others have no policy
# the last command the spec defines: the ones above it are unknown
with open(SPEC) as _f:
    CMD_LAST = len(yaml.safe_load(_f)['operations']['list'])
EXTACK_ERRS = (errno.EINVAL, errno.ERANGE, errno.EPERM)


def spec_config():
    """{config attribute id: (min, max)} from the YAML spec."""
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    aset = next(s for s in spec['attribute-sets'] if s['name'] == 'config')
    out = {}
    for i, a in enumerate(aset['attributes'], 1):
        if a.get('type') == 'u32':
            c = a.get('checks', {})
            out[i] = (c.get('min', 0), c.get('max', 0xffffffff))
    return out


CONFIG = spec_config()


def u8(v):
    return struct.pack('=B', v & 0xff)


def u16(v):
    return struct.pack('=H', v & 0xffff)


def u32(v):
    return struct.pack('=I', v & 0xffffffff)


class Gen:
    """Messages to fuzz with: (name, genl command, nlmsg flags, payload, tweak)."""

    def __init__(self, rnd):
        self.r = rnd

    def value(self):
        r = self.r
        return r.choice([b'', u8(r.randrange(256)), u16(r.randrange(1 << 16)),
                         u32(r.choice([0, 1, 2, 10, 3600, 3601, 86400, 1 << 24, (1 << 24) + 1,
                                       0x7fffffff, 0xffffffff, r.randrange(1 << 32)])),
                         struct.pack('=Q', r.randrange(1 << 64)), r.randbytes(r.randrange(1, 40)),
                         b'\0' * r.choice([3, 5, 15, 16, 17])])

    def attr(self, atype):
        return nla(atype, self.value())

    def conn_tuple(self):
        r = self.r
        fam = r.choice([2, 10, 2, 10, 0, 1, 255])
        alen = {2: 4, 10: 16}.get(fam, r.choice([4, 16]))
        if r.random() < 0.2:
            alen = r.choice([0, 3, 5, 15, 17])
        attrs = [nla(1, u8(fam)), nla(2, r.randbytes(alen)), nla(3, u16(r.randrange(1 << 16))),
                 nla(4, r.randbytes(alen)), nla(5, u16(r.randrange(1 << 16)))]
        if r.random() < 0.3:
            del attrs[r.randrange(len(attrs))]
        if r.random() < 0.2:
            attrs.insert(r.randrange(len(attrs) + 1), self.attr(r.randrange(1, 33)))
        if r.random() < 0.2:
            r.shuffle(attrs)
        return b''.join(attrs)

    def dump_filter(self):
        r = self.r
        out = b''
        for atype, mk in ((1, lambda: u8(r.choice([2, 10, 0, 7]))),
                          (28, lambda: u32(r.choice([0, 4, 10, 11, 12, r.randrange(1 << 32)]))),
                          (29, lambda: u16(r.randrange(1 << 16))),
                          (6, lambda: u32(r.choice([0, 1, 2, 3, 4, 99])))):
            if r.random() < 0.35:
                out += nla(atype, mk())
        return out

    def config(self):
        r = self.r
        out = b''
        for _ in range(r.randrange(1, 5)):
            a = r.randrange(1, 16)
            lo, hi = CONFIG[a]
            v = r.choice([lo, hi, r.randint(lo, hi), r.randint(lo, hi), lo - 1, hi + 1,
                          r.randrange(1 << 32)])
            out += nla(a, u32(v))
        return out

    def nested_garbage(self, depth=0):
        r = self.r
        out = b''
        for _ in range(r.randrange(1, 4)):
            if depth < 3 and r.random() < 0.4:
                out += nla(r.randrange(0, 40) | NLA_F_NESTED, self.nested_garbage(depth + 1))
            else:
                out += self.attr(r.randrange(0, 40))
        return out

    def message(self):
        """One (name, cmd, flags, payload); a few names bend the header too."""
        r = self.r
        req = NLM_F_REQUEST | NLM_F_ACK
        kind = r.choice(['valid', 'valid', 'unknown-cmd', 'unknown-attr', 'wrong-length',
                         'nested-garbage', 'flags', 'bad-attr-len', 'mutated', 'mutated',
                         'conn-get', 'conn-dump', 'config-set', 'header'])
        if kind == 'valid':
            cmd = r.choice(DO_CMDS)
            payload = {CMD_CONN_GET: self.conn_tuple, CMD_CONFIG_SET: self.config}.get(
                cmd, lambda: b'')()
            if cmd == CMD_CONN_GET and r.random() < 0.3:
                return kind, cmd, req | NLM_F_DUMP, self.dump_filter()
            return kind, cmd, req, payload
        if kind == 'unknown-cmd':
            cmd = r.choice([0, CMD_EVENT, CMD_LAST + 1, 100, 255,
                            r.randrange(CMD_LAST + 1, 256)])
            return kind, cmd, req | r.choice([0, NLM_F_DUMP]), self.nested_garbage()
        if kind == 'unknown-attr':
            cmd = r.choice(DO_CMDS)
            return kind, cmd, req, nla(r.choice([0, 16, 30, 31, 40, 200, 0x3fff]),
                                       self.value()) + self.config()
        if kind == 'wrong-length':
            cmd = r.choice(POLICY_CMDS)
            a = r.randrange(1, 16 if cmd == CMD_CONFIG_SET else 30)
            return kind, cmd, req | (NLM_F_DUMP if r.random() < 0.3 else 0), self.attr(a)
        if kind == 'nested-garbage':
            cmd = r.choice(DO_CMDS)
            flags = req | (NLM_F_DUMP if cmd == CMD_CONN_GET and r.random() < 0.5 else 0)
            return kind, cmd, flags, self.nested_garbage()
        if kind == 'flags':
            cmd = r.choice(DO_CMDS)
            flags = r.choice([0, NLM_F_ACK, NLM_F_REQUEST, NLM_F_REQUEST | NLM_F_ECHO,
                              NLM_F_REQUEST | NLM_F_DUMP, NLM_F_REQUEST | 0x100,
                              NLM_F_REQUEST | 0x200, r.randrange(1 << 16)])
            return kind, cmd, flags, b''
        if kind == 'bad-attr-len':
            cmd = r.choice(DO_CMDS)
            body = self.config() if cmd == CMD_CONFIG_SET else self.conn_tuple()
            ln = r.choice([0, 1, 3, 4, 5, 0xffff, len(body) + 4, r.randrange(1 << 16)])
            return kind, cmd, req, body + struct.pack('=HH', ln, r.randrange(1, 16)) + \
                r.randbytes(r.randrange(0, 6))
        if kind == 'conn-get':
            return kind, CMD_CONN_GET, req, self.conn_tuple()
        if kind == 'conn-dump':
            return kind, CMD_CONN_GET, req | NLM_F_DUMP, self.dump_filter()
        if kind == 'config-set':
            return kind, CMD_CONFIG_SET, req, self.config()
        if kind == 'header':
            return kind, r.choice(DO_CMDS), req, b''
        # mutated: a message of another kind, with bytes flipped, cut or added
        name, cmd, flags, payload = self.message()
        p = bytearray(payload)
        for _ in range(r.randrange(1, 4)):
            op = r.randrange(3)
            if op == 0 and p:
                p[r.randrange(len(p))] = r.randrange(256)
            elif op == 1 and p:
                del p[r.randrange(len(p)):]
            else:
                pos = r.randrange(len(p) + 1)
                p[pos:pos] = r.randbytes(r.randrange(1, 8))
        return 'mutated', cmd, flags, bytes(p)


def header(g, kind, cmd, flags, payload, r):
    """The whole netlink message, maybe with a bent header (kind 'header')."""
    ftype, version, hdr_cut, what = g.family, 1, 0, -1
    if kind == 'header':
        what = r.randrange(5)
        if what == 0:
            ftype = r.choice([0x3000, 0x7fff, 0xfffe])	# no family there
        elif what == 1:
            version = r.choice([0, 2, 255])
        elif what == 2:
            hdr_cut = r.randrange(1, 5)		# genl header cut short
        else:
            ftype = r.randrange(0, 0x10)	# control messages: no family at all
    msg = g.build(ftype, cmd, payload, flags, version)
    if kind == 'header' and what == 4:		# the genl header's reserved field
        msg = msg[:18] + u16(r.randrange(1, 1 << 16)) + msg[20:]
    if hdr_cut:
        msg = struct.pack('=I', 20 - hdr_cut) + msg[4:20 - hdr_cut]
    return msg, ftype


class Oracle:
    """What a reply may be, and counts of what came."""

    def __init__(self, family):
        self.family = family
        self.by_kind = {}
        self.by_reply = {}
        self.sent = 0
        self.dumps = 0

    def allowed(self, ftype, cmd, flags, length, reserved, priv, dump_running):
        """A set of errnos (0: success), or None: no reply at all."""
        is_dump = (flags & NLM_F_DUMP) == NLM_F_DUMP
        if not flags & NLM_F_REQUEST or ftype < 0x10:
            return {0} if flags & NLM_F_ACK else None
        if ftype != self.family:
            return {errno.ENOENT}
        if length < 20:
            return {errno.EINVAL}
        # genetlink checks the header: reserved zero, no flag it cannot honour
        if reserved or flags & ~(NLM_F_DUMP if is_dump else 0) & \
                ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO):
            return {errno.EINVAL}
        if cmd not in DO_CMDS or (is_dump and cmd != CMD_CONN_GET):
            return {errno.EOPNOTSUPP}
        if is_dump:
            return {errno.EBUSY} if dump_running else {0, errno.EINVAL, errno.ERANGE}
        ok = {0, errno.EINVAL}	# at least "bytes leftover after parsing attributes"
        if cmd in POLICY_CMDS:
            ok |= {errno.ERANGE}
        if cmd == CMD_CONN_GET:
            ok |= {errno.ENOENT}
        if cmd in ADMIN_CMDS and not priv:
            ok = (ok - {0}) | {errno.EPERM}
        return ok

    def count(self, kind, outcome):
        self.sent += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        self.by_reply[outcome] = self.by_reply.get(outcome, 0) + 1


def ename(err):
    if err == errno.EOPNOTSUPP:
        return 'EOPNOTSUPP'
    return 'ok' if not err else errno.errorcode.get(err, str(err))


def exchange(g, msg, seq):
    """Send MSG (sequence SEQ) then a barrier; the replies to MSG, in order,
    once the barrier's ack and, for a dump, its NLMSG_DONE have come."""
    g.send_raw(msg)
    barrier = g.build(g.family, CMD_CONFIG_GET, b'', NLM_F_REQUEST | NLM_F_ACK)
    bseq = g.seq
    g.send_raw(barrier)
    got, barrier_seen, done = [], False, False
    while not (barrier_seen and done):
        try:
            msgs = g.recv_msgs(timeout=30)
        except TimeoutError as e:
            raise Failed(f'no reply in 30 s (barrier seen {barrier_seen}, '
                         f'done {done}); so far: {got}') from e
        for m in msgs:
            if m[2] == bseq:
                if m[0] == NLMSG_ERROR:
                    if m[4]:
                        raise Failed(f'the barrier failed: {ename(m[4])}')
                    barrier_seen = True
            elif m[2] == seq:
                got.append(m)
        # a dump goes on until NLMSG_DONE or an error; anything else is over
        done = not any(m[1] & NLM_F_MULTI for m in got) or \
            any(m[0] in (NLMSG_DONE, NLMSG_ERROR) for m in got)
    return got


def unprivileged_socket(ns):
    """A NETLINK_GENERIC socket opened by nobody (no capabilities) in NS: the
    family checks the opener's credentials."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    pid = os.fork()
    if pid == 0:
        try:
            with netns(ns):
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
                socket.send_fds(b, [b'fd'], [s.fileno()])
        finally:
            os._exit(0)
    _, fds, _, _ = socket.recv_fds(a, 16, 1)
    os.waitpid(pid, 0)
    a.close()
    b.close()
    s = socket.socket(fileno=fds[0])
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.bind((0, 0))
    return s


def as_genl(s, family, seq):
    g = Genl.__new__(Genl)
    g.s, g.family, g.seq, g.groups = s, family, seq, {}
    return g


def config_of(g):
    return {k: int.from_bytes(v, sys.byteorder)
            for k, v in parse_attrs(g.tcpsm(CMD_CONFIG_GET)[0][3]).items()}


def fuzz():
    rnd = random.Random(SEED)
    gen = Gen(rnd)
    priv = Genl(NS)
    unpriv = as_genl(unprivileged_socket(NS), priv.family, 1 << 20)
    oracle = Oracle(priv.family)
    model = config_of(priv)
    t0 = time.monotonic()
    try:
        for i in range(COUNT):
            if i % 1000 == 0 and stats_proc(NS)['active'] < 200:
                inject(NS, 500, first=rnd.randrange(N, 4 * N))	# flushes emptied it
            kind, cmd, flags, payload = gen.message()
            is_priv = rnd.random() < 0.8
            g = priv if is_priv else unpriv
            msg, ftype = header(g, kind, cmd, flags, payload, rnd)
            seq = g.seq
            reserved = struct.unpack_from('=H', msg, 18)[0] if len(msg) >= 20 else 0
            allowed = oracle.allowed(ftype, cmd, flags, len(msg), reserved, is_priv, False)
            what = f'message {i} ({kind}, cmd {cmd}, flags {flags:#x}, ' \
                f'{"" if is_priv else "un"}privileged): {msg.hex()}'
            try:
                got = exchange(g, msg, seq)
            except (OSError, Failed) as e:
                raise Failed(f'{what}: {e}') from e
            errs = [m for m in got if m[0] == NLMSG_ERROR]
            if allowed is None:
                if got:
                    raise Failed(f'{what}: a reply to a non-request: {got}')
                oracle.count(kind, 'no reply')
                continue
            err = errs[-1][4] if errs else 0
            if err not in allowed:
                ext = errs[-1][5] if errs else {}
                raise Failed(f'{what}: {ename(err)} {ext}, want one of '
                             f'{sorted(ename(e) for e in allowed)}')
            if err in EXTACK_ERRS and len(msg) >= 20 and \
                    not ({NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_MISS_TYPE} & set(errs[-1][5])):
                raise Failed(f'{what}: {ename(err)} without an extack: {errs[-1]}')
            if not err and flags & NLM_F_ACK and not errs and \
                    (flags & NLM_F_DUMP) != NLM_F_DUMP:
                raise Failed(f'{what}: NLM_F_ACK but no ack: {got}')
            to_family = flags & NLM_F_REQUEST and ftype == g.family and len(msg) >= 20
            if to_family and (flags & NLM_F_DUMP) == NLM_F_DUMP and not err:
                oracle.dumps += 1
                if not any(m[0] == NLMSG_DONE for m in got):
                    raise Failed(f'{what}: a dump without NLMSG_DONE')
            if to_family and cmd == CMD_CONFIG_SET and not err:
                want = dict(model)
                for a, v in parse_attrs(payload).items():
                    if a in CONFIG:
                        lo, hi = CONFIG[a]
                        v = int.from_bytes(v, sys.byteorder)
                        if not lo <= v <= hi:
                            raise Failed(f'{what}: accepted {a}={v}, outside [{lo}, {hi}]')
                        want[a] = v
                model = want
            oracle.count(kind, ename(err))
        secs = time.monotonic() - t0
        now = config_of(priv)
        if now != model:
            raise Failed(f'config {now}, want {model}')
        dump_while_dumping(priv, oracle)
    finally:
        priv.close()
        unpriv.close()
    print(f'     seed {SEED}: {oracle.sent} messages in {secs:.0f} s '
          f'({oracle.sent / secs:.0f}/s), {oracle.dumps} dumps', flush=True)
    print('     by kind: ' + ', '.join(f'{k} {v}' for k, v in sorted(oracle.by_kind.items())))
    print('     by reply: ' + ', '.join(f'{k} {v}' for k, v in
                                        sorted(oracle.by_reply.items(), key=lambda x: -x[1])))


def dump_while_dumping(g, oracle):
    """A second dump on a socket whose first is running: EBUSY, and the first
    still ends with NLMSG_DONE."""
    # The fuzzed config may have left max_conns or the timeouts small: a
    # table of a few entries is dumped before the second request arrives.
    reset_config(g)
    small = Genl(NS)	# (a full buffer would refuse the EBUSY: ENOBUFS)
    try:
        inject(NS, 2000, first=2 * N)
        active = stats_proc(NS)['active']
        if active < 2000:
            raise Failed(f'{active} entries after injecting 2000')
        seq = dump_start(small)
        first = small.recv_msgs()
        if any(m[0] in (NLMSG_DONE, NLMSG_ERROR) for m in first):
            raise Failed(f'the first dump ended at once: {first[-1]}')
        small.send_raw(small.build(small.family, CMD_CONN_GET, b'',
                                   NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP))
        seq2 = small.seq
        errs, done = [], False
        while not (errs and done):
            try:
                msgs = small.recv_msgs()
            except TimeoutError as e:
                raise Failed(f'a second dump on the socket: errors {errs}, the first '
                             f'dump done {done}, then nothing for 10 s') from e
            for m in msgs:
                if m[2] == seq2 and m[0] == NLMSG_ERROR:
                    errs.append(m[4])
                if m[2] == seq and m[0] == NLMSG_DONE:
                    done = True
        if errs != [errno.EBUSY]:
            raise Failed(f'a second dump on the socket: {[ename(e) for e in errs]}, want EBUSY')
        oracle.count('dump-while-dumping', 'EBUSY')
    finally:
        small.close()


def reset_config(g):
    g.tcpsm(CMD_CONFIG_SET, b''.join(nla(a, u32(v)) for a, v in (
        (1, 30), (4, 86400), (5, 86400), (14, min(N + 100000, 1 << 24)), (15, 1))))
    g.tcpsm(CMD_FLUSH)


def read_dump(g, seq, keys, limit=None, dups=None):
    """Read up to LIMIT datagrams of dump SEQ into KEYS (entries seen again
    into DUPS); (done, flags seen). An entry may come twice in a dump that
    says NLM_F_DUMP_INTR by its end: a table resized under the walker."""
    flags, reads = 0, 0
    while limit is None or reads < limit:
        reads += 1
        for typ, fl, s, payload, err, ext in g.recv_msgs(timeout=60):
            if s != seq:
                continue
            flags |= fl
            if typ == NLMSG_ERROR:
                raise Failed(f'dump error {ename(err)} {ext}')
            if typ == NLMSG_DONE:
                return True, flags
            if not fl & NLM_F_MULTI:
                raise Failed(f'a dump message without NLM_F_MULTI: {fl:#x}')
            k = client_key(payload)
            if k in keys and dups is not None:
                dups.append(k)
            keys.add(k)
    return False, flags


def dumps_at_scale():
    ctl = Genl(NS)
    try:
        reset_config(ctl)
        t0 = time.monotonic()
        inject(NS, N)
        t_inject = time.monotonic() - t0
        active = stats_proc(NS)['active']
        if active != N:
            raise Failed(f'{N} SYNs injected, active {active}')
        rnd = random.Random(SEED + 1)
        part = max(2, min(60, N // 400))	# datagrams: about 130 entries each
        abandoned = []
        for _ in range(8):		# dumps abandoned part way: the socket closed
            g = Genl(NS, rcvbuf=rnd.choice([4096, 65536, 1 << 20]))
            keys = set()
            done, _ = read_dump(g, dump_start(g), keys, limit=rnd.randrange(1, part))
            g.close()
            if done:
                raise Failed(f'a dump of {N} ended after {len(keys)}')
            abandoned.append(len(keys))
        # the table quiet, a whole dump: every entry once (a resize still
        # going on after the inserts may interrupt it: then dump again)
        active = ctl.attrs_of(CMD_STATS_GET)[A_STATS_ACTIVE]
        for tries in range(1, 4):
            g = Genl(NS)
            keys, dups = set(), []
            done, flags = read_dump(g, dump_start(g), keys, dups=dups)
            g.close()
            if not flags & NLM_F_DUMP_INTR:
                break
        if not done or flags & NLM_F_DUMP_INTR or len(keys) != active or dups:
            raise Failed(f'a quiet dump: {len(keys)} entries of {active}, flags {flags:#x}, '
                         f'{len(dups)} repeated {dups[:3]}, {tries} tries')
        # a dump through inserts and a flush: NLM_F_DUMP_INTR, then DONE
        g = Genl(NS, rcvbuf=4096)
        keys, flags, dups = set(), 0, []
        seq = dump_start(g)
        for change in ('inject', 'flush'):
            done, f = read_dump(g, seq, keys, limit=rnd.randrange(1, part // 2 + 1), dups=dups)
            flags |= f
            if done:
                raise Failed(f'a dump of {N} ended after {len(keys)}')
            if change == 'flush':
                ctl.tcpsm(CMD_FLUSH)
            else:
                inject(NS, 1000, first=rnd.randrange(N, 4 * N))
        done, f = read_dump(g, seq, keys, dups=dups)
        flags |= f
        g.close()
        if not done or not flags & NLM_F_DUMP_INTR:
            raise Failed(f'a dump through inserts and a flush: done {done}, flags {flags:#x}')
        print(f'     {N} injected in {t_inject:.0f} s; dumps abandoned after '
              f'{abandoned} entries; a whole dump of {active}, each once ({tries} '
              f'tries); one through 1000 inserts and a flush: NLM_F_DUMP_INTR, DONE, '
              f'{len(keys)} entries, {len(dups)} repeated', flush=True)
    finally:
        ctl.close()


def main():
    r = Runner()
    load_module()
    print(f'     netlink fuzz seed {SEED} (TCPSM_NL_FUZZ_SEED={SEED} replays it), '
          f'{COUNT} messages', flush=True)
    try:
        setup_inject_ns()
        sysctl_w(NS, 'syn_sent_timeout', 86400)
        inject(NS, 2000)
        r.run(f'{COUNT} fuzzed messages, 20% unprivileged: only documented errors, '
              'config as set', fuzz, limit=3600 if FULL else 900)
        r.run(f'dumps of {N} abandoned, through flushes, whole', dumps_at_scale,
              limit=3600 if FULL else 600)
    finally:
        for ns in ('sc_a', 'sc_b'):
            sh(f'ip netns del {ns}', check=False)
        time.sleep(0.5)
        for _ in range(100):	# namespace cleanup runs in the background
            try:
                unload_module()
                break
            except RuntimeError:
                time.sleep(0.2)
        else:
            r.failed += 1
            print('FAIL: the module cannot be unloaded', flush=True)
    r.finish()


if __name__ == '__main__':
    main()
