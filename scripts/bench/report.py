#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the BENCH lines of a benchmark VM's console into tables.

report.py [--kernel K] [--quick] CONSOLE_LOG: medians with [min, max] of
every figure, the ratios the targets are about, and whether each target is
met. With a baseline's lines (bench.sh --baseline), its figures beside the
current ones: the ratio current / baseline of tcpsm, and of nf_conntrack
(the same code in both modules' passes: how far the noise goes). Exits 1
if the run did not finish or one of its checks failed; a target that is not
met is reported, not a failure.
"""
import argparse
import re
import statistics
import sys
from collections import defaultdict

KV = re.compile(r'(\w+)=(\S+)')


def med(xs):
    return statistics.median(xs) if xs else float('nan')


def fig(xs, unit=''):
    if not xs:
        return 'n/a'
    if len(xs) == 1:
        return f'{xs[0]:.0f}{unit}'
    return f'{med(xs):.0f}{unit} [{min(xs):.0f}, {max(xs):.0f}]'


def ratio(a, b):
    return f'{med(a) / med(b):.3f}' if a and b else 'n/a'


def diff(a, b):
    return f'{med(a) - med(b):+.0f} ns' if a and b else 'n/a'


def paired(a, b):
    """Median of the runs' own ratios: run i of each module ran side by side."""
    rs = [x / y for x, y in zip(a, b) if y]
    return f'{med(rs):.3f}' if rs else 'n/a'


def before_after(baseline, sizes, seg, base_seg, mem, base_mem, info, base_info):
    ref = baseline.get('ref', '?')
    print(f'\nBefore and after: tcpsm now against tcpsm at {ref} '
          f'({baseline.get("commit", "?")[:12]}, benchmark source: '
          f'{baseline.get("bench_source", "?")}), ns per segment')
    print('The runs alternate between the two modules in one boot; nf_conntrack, the '
          'same code in both passes, shows the noise. "ratio" is of the medians, '
          '"paired" the median of the runs\' own ratios, '
          '"now - base" the difference of the medians.')
    print(f'| {"connections":>11} | {"segments":<9} | {"tcpsm now":<20} | '
          f'{"tcpsm " + ref:<20} | ratio | paired | {"now - base":>10} | {"conntrack (now)":<20} | '
          f'{"conntrack (base)":<20} | ratio |')
    print(f'|{"-" * 13}|{"-" * 11}|{"-" * 22}|{"-" * 22}|-------|--------|{"-" * 12}|'
          f'{"-" * 22}|{"-" * 22}|-------|')
    for n in sizes:
        for ph in ('handshake', 'data', 'close', 'all', 'no_conn', 'malformed'):
            t, bt = seg.get((n, 'tcpsm', ph), []), base_seg.get((n, 'tcpsm', ph), [])
            c, bc = (seg.get((n, 'nf_conntrack', ph), []),
                     base_seg.get((n, 'nf_conntrack', ph), []))
            print(f'| {n:>11} | {ph:<9} | {fig(t):<20} | {fig(bt):<20} | {ratio(t, bt):>5} | '
                  f'{paired(t, bt):>6} | {diff(t, bt):>10} | {fig(c):<20} | {fig(bc):<20} | '
                  f'{ratio(c, bc):>5} |')
    print('\nThe same, each run\'s tcpsm against the nf_conntrack of its own pass (seconds '
          'apart in one load: drift in the VM cancels), median over the runs')
    print(f'| {"connections":>11} | {"segments":<9} | {"now: tcpsm/ct":>13} | '
          f'{"base: tcpsm/ct":>14} | now / base |')
    print(f'|{"-" * 13}|{"-" * 11}|{"-" * 15}|{"-" * 16}|------------|')
    for n in sizes:
        for ph in ('handshake', 'data', 'close', 'all', 'no_conn', 'malformed'):
            now = [x / y for x, y in zip(seg.get((n, 'tcpsm', ph), []),
                                         seg.get((n, 'nf_conntrack', ph), [])) if y]
            base = [x / y for x, y in zip(base_seg.get((n, 'tcpsm', ph), []),
                                          base_seg.get((n, 'nf_conntrack', ph), [])) if y]
            r = f'{med(now) / med(base):.3f}' if now and base else 'n/a'
            print(f'| {n:>11} | {ph:<9} | {med(now):>13.3f} | {med(base):>14.3f} | {r:>10} |')
    now_obj = info.get(('tcpsm', 'slab_object_size'), '?')
    base_obj = base_info.get(('tcpsm', 'slab_object_size'), '?')
    print(f'tcpsm_conn object: now {now_obj} bytes, at {ref} {base_obj} bytes')
    for n in sizes:
        t, bt = mem.get((n, 'tcpsm'), []), base_mem.get((n, 'tcpsm'), [])
        print(f'free memory taken per connection at {n}: now {fig(t)}, at {ref} {fig(bt)}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', default='test')
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('log')
    a = ap.parse_args()

    seg = defaultdict(list)		# (size, tracker, phase) -> ns per segment
    base_seg = defaultdict(list)	# the same, from the baseline's module
    base_mem = defaultdict(list)	# (size, tracker) -> bytes per connection
    base_info, baseline = {}, None
    mem = defaultdict(list)		# (size, tracker) -> bytes per connection
    ev_seg = defaultdict(list)		# phase -> ns per segment with a listener
    real = defaultdict(list)		# (topo, load, trackers) -> tps
    info, slab, events, checks = {}, {}, None, []
    done = failed = False
    for line in open(a.log, errors='replace'):
        line = line.strip()
        if not line.startswith('BENCH '):
            continue
        words = line.split()
        kind, kv = words[1], dict(KV.findall(line))
        if kind == 'FAILED':
            failed = True
            print(line, file=sys.stderr)
        elif kind == 'done':
            done = True
        elif kind in ('check', 'base_check'):
            checks.append(line)
            if 'FAILED' in line:
                failed = True
                print(line, file=sys.stderr)
        elif kind == 'result' and 'ns_per_seg' in kv:
            seg[(int(kv['size']), kv['tracker'], kv['phase'])].append(int(kv['ns_per_seg']))
        elif kind == 'result' and 'mem_bytes_per_conn' in kv:
            mem[(int(kv['size']), kv['tracker'])].append(int(kv['mem_bytes_per_conn']))
        elif kind == 'result':
            info.update({(kv['tracker'], k): v for k, v in kv.items()
                         if k not in ('size', 'run', 'tracker')})
        elif kind == 'baseline':
            baseline = kv
        elif kind == 'base_result' and 'ns_per_seg' in kv:
            base_seg[(int(kv['size']), kv['tracker'], kv['phase'])].append(int(kv['ns_per_seg']))
        elif kind == 'base_result' and 'mem_bytes_per_conn' in kv:
            base_mem[(int(kv['size']), kv['tracker'])].append(int(kv['mem_bytes_per_conn']))
        elif kind == 'base_result':
            base_info.update({(kv['tracker'], k): v for k, v in kv.items()
                              if k not in ('size', 'run', 'tracker')})
        elif kind == 'events_result' and 'ns_per_seg' in kv:
            ev_seg[kv['phase']].append(int(kv['ns_per_seg']))
        elif kind == 'events_result' and 'events_lost' in kv:
            info['events_lost'] = kv['events_lost']
        elif kind == 'real':
            real[(kv['topo'], kv['load'], kv['trackers'])].append(float(kv['tps']))
        elif kind == 'slab':
            slab[kv['cache']] = int(kv['objsize'])
        elif kind == 'events':
            events = kv
    if failed or not done:
        print('benchmark: FAILED' + ('' if done else ' (did not finish)'), file=sys.stderr)
        return 1
    sizes = sorted({k[0] for k in seg})
    print(f'tcpsm benchmark, {a.kernel} kernel, QEMU TCG; median [min, max]')
    print(f'checks passed: {len(checks)} (tables hold what the segments imply)')
    verdicts = []

    print('\nPer-segment cost, synthetic (ns per segment)')
    print(f'| {"connections":>11} | {"segments":<9} | {"tcpsm":<24} | '
          f'{"nf_conntrack":<24} | ratio |')
    print(f'|{"-" * 13}|{"-" * 11}|{"-" * 26}|{"-" * 26}|-------|')
    for n in sizes:
        for ph in ('all', 'handshake', 'data', 'close', 'no_conn', 'malformed'):
            t, c = seg.get((n, 'tcpsm', ph), []), seg.get((n, 'nf_conntrack', ph), [])
            ratio = f'{med(t) / med(c):.2f}' if t and c else 'n/a'
            print(f'| {n:>11} | {ph:<9} | {fig(t):<24} | {fig(c):<24} | {ratio:>5} |')
            if ph == 'all' and t and c:
                r = med(t) / med(c)
                verdicts.append((f'tcpsm <= 0.5 x nf_conntrack per segment at {n}',
                                 r <= 0.5, f'{r:.2f} x'))
    print('\nEvents with no listener (all nine segments, ns per segment): tcpsm as it is '
          'against tcpsm with the events\' static branch off')
    for n in sizes:
        on, off = seg.get((n, 'tcpsm', 'all'), []), seg.get((n, 'tcpsm_events_off', 'all'), [])
        if not on or not off:
            continue
        diff = med(on) - med(off)
        spread = max(max(on) - min(on), max(off) - min(off))
        print(f'{n}: on {fig(on)}, off {fig(off)}: {diff:+.0f} ns ({diff / med(off) * 100:+.1f}%), '
              f'spread of the runs {spread} ns')
        verdicts.append((f'no listener: events cost nothing measurable at {n}',
                         abs(diff) <= spread, f'{diff:+.0f} ns, spread {spread} ns'))
    if len(sizes) > 1:
        lo, hi = seg.get((sizes[0], 'tcpsm', 'data')), seg.get((sizes[-1], 'tcpsm', 'data'))
        if lo and hi:
            r = med(hi) / med(lo)
            verdicts.append((f'tcpsm at {sizes[-1]} <= 1.5 x at {sizes[0]} (data segments)',
                             r <= 1.5, f'{r:.2f} x'))

    if baseline:
        before_after(baseline, sizes, seg, base_seg, mem, base_mem, info, base_info)

    print('\nMemory per connection (bytes)')
    t_obj, c_obj = slab.get('tcpsm_conn'), slab.get('nf_conntrack')
    c_ext = int(info.get(('nf_conntrack', 'ext_bytes'), 0))
    print(f'slab object: tcpsm_conn {t_obj}, nf_conntrack {c_obj} + extensions {c_ext}')
    for n in sizes:
        t, c = mem.get((n, 'tcpsm'), []), mem.get((n, 'nf_conntrack'), [])
        print(f'free memory taken per connection at {n}: tcpsm {fig(t)}, nf_conntrack {fig(c)}')
    if t_obj and c_obj:
        r = t_obj / (c_obj + c_ext)
        verdicts.append(('tcpsm entry <= 0.5 x nf_conntrack entry', r <= 0.5, f'{r:.2f} x'))
    big = sizes[-1] if sizes else 0
    if mem.get((big, 'tcpsm')):
        per = med(mem[(big, 'tcpsm')])
        print(f'10^6 connections: tcpsm about {per * 1e6 / 2**20:.0f} MiB '
              f'(measured at {big}, slab + hash table)')

    if real:
        print('\nReal traffic (transactions/s; overhead against no tracking)')
        print('| path     | load | none             | tcpsm                  | '
              'nf_conntrack           | both                   |')
        print('|----------|------|------------------|------------------------|'
              '------------------------|------------------------|')
        for topo in ('veth', 'loopback'):
            for load in ('rr', 'crr'):
                base = med(real[(topo, load, 'none')])
                cells, over = [], {}
                for trk in ('tcpsm', 'conntrack', 'both'):
                    xs = real[(topo, load, trk)]
                    over[trk] = 1 - med(xs) / base if xs and base else float('nan')
                    cells.append(f'{med(xs):.0f} ({over[trk] * 100:+.1f}%)')
                print(f'| {topo:<8} | {load:<4} | {fig(real[(topo, load, "none")]):<16} | '
                      + ' | '.join(f'{x:<22}' for x in cells) + ' |')
                ok = over['tcpsm'] <= 0.5 * max(over['conntrack'], 0) + 0.01
                verdicts.append((f'{topo} {load}: tcpsm overhead <= 0.5 x nf_conntrack\'s', ok,
                                 f'{over["tcpsm"] * 100:.1f}% vs {over["conntrack"] * 100:.1f}%'))

    if events:
        n = sizes[0]
        on, off = ev_seg.get('all', []), seg.get((n, 'tcpsm', 'all'), [])
        print(f'\nEvents (listener on the group, {n} connections)')
        print(f'per segment with a listener: {fig(on)} ns; without: {fig(off)} ns')
        print(f'delivered {events["events"]} events at {events["rate"]}/s, '
              f'ENOBUFS {events["enobufs"]}, events_lost {info.get("events_lost", "?")}')

    if a.quick:
        print('\n(quick run: figures are not judged)')
        return 0
    print('\nTargets')
    for what, ok, val in verdicts:
        print(f'{"met    " if ok else "NOT met"}  {what}: {val}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
