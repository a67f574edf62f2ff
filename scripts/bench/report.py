#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the BENCH lines of a benchmark VM's console into tables.

report.py [--kernel K] [--quick] CONSOLE_LOG: medians with [min, max] of
every figure, the ratios the targets are about, and whether each target is
met. Real traffic: each configuration's mean transactions/s and its
overhead against no tracking in the same round, with a 95% confidence
interval over the rounds. With a baseline's lines (bench.sh --baseline), its
figures beside the current ones: the ratio current / baseline of tcpsm, and
of nf_conntrack (the same code in both modules' passes: how far the noise
goes). Exits 1 if the run did not finish or one of its checks failed; a
target that is not met is reported, not a failure.
"""
import argparse
import math
import re
import statistics
import sys
from collections import defaultdict

KV = re.compile(r'(\w+)=(\S+)')

# Issue 16's targets, judged on the stock kernel with at least MIN_RUNS runs.
ENTRY_MAX = 160		# bytes of an IPv4 entry (128 without the history ring)
MEM_MAX = 160		# bytes of free memory per connection, filling 10^6
V6_MAX = 0.75		# an IPv6 entry against conntrack's
SCALE_MAX = 1.3		# data segments: the cost at 10^6 against 10^3
SEG_MAX = (('all', 0.5), ('handshake', 0.6), ('no_conn', 0.3), ('malformed', 0.3))
SIZES = (1000, 100000, 1000000)
MIN_RUNS = 3
PHASES = ('all', 'handshake', 'data', 'close', 'no_conn', 'malformed')

# Student's t, two-sided 95% (the 0.975 quantile), by degrees of freedom;
# between two rows the smaller df's, the wider interval.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365,
        8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145,
        15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 22: 2.074,
        24: 2.064, 26: 2.056, 28: 2.048, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


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


def run_ratios(seg, n, ph):
    """Each run's tcpsm / nf_conntrack: the two passes of a run are seconds
    apart in one load, so drift in the VM between runs cancels."""
    t, c = seg.get((n, 'tcpsm', ph), []), seg.get((n, 'nf_conntrack', ph), [])
    return [x / y for x, y in zip(t, c) if y]


def t975(df):
    return T975[max(k for k in T975 if k <= df)]


def mean_ci(xs):
    """Mean and the half width of its 95% confidence interval (Student's t)."""
    m = statistics.fmean(xs)
    if len(xs) < 2:
        return m, float('nan')
    return m, t975(len(xs) - 1) * statistics.stdev(xs) / math.sqrt(len(xs))


def ratio_ci(logs):
    """A ratio and its 95% interval from per-round log ratios, as overheads.
    On the log scale, as a ratio's noise is: a round where one figure ran at
    a fifth of its speed (another VM took the host) weighs no more than one
    where it ran five times faster."""
    if len(logs) < 2:
        return 'n/a'
    m, h = mean_ci(logs)
    return (f'{math.expm1(m) * 100:+.1f}% [{math.expm1(m - h) * 100:+.0f}, '
            f'{math.expm1(m + h) * 100:+.0f}]')


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


class Bench:
    """What a console's BENCH lines say."""

    def __init__(self):
        self.seg = defaultdict(list)		# (size, tracker, phase) -> ns per segment
        self.base_seg = defaultdict(list)	# the same, from the baseline's module
        self.mem = defaultdict(list)		# (size, tracker) -> bytes per connection
        self.base_mem = defaultdict(list)
        self.entry = {}				# (tracker, family) -> (ksize, ext, cache)
        self.ev_seg = defaultdict(list)		# phase -> ns per segment with a listener
        self.real = {}				# (topo, load, trackers, round) -> tps
        self.real_tx = {}			# (topo, load) -> transactions per figure
        self.info, self.base_info, self.slab, self.wall = {}, {}, {}, {}
        self.baseline = self.events = None
        self.checks = 0
        self.done = self.failed = False

    def result(self, line, kv, seg, mem, info):
        if 'ns_per_seg' in kv:
            seg[(int(kv['size']), kv['tracker'], kv['phase'])].append(int(kv['ns_per_seg']))
        elif 'mem_bytes_per_conn' in kv:
            mem[(int(kv['size']), kv['tracker'])].append(int(kv['mem_bytes_per_conn']))
        elif 'entry_bytes' in kv:
            if info is self.info:
                cache = re.search(r' slab (\S+)', line)
                self.entry[(kv['tracker'], kv['family'])] = (
                    int(kv['entry_bytes']), int(kv['ext_bytes']), cache and cache[1])
        else:
            info.update({(kv['tracker'], k): v for k, v in kv.items()
                         if k not in ('size', 'run', 'tracker')})

    def line(self, line):
        words = line.split()
        kind, kv = words[1], dict(KV.findall(line))
        if kind == 'FAILED' or (kind in ('check', 'base_check') and 'FAILED' in line):
            self.failed = True
            print(line, file=sys.stderr)
        elif kind == 'done':
            self.done = True
        elif kind in ('check', 'base_check'):
            self.checks += 1
        elif kind == 'result':
            self.result(line, kv, self.seg, self.mem, self.info)
        elif kind == 'base_result':
            self.result(line, kv, self.base_seg, self.base_mem, self.base_info)
        elif kind == 'baseline':
            self.baseline = kv
        elif kind == 'events_result' and 'ns_per_seg' in kv:
            self.ev_seg[kv['phase']].append(int(kv['ns_per_seg']))
        elif kind == 'events_result' and 'events_lost' in kv:
            self.info['events_lost'] = kv['events_lost']
        elif kind == 'real':
            key = (kv['topo'], kv['load'], kv['trackers'], int(kv['round']))
            self.real[key] = float(kv['tps'])
        elif kind == 'real_tx':
            self.real_tx[(kv['topo'], kv['load'])] = int(kv['transactions'])
        elif kind == 'slab':
            self.slab[kv['cache']] = int(kv['objsize'])
        elif kind == 'events':
            self.events = kv
        elif kind == 'info' and 'wall_seconds' in kv:
            self.wall[kv.get('size', 'real traffic')] = int(kv['wall_seconds'])

    def entry_bytes(self, trk, fam):
        """An entry's bytes: its slab cache's object size in /proc/slabinfo
        (what the allocator hands out for it), else ksize(); with
        conntrack's extension area."""
        if (trk, fam) not in self.entry:
            return None
        ks, ext, cache = self.entry[(trk, fam)]
        return self.slab.get(cache, ks) + ext

    def read(self, path):
        for line in open(path, errors='replace'):
            line = line.strip()
            if line.startswith('BENCH '):
                self.line(line)
        return self


def n_name(n):
    """10^k for a power of ten, else the number."""
    k = round(math.log10(n)) if n > 0 else 0
    return f'10^{k}' if 10 ** k == n else str(n)


def synthetic_table(b, sizes):
    print('\nPer-segment cost, synthetic (ns per segment; ratio: the median of each '
          'run\'s tcpsm / nf_conntrack)')
    print(f'| {"connections":>11} | {"segments":<9} | {"tcpsm":<24} | '
          f'{"nf_conntrack":<24} | ratio |')
    print(f'|{"-" * 13}|{"-" * 11}|{"-" * 26}|{"-" * 26}|-------|')
    for n in sizes:
        for ph in PHASES:
            t, c = b.seg.get((n, 'tcpsm', ph), []), b.seg.get((n, 'nf_conntrack', ph), [])
            rs = run_ratios(b.seg, n, ph)
            r = f'{med(rs):.2f}' if rs else 'n/a'
            print(f'| {n_name(n):>11} | {ph:<9} | {fig(t):<24} | {fig(c):<24} | {r:>5} |')


def events_off(b, sizes):
    """Events with no listener: tcpsm against itself with the static branch off."""
    print('\nEvents with no listener (all nine segments, ns per segment): tcpsm as it is '
          'against tcpsm with the events\' static branch off')
    out = []
    for n in sizes:
        on, off = b.seg.get((n, 'tcpsm', 'all'), []), b.seg.get((n, 'tcpsm_events_off', 'all'), [])
        if not on or not off:
            continue
        diff = med(on) - med(off)
        spread = max(max(on) - min(on), max(off) - min(off))
        print(f'{n_name(n)}: on {fig(on)}, off {fig(off)}: {diff:+.0f} ns '
              f'({diff / med(off) * 100:+.1f}%), spread of the runs {spread} ns')
        out.append((f'no listener: events cost nothing measurable at {n_name(n)}',
                    f'{diff:+.0f} ns, spread {spread} ns',
                    abs(diff) <= spread if min(len(on), len(off)) >= MIN_RUNS else None))
    return out


def entry_desc(b, trk, fam):
    ks, ext, cache = b.entry[(trk, fam)]
    return (f'{fam} {b.entry_bytes(trk, fam)} ({cache or "no slab"}' +
            (f' + extensions {ext}' if ext else '') + f', ksize {ks})')


def memory(b, sizes):
    print('\nMemory per connection (bytes)')
    for trk in ('tcpsm', 'nf_conntrack'):
        fams = ', '.join(entry_desc(b, trk, f) for f in ('ipv4', 'ipv6') if (trk, f) in b.entry)
        print(f'an entry of {trk}: {fams or "not measured"}')
    used = {e[2] for e in b.entry.values()} or {'tcpsm_conn', 'nf_conntrack'}
    caches = ', '.join(f'{k} {v}' for k, v in sorted(b.slab.items()) if k in used)
    print(f'object sizes of their slab caches (/proc/slabinfo): {caches or "none found"}')
    for n in sizes:
        t, c = b.mem.get((n, 'tcpsm'), []), b.mem.get((n, 'nf_conntrack'), [])
        print(f'free memory taken per connection at {n_name(n)}: tcpsm {fig(t)}, '
              f'nf_conntrack {fig(c)}')
    big = sizes[-1] if sizes else 0
    if b.mem.get((big, 'tcpsm')) and big >= 100000:
        per = med(b.mem[(big, 'tcpsm')])
        print(f'10^6 connections: tcpsm about {per * 1e6 / 2**20:.0f} MiB '
              f'(measured at {n_name(big)}, slab + hash table)')


LOADS = (('veth', 'rr'), ('veth', 'crr'), ('loopback', 'rr'), ('loopback', 'crr'))
TRACKERS = ('tcpsm', 'conntrack', 'both')


def log_ratios(b, topo, load, trk):
    """Per round: log(time of a transaction with TRK / with no tracking)."""
    rounds = sorted(k[3] for k in b.real if k[:3] == (topo, load, 'none'))
    return [math.log(b.real[(topo, load, 'none', r)] / b.real[(topo, load, trk, r)])
            for r in rounds if b.real.get((topo, load, trk, r))]


def real_traffic(b):
    """The real-traffic table, and tcpsm's overhead against half conntrack's."""
    rounds = len({k[3] for k in b.real})
    tx = ', '.join(f'{t} {w} {b.real_tx.get((t, w), "?")}' for t, w in LOADS)
    print(f'\nReal traffic: {rounds} rounds, the four configurations in turn in each; '
          f'transactions per figure: {tx}')
    print('mean transactions/s; overhead: the time of a transaction against no '
          'tracking in the same round, geometric mean over the rounds [95% confidence '
          'interval, Student\'s t on the logs]')
    print(f'| {"path":<8} | load | {"none":>6} | {"tcpsm":>6} | {"overhead":<20} | '
          f'{"conntrack":>9} | {"overhead":<20} | {"both":>6} | {"overhead":<20} |')
    print(f'|{"-" * 10}|------|{"-" * 8}|{"-" * 8}|{"-" * 22}|{"-" * 11}|{"-" * 22}|'
          f'{"-" * 8}|{"-" * 22}|')
    out = []
    for topo, load in LOADS:
        mean = {trk: statistics.fmean(v) if v else float('nan') for trk in ('none',) + TRACKERS
                for v in [[x for k, x in b.real.items() if k[:3] == (topo, load, trk)]]}
        cells = [f'{mean[trk]:>{6 if trk != "conntrack" else 9}.0f} | '
                 f'{ratio_ci(log_ratios(b, topo, load, trk)):<20}' for trk in TRACKERS]
        print(f'| {topo:<8} | {load:<4} | {mean["none"]:>6.0f} | ' + ' | '.join(cells) + ' |')
        # tcpsm's overhead - half conntrack's, round by round: <= 0 is the goal
        d = [math.expm1(t) - 0.5 * math.expm1(c)
             for t, c in zip(log_ratios(b, topo, load, 'tcpsm'),
                             log_ratios(b, topo, load, 'conntrack'))]
        if len(d) >= 2:
            m, h = mean_ci(d)
            verdict = True if m + h <= 0 else False if m - h > 0 else None
            out.append((f'{topo} {load}: tcpsm\'s overhead <= 0.5 x conntrack\'s',
                        f'{m * 100:+.1f} \u00b1 {h * 100:.1f} points', verdict))
    return out


def seg_targets(b, sizes):
    out = []
    for ph, lim in SEG_MAX:
        what = 'all nine segments' if ph == 'all' else ph
        for n in SIZES:
            rs = run_ratios(b.seg, n, ph) if n in sizes else []
            val = f'{med(rs):.2f} x [{min(rs):.2f}, {max(rs):.2f}]' if rs else 'not measured'
            out.append((f'{what}, {n_name(n)}: tcpsm <= {lim} x conntrack', val,
                        med(rs) <= lim if len(rs) >= MIN_RUNS else None))
    lo, hi = b.seg.get((SIZES[0], 'tcpsm', 'data')), b.seg.get((SIZES[-1], 'tcpsm', 'data'))
    clo, chi = (b.seg.get((SIZES[0], 'nf_conntrack', 'data')),
                b.seg.get((SIZES[-1], 'nf_conntrack', 'data')))
    what = f'data segments: tcpsm at 10^6 <= {SCALE_MAX} x at 10^3'
    if lo and hi:
        r = med(hi) / med(lo)
        ct = f' (conntrack {med(chi) / med(clo):.2f} x)' if clo and chi else ''
        out.append((what, f'{r:.2f} x{ct}', r <= SCALE_MAX
                    if min(len(lo), len(hi)) >= MIN_RUNS else None))
    else:
        out.append((what, 'not measured', None))
    return out


def mem_targets(b):
    out = []
    v4 = b.entry_bytes('tcpsm', 'ipv4')
    out.append((f'IPv4 entry <= {ENTRY_MAX} bytes', f'{v4} bytes' if v4 else 'not measured',
                v4 <= ENTRY_MAX if v4 else None))
    m = b.mem.get((SIZES[-1], 'tcpsm'), [])
    out.append((f'free memory per connection filling 10^6 <= {MEM_MAX} bytes',
                f'{med(m):.0f} bytes [{min(m)}, {max(m)}]' if m else 'not measured',
                med(m) <= MEM_MAX if len(m) >= MIN_RUNS else None))
    v6, c6 = b.entry_bytes('tcpsm', 'ipv6'), b.entry_bytes('nf_conntrack', 'ipv6')
    if v6 and c6:
        out.append((f'IPv6 entry <= {V6_MAX} x conntrack\'s', f'{v6 / c6:.2f} x ({v6} / {c6} '
                    'bytes)', v6 / c6 <= V6_MAX))
    else:
        out.append((f'IPv6 entry <= {V6_MAX} x conntrack\'s', 'not measured', None))
    return out


def verdict(ok):
    return 'n/a' if ok is None else 'MET' if ok else 'NOT MET'


def targets(b, kernel, runs, sizes, also):
    """Issue 16's targets, then the others; MET only when measured as they say."""
    why = ''
    if kernel != 'stock':
        why = 'the targets are for the stock kernel: nothing is judged'
    elif runs < MIN_RUNS:
        why = f'fewer than {MIN_RUNS} runs: per-segment and memory figures not judged'
    rows = seg_targets(b, sizes) + mem_targets(b)
    if kernel != 'stock':
        rows = [(w, v, None) for w, v, _ in rows]
        also = [(w, v, None) for w, v, _ in also]
    print('\nTargets (issue 16; stock kernel, medians of at least 3 runs; '
          'ratio: [min, max] of the runs\' own)' + (f'\n({why})' if why else ''))
    width = max(len(w) for w, _, _ in rows + also)
    print(f'| {"target":<{width}} | {"measured":<32} | result  |')
    print(f'|{"-" * (width + 2)}|{"-" * 34}|---------|')
    for what, val, ok in rows:
        print(f'| {what:<{width}} | {val:<32} | {verdict(ok):<7} |')
    if also:
        print('\nOther checks (earlier issues; real traffic: n/a while the confidence '
              'interval straddles the target)')
        for what, val, ok in also:
            print(f'{verdict(ok):<7}  {what}: {val}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', default='stock')
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('log')
    a = ap.parse_args()

    b = Bench().read(a.log)
    if b.failed or not b.done:
        print('benchmark: FAILED' + ('' if b.done else ' (did not finish)'), file=sys.stderr)
        return 1
    sizes = sorted({k[0] for k in b.seg})
    runs = min((len(v) for k, v in b.seg.items() if k[1] == 'tcpsm'), default=0)
    print(f'tcpsm benchmark, {a.kernel} kernel, QEMU TCG; median [min, max] of {runs} runs')
    print(f'checks passed: {b.checks} (tables hold what the segments imply)')
    walls = ', '.join(f'{n_name(int(k)) if k.isdigit() else k} {v} s' for k, v in b.wall.items())
    print(f'time in the VM: {walls}')
    synthetic_table(b, sizes)
    also = events_off(b, sizes)
    if b.baseline:
        before_after(b.baseline, sizes, b.seg, b.base_seg, b.mem, b.base_mem, b.info,
                     b.base_info)
    memory(b, sizes)
    if b.real:
        also += real_traffic(b)
    if b.events:
        n = sizes[0]
        on, off = b.ev_seg.get('all', []), b.seg.get((n, 'tcpsm', 'all'), [])
        print(f'\nEvents (listener on the group, {n_name(n)} connections)')
        print(f'per segment with a listener: {fig(on)} ns; without: {fig(off)} ns')
        print(f'delivered {b.events["events"]} events at {b.events["rate"]}/s, '
              f'ENOBUFS {b.events["enobufs"]}, events_lost {b.info.get("events_lost", "?")}')
    if a.quick:
        print('\n(quick run: figures are not judged)')
        return 0
    targets(b, a.kernel, runs, sizes, also)
    return 0


if __name__ == '__main__':
    sys.exit(main())
