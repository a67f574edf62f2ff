#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Listen on the tcpsm generic netlink family's "events" group and count.

events_listen.py READY_FILE [RCVBUF]: subscribes, touches READY_FILE, then
counts event messages until SIGTERM and then until the socket has been idle
for half a second (what was queued is read); prints "events=N enobufs=M seconds=S
rate=R" (S from the first event to the last, R events/s delivered), where
M is how many times the socket said ENOBUFS (events lost to a full buffer).
"""
import errno
import signal
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLM_F_REQUEST = 1


def attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from('HH', buf, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = buf[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def group_id(sock, family, group):
    name = family.encode() + b'\0'
    nla = struct.pack('HH', 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
    nla += b'\0' * ((4 - len(nla) % 4) % 4)
    body = struct.pack('BBH', CTRL_CMD_GETFAMILY, 1, 0) + nla
    sock.send(struct.pack('IHHII', 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0) + body)
    msg = sock.recv(65536)
    mtype = struct.unpack_from('IH', msg)[1]
    if mtype != GENL_ID_CTRL:
        raise SystemExit(f'no generic netlink family {family}')
    groups = attrs(msg[20:]).get(CTRL_ATTR_MCAST_GROUPS, b'')
    for g in attrs(groups).values():
        a = attrs(g)
        if a.get(CTRL_ATTR_MCAST_GRP_NAME, b'').rstrip(b'\0').decode() == group:
            return struct.unpack('I', a[CTRL_ATTR_MCAST_GRP_ID])[0]
    raise SystemExit(f'family {family} has no group {group}')


def main():
    ready = sys.argv[1]
    rcvbuf = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.bind((0, 0))
    gid = group_id(sock, 'tcpsm', 'events')
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    open(ready, 'w').close()
    events = enobufs = 0
    first = last = None
    sock.settimeout(0.5)
    while True:
        try:
            data = sock.recv(1 << 20)
        except socket.timeout:
            if stop:
                break
            continue
        except OSError as e:
            if e.errno == errno.ENOBUFS:
                enobufs += 1
                continue
            if e.errno == errno.EINTR:
                continue
            raise
        off = 0
        while off + 16 <= len(data):
            mlen = struct.unpack_from('I', data, off)[0]
            if mlen < 16:
                break
            events += 1
            off += (mlen + 3) & ~3
        last = time.monotonic()
        if first is None:
            first = last
    secs = (last - first) if first is not None and last > first else 0.0
    rate = events / secs if secs else 0.0
    print(f'events={events} enobufs={enobufs} seconds={secs:.3f} rate={rate:.0f}')


if __name__ == '__main__':
    main()
