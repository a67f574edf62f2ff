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
import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'e2e'))
from netlink_scale_test import NETLINK_ADD_MEMBERSHIP, SOL_NETLINK, Genl  # noqa: E402


def main():
    ready = sys.argv[1]
    rcvbuf = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    g = Genl(None, rcvbuf=rcvbuf)     # resolves the family and its groups
    sock = g.s
    sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g.groups['events'])
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
