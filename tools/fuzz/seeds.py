#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzers' seed corpora: corpus/fsm (connection lives as
fuzz_fsm.c's 12-byte operations) and corpus/parse (IPv4 and IPv6 TCP
packets, and ICMP errors quoting them, as fuzz_parse.c reads them). Deterministic; run by run.sh when a
corpus directory is missing, or by hand: python3 seeds.py [DIR]."""
import os
import struct
import sys

S, F, R, P, A = 0x02, 0x01, 0x04, 0x08, 0x10
C, SV = 0, 1			# client, server
BOTH, SND, RCV = 3, 1, 2	# which endpoints a sighting moves
NXT, NXT_1, ISN, FINSEQ, FINSEQ1, PEER_UNA, RAW, NXT_RAW = range(8)	# seq choices
A_NXT, A_ISN1, A_FIN1, A_FIN, A_UNA, A_OWN_UNA, A_RAW, A_NXT_RAW = range(8)	# ack choices


def op(frm, flags, seq=NXT, ack=A_NXT, raw=0, length=0, win=2, wscale=None, move=BOTH,
       kind=0):
    """One fuzz_fsm.c operation: length 0..2 or a multiple of 1000."""
    lsel = length if length < 3 else 0xc0 + length // 1000
    ws = 0 if wscale is None else wscale + 1
    return struct.pack('<BBBBIbbBB', kind | frm << 3 | move << 4, flags, seq, ack, raw,
                       0, 0, lsel, win | ws << 2)


def expire(who):
    return struct.pack('<BB10x', 5, who)


def repeat(n):
    return struct.pack('<BB10x', 6, n)


def handshake(move=BOTH, ws=7):
    return (op(C, S, RAW, A_RAW, raw=1000, wscale=ws, move=move) +
            op(SV, S | A, RAW, raw=5000, wscale=ws, move=move) +
            op(C, A, move=move))


def loopback(*ops):
    """Each segment seen twice: moving its sender, then its receiver."""
    out = b''
    for o in ops:
        out += bytes([o[0] & ~0x30 | SND << 4]) + o[1:]
        out += bytes([o[0] & ~0x30 | RCV << 4]) + o[1:]
    return out


def fsm_seeds():
    hs = handshake()
    active_close = (op(C, F | A) + op(SV, A) + op(SV, F | A) + op(C, A))
    return {
        'syn': op(C, S, RAW, raw=1),
        'handshake': hs,
        'handshake-noscale': handshake(ws=None),
        'handshake-loopback': loopback(*[handshake()[i:i + 12] for i in range(0, 36, 12)]),
        'data': hs + op(C, P | A, length=2) + op(SV, A) + op(SV, P | A, length=3000),
        'active-close': hs + active_close,
        'passive-close': hs + op(SV, F | A) + op(C, A) + op(C, F | A) + op(SV, A),
        'simultaneous-close': hs + op(C, F | A, move=SND) + op(SV, F | A, move=SND) +
        op(C, F | A, move=RCV) + op(SV, F | A, move=RCV) + op(C, A) + op(SV, A),
        'simultaneous-open': op(C, S, RAW, raw=7, move=SND) + op(SV, S, RAW, raw=9, move=SND) +
        op(C, S, RAW, raw=7, move=RCV) + op(SV, S, RAW, raw=9, move=RCV) +
        op(C, S | A, ISN) + op(SV, S | A, ISN),
        'refused': op(C, S, RAW, raw=77) + op(SV, R | A, RAW, A_NXT),
        'rst-exact': hs + op(SV, R, NXT),
        'rst-in-window': hs + op(SV, R, NXT_RAW, raw=100),
        'rst-outside': hs + op(SV, R, RAW, raw=0x80000000),
        'time-wait-restart': hs + active_close + op(SV, F | A, FINSEQ, A_NXT),
        'last-ack-lost': hs + active_close + op(SV, F | A, FINSEQ, A_NXT),
        'last-ack-lost-bad-ack': hs + active_close + op(SV, F | A, FINSEQ, A_NXT_RAW,
                                                        raw=0x10000000),
        'reuse': hs + active_close + op(C, S, NXT_RAW, raw=100000),
        'reuse-old-seq': hs + active_close + op(C, S, RAW, raw=1),
        'keepalive': hs + op(C, A, NXT_1) + repeat(3) + op(SV, A),
        'keepalive-255': hs + op(C, A, NXT_1) + repeat(255) + repeat(10),
        'zero-window': hs + op(SV, A, win=0) + op(C, A, NXT_1, length=1),
        'pickup-ack': op(C, A, RAW, A_RAW, raw=0x12345678, kind=7) + op(SV, A),
        'pickup-synack': op(SV, S | A, RAW, A_RAW, raw=55, kind=7) + op(C, A),
        'pickup-fin': op(C, F | A, RAW, A_RAW, raw=99, kind=7) + op(SV, A),
        'expire': hs + expire(C) + op(SV, A) + expire(SV),
        'bad-flags': hs + op(C, S | F) + op(C, S | R) + op(C, F) + op(C, 0),
        'retransmit': hs + op(C, P | A, length=2) + op(C, P | A, NXT_1, length=2) +
        op(C, S, ISN),
        'wrap': op(C, S, RAW, raw=0xfffffff0) + op(SV, S | A, RAW, raw=0xffffff00) +
        op(C, A) + op(C, P | A, length=30000),
    }


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack(f'!{len(b) // 2}H', b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp(flags=S, opts=b'', payload=b'', doff=None, sport=40000, dport=80, seq=1, ack=0):
    if doff is None:
        doff = 5 + (len(opts) + 3) // 4
    opts += b'\0' * (-len(opts) % 4)
    return struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, flags, 65535, 0,
                       0) + opts + payload


def ipv4(seg, proto=6, frag=0, ihl=5, tot=None, opts=b''):
    tot = 20 + len(opts) + len(seg) if tot is None else tot
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0, tot, 1, frag, 64, proto, 0,
                    bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + opts
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + seg


def ipv6(seg, nexthdr=6, exts=b'', plen=None):
    plen = len(exts) + len(seg) if plen is None else plen
    return struct.pack('!IHBB16s16s', 6 << 28, plen, nexthdr, 64, b'\x20\x01' + b'\0' * 13 +
                       b'\1', b'\x20\x01' + b'\0' * 13 + b'\2') + exts + seg


def ext(nexthdr, size=8):
    return struct.pack('!BB', nexthdr, size // 8 - 1) + b'\x01' + bytes([size - 4]) + \
        b'\0' * (size - 4)


def fragh(nexthdr, off=0, mf=0):
    return struct.pack('!BBHI', nexthdr, 0, off << 3 | mf, 42)


def parse_seeds():
    ws = b'\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02\x08\x0a' + b'\0' * 8
    v4, v6 = 0, 1
    pk = {
        'v4-syn-options': (v4, ipv4(tcp(S, ws))),
        'v4-synack': (v4, ipv4(tcp(S | A, b'\x01\x03\x03\x0e'))),
        'v4-data': (v4, ipv4(tcp(P | A, payload=b'hello'))),
        'v4-fin': (v4, ipv4(tcp(F | A))),
        'v4-rst': (v4, ipv4(tcp(R))),
        'v4-ip-options': (v4, ipv4(tcp(A), ihl=6, opts=b'\x01\x01\x01\x00')),
        'v4-fragment': (v4, ipv4(tcp(A), frag=0x2000)),
        'v4-later-fragment': (v4, ipv4(b'\0' * 16, frag=5)),
        'v4-udp': (v4, ipv4(b'\0' * 8, proto=17)),
        'v4-bad-doff': (v4, ipv4(tcp(A, doff=4))),
        'v4-doff-past-end': (v4, ipv4(tcp(A, doff=15))),
        'v4-bad-option': (v4, ipv4(tcp(S, b'\x03\x09\x07'))),
        'v4-trunc-tcp': (v4, ipv4(tcp(A)[:10])),
        'v4-padding': (v4, ipv4(tcp(A)) + b'\0' * 6),
        'v6-syn': (v6, ipv6(tcp(S, ws))),
        'v6-data': (v6, ipv6(tcp(P | A, payload=b'x' * 100))),
        'v6-hop-dest': (v6, ipv6(tcp(A), 0, ext(60) + ext(6, 16))),
        'v6-routing': (v6, ipv6(tcp(A), 43, ext(6, 24))),
        'v6-auth': (v6, ipv6(tcp(A), 51, struct.pack('!BBH', 6, 2, 0) + b'\0' * 12)),
        'v6-fragment': (v6, ipv6(tcp(A), 44, fragh(6, 0, 1))),
        'v6-atomic-fragment': (v6, ipv6(tcp(A), 44, fragh(6))),
        'v6-later-fragment': (v6, ipv6(b'\0' * 16, 44, fragh(6, 10))),
        'v6-no-next': (v6, ipv6(b'', 59)),
        'v6-ext-no-next': (v6, ipv6(b'', 0, ext(59))),
        'v6-ext-past-end': (v6, ipv6(b'', 0, struct.pack('!BB', 6, 200) + b'\0' * 6)),
        'v6-jumbo': (v6, ipv6(tcp(A, payload=b'j' * 20), plen=0)),
        # ICMP errors quoting a TCP segment (its first 8 bytes, or all of it)
        'v4-icmp-unreach': (v4, ipv4(b'\x03\x01\0\0\0\0\0\0' + ipv4(tcp(S))[:28], proto=1)),
        'v4-icmp-time-exceeded': (v4, ipv4(b'\x0b\0\0\0\0\0\0\0' + ipv4(tcp(A)), proto=1)),
        'v6-icmp-unreach': (v6, ipv6(b'\x01\x04\0\0\0\0\0\0' + ipv6(tcp(S))[:48], 58)),
    }
    out = {}
    for name, (fam, pkt) in pk.items():
        out[name] = bytes([fam, 255]) + pkt	# linear up to 255 bytes
    # some with 8 bytes before the IP header, the rest paged from inside the
    # TCP header, and a TCP GSO packet with no length (BIG TCP)
    for name in ('v4-syn-options', 'v4-data', 'v4-ip-options', 'v6-syn', 'v6-hop-dest',
                 'v6-auth'):
        fam, pkt = pk[name]
        out[name + '-paged'] = bytes([fam | 2 << 1, 40 if fam else 30]) + b'\0' * 8 + pkt
    out['v4-gso-zero-length'] = bytes([0x20, 255]) + ipv4(tcp(A, payload=b'g' * 40), tot=0)
    return out


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(
        os.path.abspath(__file__)), 'corpus')
    for sub, seeds in (('fsm', fsm_seeds()), ('parse', parse_seeds())):
        d = os.path.join(top, sub)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
        print(f'{d}: {len(seeds)} seeds')


if __name__ == '__main__':
    main()
