#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise KUnit's KTAP output from a kernel log.

ktap-summary.py LOG [--expect SUITE ...]

Prints each suite and case, then a last line "N passed, N failed, N skipped"
counting test cases (a parameterised case counts once; its parameters are
shown beside it). Exits 1 on a failed case, a suite missing or empty, a
suite whose plan does not match its results, or no KTAP at all.
"""
import re
import sys

PREFIX = re.compile(r'^\[\s*\d+\.\d+\]\s?')
RESULT = re.compile(r'^(not ok|ok) (\d+) (.*?)(?:\s+#\s*(SKIP|TODO)\b.*)?$')
PLAN = re.compile(r'^1\.\.(\d+)$')
SUBTEST = re.compile(r'^# Subtest: (\S+)')


def parse(lines):
    """Return suites: name -> {'plan': n, 'cases': [(name, status, params)]}."""
    suites = {}
    suite = None
    params = {'pass': 0, 'fail': 0, 'skip': 0}
    for raw in lines:
        line = PREFIX.sub('', raw.rstrip('\n'))
        stripped = line.lstrip(' ')
        depth = (len(line) - len(stripped)) // 4
        if depth == 1 and SUBTEST.match(stripped):
            suite = SUBTEST.match(stripped).group(1)
            suites[suite] = {'plan': None, 'cases': []}
            continue
        if suite is None:
            continue
        m = PLAN.match(stripped)
        if m and depth == 1:
            suites[suite]['plan'] = int(m.group(1))
            continue
        m = RESULT.match(stripped)
        if not m:
            continue
        status = 'skip' if m.group(4) == 'SKIP' else (
            'pass' if m.group(1) == 'ok' else 'fail')
        if depth == 2:
            params[status] += 1
        elif depth == 1:
            suites[suite]['cases'].append((m.group(3), status, dict(params)))
            params = {'pass': 0, 'fail': 0, 'skip': 0}
        elif depth == 0:
            suites[suite]['result'] = status
            suite = None
    return suites


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    expect = args[args.index('--expect') + 1:] if '--expect' in args else []
    with open(args[0], errors='replace') as f:
        suites = parse(f)
    total = {'pass': 0, 'fail': 0, 'skip': 0}
    problems = []
    for name, s in suites.items():
        print(f'suite {name}')
        for case, status, p in s['cases']:
            extra = ''
            if sum(p.values()):
                extra = f' ({p["pass"]}/{sum(p.values())} params)'
            print(f'  {status.upper():4} {case}{extra}')
            total[status] += 1
        if not s['cases']:
            problems.append(f'suite {name} ran no case')
        if s['plan'] is not None and s['plan'] != len(s['cases']):
            problems.append(f'suite {name} planned {s["plan"]} cases, reported {len(s["cases"])}')
        if 'result' not in s:
            problems.append(f'suite {name} never finished (crash?)')
    for name in expect:
        if name not in suites:
            problems.append(f'suite {name} did not run')
    if not suites:
        problems.append('no KTAP output found')
    for p in problems:
        print(f'error: {p}')
    print(f'{total["pass"]} passed, {total["fail"]} failed, {total["skip"]} skipped')
    sys.exit(1 if problems or total['fail'] else 0)


if __name__ == '__main__':
    main()
