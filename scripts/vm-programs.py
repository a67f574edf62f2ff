#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vm-programs.py FILE...: print the programs the VM's scripts run, one a
line with where ("PROGRAM<TAB>FILE:LINE"), for scripts/vm-packages-check.sh.

Python files: the commands handed to subprocess (argv lists and shell
strings), and to every function that passes one of its parameters on as
such a command (sh(), loop_bg() ...), in any of the files, since they
import each other's; a variable stands for what is assigned to it, a
module-level constant for its value. Shell strings are split into simple
commands; wrappers are followed (ip netns exec NS, unshare, timeout,
taskset, sh -c ...). Shell files (vm-init.sh): what runs under chroot, in
the host's root; the rest is the initramfs's busybox. Programs that only
a script fed on stdin runs are not found: list them by hand.
"""
import ast
import re
import shlex
import sys

SUBPROCESS = {'run', 'Popen', 'check_output', 'check_call', 'call'}
# words before a command (shell keywords, exec ...): the command follows
PREFIX = {'exec', 'nohup', 'command', 'if', 'then', 'else', 'elif', 'while', 'until', 'do', '!',
          '{', 'time'}
# shell keywords and builtins that start no program
KEYWORDS = {'fi', 'for', 'done', 'case', 'esac', 'in', '}', 'function', 'return', 'local',
            'export', 'set', 'cd',
            'echo', 'printf', 'read', 'test', '[', '[[', 'true', 'false', ':', 'wait', 'kill', 'trap',
            'exit', 'break', 'continue', 'shift', 'eval', '.', 'source', 'ulimit', 'umask'}
# programs that run another: their options are skipped, the program after is found
WRAPPERS = {'unshare', 'nsenter', 'setpriv', 'env', 'stdbuf', 'timeout', 'taskset', 'chroot'}
# a program's name or path, as opposed to a placeholder or an argument
PROGRAM = re.compile(r'/[\w./+-]+|[a-z][\w.+-]*')


def text(node):
    """A command's words as a string: literals as they are, a variable as
    @@name@@ (to follow it into the caller), anything else as X."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        v = CONSTANTS.get(node.id)
        if isinstance(v, (ast.Constant, ast.JoinedStr)):
            return text(v)
        if isinstance(v, (ast.List, ast.Tuple)):
            return ' '.join(text(e) for e in v.elts)
        return f'@@{node.id}@@'
    if isinstance(node, ast.JoinedStr):
        return ''.join(v.value if isinstance(v, ast.Constant) else text(v.value)
                       if isinstance(v, ast.FormattedValue) else 'X' for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (text(node.left) or 'X') + (text(node.right) or 'X')
    return 'X'


CONSTANTS = {}	# module-level NAME = value, in every file (they import each other's)


def progs_of(a):
    """The programs a command argument runs (argv list or shell string)."""
    while isinstance(a, ast.BinOp) and isinstance(a.op, ast.Add):
        a = a.left
    if isinstance(a, ast.Name) and isinstance(CONSTANTS.get(a.id), (ast.List, ast.Tuple)):
        a = CONSTANTS[a.id]
    if isinstance(a, (ast.List, ast.Tuple)):
        return argv_progs([text(e) for e in a.elts])
    return shell_progs(text(a))


def argv_progs(words):
    """The programs an argv runs: its first word, and what wrappers run."""
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        if w is None:
            return out
        if re.match(r'^[A-Za-z_][A-Za-z0-9_]*=', w) or w in PREFIX:
            i += 1
            continue
        if w in KEYWORDS:
            return out
        out.append(w)
        rest = words[i + 1:]
        if w == 'ip' and rest[:2] == ['netns', 'exec']:	# ip netns exec NS PROGRAM
            i += 4
            continue
        if w.rsplit('/', 1)[-1] in ('sh', 'bash') and '-c' in rest:
            j = rest.index('-c') + 1
            if j < len(rest) and rest[j] is not None:
                out += shell_progs(rest[j])
            return out
        if w in WRAPPERS:
            i += 1
            if w == 'chroot' and i < len(words):	# chroot DIR PROGRAM
                i += 1
            # options; timeout's duration, taskset's CPU list, env's X=Y
            while i < len(words) and words[i] is not None and (
                    words[i].startswith('-') or re.match(r'^[A-Za-z_]+=', words[i]) or
                    (w == 'timeout' and re.match(r'^[0-9.]+[smhd]?$', words[i])) or
                    (w == 'taskset' and re.match(r'^[0-9,-]+$', words[i]))):
                i += 1
            continue
        return out
    return out


def shell_progs(s):
    """The programs a shell command line runs: each simple command's first
    word (quotes respected), and what it wraps."""
    out = []
    lex = shlex.shlex(s, posix=True, punctuation_chars=';&|()`\n')
    lex.whitespace = ' \t\r'
    lex.whitespace_split = True
    lex.commenters = '#'
    words = []
    try:
        for tok in list(lex) + [';']:
            if tok and all(ch in ';&|()`\n' for ch in tok):
                out += argv_progs(words)
                words = []
            else:
                words.append(tok)
    except ValueError:	# unbalanced quotes (a piece of a string): read without them
        return shell_progs(re.sub('[\'"\\\\]', '', s)) if re.search('[\'"\\\\]', s) else out
    return out


def py_progs(paths):
    trees = {p: ast.parse(open(p).read(), p) for p in paths}
    for t in trees.values():
        for n in t.body:
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
                CONSTANTS[n.targets[0].id] = n.value
    # runners: subprocess's functions (argument 0 is the command), and every
    # function (in any of the files: they import each other's) that hands one
    # of its parameters on where a runner's command runs a program
    runners = {}
    funcs = [n for t in trees.values() for n in ast.walk(t)
             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    changed = True
    while changed:
        changed = False
        for f in funcs:
            params = [a.arg for a in f.args.args]
            key = f.name
            if params[:1] == ['self']:
                params, key = params[1:], '.' + f.name
            for c in ast.walk(f):
                for a in command_args(c, runners):
                    for p in progs_of(a):
                        m = re.fullmatch(r'@@(\w+)@@', p)
                        if m and m.group(1) in params:
                            k = params.index(m.group(1))
                            if k not in runners.setdefault(key, set()):
                                runners[key].add(k)
                                changed = True
    found = []
    for path, tree in trees.items():
        scopes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for scope in [tree] + scopes:
            assigns = assignments(scope)
            calls = scope.body if scope is tree else [scope]
            for c in (c for b in calls for c in ast.walk(b)):
                for a in command_args(c, runners, assigns):
                    found += [(p, f'{path}:{c.lineno}') for p in progs_of(a)]
    return found


def command_args(c, runners, assigns=None):
    """The arguments of call c that are commands (argv lists or shell
    strings); a variable stands for every value assigned to it (assigns)."""
    if not isinstance(c, ast.Call):
        return []
    f = c.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == 'subprocess':
        args = c.args[:1] if f.attr in SUBPROCESS else []
    else:
        name = '.' + f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
        args = [c.args[k] for k in sorted(runners.get(name, ())) if k < len(c.args)]
    out = []
    for a in args:
        vals = (assigns or {}).get(a.id) if isinstance(a, ast.Name) else None
        out += vals if vals else [a]
    return out


def assignments(scope):
    """name -> the values assigned to it in scope (=, +=, and x = [...] + x)."""
    got = {}
    for n in ast.walk(scope):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            got.setdefault(n.targets[0].id, []).append(n.value)
        elif isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
            got.setdefault(n.target.id, []).append(n.value)
    return got


def shell_file_progs(path):
    """What a shell file runs under chroot (vm-init.sh: in the host's root)."""
    found = []
    for i, line in enumerate(open(path), 1):
        m = re.search(r'\bchroot\s+\S+\s+(.*)', line)
        if m:
            found += [(p, f'{path}:{i}') for p in shell_progs(m.group(1).replace('\\n', '\n'))]
    return found


def main():
    found = py_progs([p for p in sys.argv[1:] if p.endswith('.py')])
    for path in sys.argv[1:]:
        if not path.endswith('.py'):
            found += shell_file_progs(path)
    for p, where in found:
        if PROGRAM.fullmatch(p):
            print(f'{p}\t{where}')


if __name__ == '__main__':
    main()
