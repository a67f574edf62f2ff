#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcpsm-replay's speed (issue 13: at least 10^6 packets per second on one
core), beside tshark's TCP conversation table on the same capture.

    replay_bench.py [--conns N] [--runs R] [--cpu C]

The capture: N short connections (handshake, 100 bytes each way, a close
from the client: 8 packets each) on Ethernet, 10 us apart, written once
into the cache by tools/tcpsm-replay/tests/mkcap.py. Each tool reads it R
times pinned to CPU C; a figure is its median CPU time (user + system),
which other processes on the machine change less than the wall clock.
Zeek would be measured too, but Debian 12 does not package it.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, 'tools/tcpsm-replay/tests'))
import mkcap  # noqa: E402

REPLAY = os.path.join(TOP, 'tools/tcpsm-replay/tcpsm-replay')
TARGET_PPS = 1e6


def capture(path, conns):
    """N conversations from distinct client addresses and ports."""
    frames = []
    for i in range(conns):
        c = f'10.{1 + i // 65536 % 250}.{i // 256 % 256}.{i % 256}'
        pk = mkcap.conversation(c=c, cport=1024 + i % 60000, t0=1700000000.0 + i * 8e-5)
        frames += mkcap.frames(mkcap.EN10MB, [(t0, p) for t0, p in pk])
    frames.sort(key=lambda f: f[0])
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(mkcap.pcap(frames, mkcap.EN10MB))
    os.rename(tmp, path)
    return len(frames)


def cpu_seconds(argv, cpu):
    """CPU time (user + system) of one run of argv pinned to cpu."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(['taskset', '-c', str(cpu)] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f'{" ".join(argv)}: exit {r.returncode}: {r.stderr.strip()}')
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--conns', type=int, default=125000)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--cpu', type=int, default=os.cpu_count() - 1)
    a = ap.parse_args()
    if not os.access(REPLAY, os.X_OK):
        raise SystemExit(f'{REPLAY} not built: make -C tools/tcpsm-replay')
    cache = os.environ.get('TCPSM_CACHE', os.path.expanduser('~/.cache/tcpsm'))
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, f'replay-bench-{a.conns}.pcap')
    packets = a.conns * 8
    if not os.path.exists(path):
        capture(path, a.conns)
    print(f'capture: {a.conns} connections, {packets} packets, '
          f'{os.path.getsize(path) >> 20} MB; {a.runs} runs each on CPU {a.cpu}')
    tools = {'tcpsm-replay --stats': [REPLAY, '--stats', path]}
    if shutil.which('tshark'):
        tools['tshark -q -z conv,tcp'] = ['tshark', '-r', path, '-q', '-z', 'conv,tcp']
    else:
        print('tshark: not installed (apt-get install tshark), not measured')
    # what was measured did the work: every packet a segment, every
    # connection created and through its eight segments' transitions
    out = subprocess.run([REPLAY, '--stats', path], capture_output=True, text=True,
                         check=True).stdout
    st = dict((k, int(v)) for k, v in (line.split() for line in out.splitlines()))
    want = {'segments': packets, 'conns_created': a.conns, 'transitions': 6 * a.conns,
            'table_full': 0}
    if any(st.get(k) != v for k, v in want.items()):
        raise SystemExit(f'tcpsm-replay --stats: {st}, expected {want}')
    pps = {}
    for name, argv in tools.items():
        secs = statistics.median(cpu_seconds(argv, a.cpu) for _ in range(a.runs))
        pps[name] = packets / secs
        print(f'{name:24} {secs:7.2f} s CPU  {pps[name] / 1e6:6.2f} M packets/s')
    ours = pps['tcpsm-replay --stats']
    if 'tshark -q -z conv,tcp' in pps:
        print(f'tcpsm-replay is {ours / pps["tshark -q -z conv,tcp"]:.1f} x tshark')
    met = ours >= TARGET_PPS
    print(f'target: at least {TARGET_PPS / 1e6:.0f} M packets/s on one core: '
          f'{"met" if met else "NOT met"}')
    return 0 if met else 1


if __name__ == '__main__':
    sys.exit(main())
