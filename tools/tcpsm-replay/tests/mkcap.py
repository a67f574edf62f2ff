#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made captures for tcpsm-replay's tests: TCP conversations written
as pcap or pcapng files, in each link type the replay reads, and broken
files for the bad-input cases. Import it (test_replay.py does), or run it
to write the captures into a directory: mkcap.py DIR, or the fuzzer's
seeds: mkcap.py DIR --fuzz-seeds."""
import socket
import struct
import sys

# link types (LINKTYPE_* of the pcap format)
EN10MB, RAW, NULL, LOOP, SLL, SLL2, IPV4, IPV6 = 1, 101, 0, 108, 113, 276, 228, 229

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp(sport, dport, seq, ack, flags, win=65535, payload=b"", wscale=None):
    opts = b""
    if wscale is not None:
        opts = b"\x01\x03\x03" + bytes([wscale])
    doff = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags, win, 0,
                       0) + opts + payload


def ipv4(src, dst, payload, proto=6, frag=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, frag, 64, proto, 0,
                      socket.inet_pton(socket.AF_INET, src),
                      socket.inet_pton(socket.AF_INET, dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, payload, nxt=6):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def icmp_unreachable(router, quoted, code=1):
    """An ICMP destination unreachable (host: code 1) from @router to the
    sender of IPv4 packet @quoted, quoting its header and 8 bytes."""
    body = struct.pack("!BBHI", 3, code, 0, 0) + quoted[:28]
    body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
    return ipv4(router, socket.inet_ntop(socket.AF_INET, quoted[12:16]), body, proto=1)


def ip(src, dst, seg):
    return ipv6(src, dst, seg) if ":" in src else ipv4(src, dst, seg)


def ethertype(pkt):
    return 0x86DD if pkt[0] >> 4 == 6 else 0x0800


def link(dlt, pkt, vlans=()):
    """The frame of IP packet @pkt on link type @dlt (802.1Q/802.1ad tags: @vlans)."""
    et = ethertype(pkt)
    if dlt == EN10MB:
        tags = b"".join(struct.pack("!HH", tpid, vid) for tpid, vid in vlans)
        return b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + tags + struct.pack("!H", et) + pkt
    if dlt == SLL:
        return struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x01\0\0", et) + pkt
    if dlt == SLL2:
        return struct.pack("!HHIHBB8s", et, 0, 2, 1, 0, 6, b"\x02\0\0\0\0\x01\0\0") + pkt
    if dlt in (RAW, IPV4, IPV6):
        return pkt
    if dlt == NULL:  # host byte order of the capturing machine: little-endian here
        return struct.pack("<I", 30 if et == 0x86DD else 2) + pkt
    if dlt == LOOP:
        return struct.pack("!I", 24 if et == 0x86DD else 2) + pkt
    raise ValueError(dlt)


def pcap(frames, dlt, snaplen=262144):
    """A classic pcap file (microseconds): frames are (time, bytes[, wire length])."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, dlt)]
    for f in frames:
        t, data = f[0], f[1]
        wire = f[2] if len(f) > 2 else len(data)
        sec = int(t)
        out += [struct.pack("<IIII", sec, int(round((t - sec) * 1e6)), len(data), wire), data]
    return b"".join(out)


def _block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng(frames, dlt):
    """A pcapng file: one section, one interface (microseconds), enhanced packet blocks."""
    out = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += _block(1, struct.pack("<HHI", dlt, 0, 0))
    for t, data in frames:
        us = int(round(t * 1e6))
        out += _block(6, struct.pack("<IIIII", 0, us >> 32, us & 0xFFFFFFFF, len(data),
                                     len(data)) + data)
    return out


def conversation(c="10.0.0.1", s="10.0.0.2", cport=40000, sport=80, t0=1700000000.0,
                 close=True):
    """A client's handshake, 100 bytes each way, and a close from the client:
    (time, IP packet) pairs."""
    ci, si = 1000, 5000
    segs = [
        (c, s, tcp(cport, sport, ci, 0, SYN, wscale=7)),
        (s, c, tcp(sport, cport, si, ci + 1, SYN | ACK, wscale=7)),
        (c, s, tcp(cport, sport, ci + 1, si + 1, ACK)),
        (c, s, tcp(cport, sport, ci + 1, si + 1, PSH | ACK, payload=b"q" * 100)),
        (s, c, tcp(sport, cport, si + 1, ci + 101, PSH | ACK, payload=b"r" * 100)),
    ]
    if close:
        segs += [
            (c, s, tcp(cport, sport, ci + 101, si + 101, FIN | ACK)),
            (s, c, tcp(sport, cport, si + 101, ci + 102, FIN | ACK)),
            (c, s, tcp(cport, sport, ci + 102, si + 102, ACK)),
        ]
    return [(t0 + i * 0.001, ip(a, b, seg)) for i, (a, b, seg) in enumerate(segs)]


def frames(dlt, packets, vlans=()):
    return [(t, link(dlt, p, vlans)) for t, p in packets]


FUZZ_DLTS = [EN10MB, SLL, SLL2, RAW, IPV4, IPV6, NULL, LOOP]  # fuzz_reader.c's order


def fuzz_seeds():
    """Inputs of fuzz_reader.c: two control bytes, then a whole file (byte 0's
    top bit) or the records after a header it writes for link type byte 0."""
    seeds = {}
    for i, dlt in enumerate(FUZZ_DLTS):
        conv = conversation(c="2001:db8::1", s="2001:db8::2") if dlt == IPV6 else \
            conversation()
        body = pcap(frames(dlt, conv), dlt)[24:]
        seeds["records-%d" % dlt] = bytes([i, 0x81]) + body
    seeds["file-eth"] = b"\x80\x02" + pcap(frames(EN10MB, conversation()), EN10MB)
    seeds["file-pcapng"] = b"\x80\x02" + pcapng(frames(SLL2, conversation()), SLL2)
    return seeds


if __name__ == "__main__":
    import os
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    if len(sys.argv) > 2 and sys.argv[2] == "--fuzz-seeds":
        for name, data in fuzz_seeds().items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        sys.exit(0)
    for name, dlt in (("eth", EN10MB), ("sll", SLL), ("sll2", SLL2), ("raw", RAW),
                      ("null", NULL), ("loop", LOOP)):
        with open(os.path.join(d, name + ".pcap"), "wb") as f:
            f.write(pcap(frames(dlt, conversation()), dlt))
