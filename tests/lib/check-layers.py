#!/usr/bin/env python3
"""Check the layering of docs/ARCHITECTURE.md ("Layers and folders").

From the sources:
  - cmd/ -> runtime/ -> libcontainer/, never upward;
  - inside libcontainer/ the folders form no cycle, and the root's
    foundations include nothing from a folder;
  - from outside a folder only its public header is included;
  - nothing in libcontainer/ outside config/ includes jansson (the parser is
    the only code that sees json_t);
  - no string in libcontainer/ or runtime/ names a CLI flag;
  - every .c file is named in docs/ARCHITECTURE.md, the map of the code.
With --build DIR, from the objects' symbols (nm) as well:
  - no two files of libcontainer/ call each other, directly or round a
    longer circle (the call graph between files has no cycle);
  - the folders' call graph agrees with the include rules.

Usage: check-layers.py [--build DIR]   (exit 1 and a line per problem)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LC = 'libcontainer'

# The folders of libcontainer/ and the header each offers to the others.
PUBLIC = {
    'config': 'config.h',
    'seccomp': 'seccomp_filter.h',
    'rootfs': 'rootfs.h',
    'process': 'process.h',
    'cgroups': 'cgroup.h',
    'criu': 'criu.h',
}
# Layers above libcontainer, top first: each may use those below it.
LAYERS = ['libexec', 'cmd', 'runtime', LC]

# Files a rule does not apply to, each with why. An entry no longer needed
# fails the check, so the list can't go stale.
EXEMPT = {
    # the argv it passes to libexec/berth-systemd, not a flag of berth's CLI
    ('flag', 'libcontainer/cgroups/systemd_helper.c'),
}

INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
FLAG = re.compile(r'"[^"\n]*(?<![\w-])--[a-z][a-z-]+[^"\n]*"')


def module(path):
    """'libcontainer/rootfs/mounts.c' -> 'lc/rootfs'; 'runtime/x.c' -> 'runtime'."""
    parts = path.split('/')
    if parts[0] == LC:
        return 'lc/' + parts[1] if len(parts) > 2 else 'lc'
    return parts[0]


def sources():
    out = subprocess.run(['git', '-C', ROOT, 'ls-files', '--cached', '--others',
                          '--exclude-standard', '*.c', '*.h'],
                         check=True, capture_output=True, text=True).stdout.split()
    return [p for p in out if module(p) in LAYERS or module(p).startswith('lc')]


def resolve(includer, name):
    if '/' not in name:
        p = os.path.join(os.path.dirname(includer), name)
    else:
        p = name
    return p if os.path.exists(os.path.join(ROOT, p)) else None


def layer_rank(mod):
    return LAYERS.index(LC if mod.startswith('lc') else mod)


def find_cycle(graph):
    """One cycle in a {node: set(nodes)} graph as a list, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def all_cycles(graph):
    """Every cycle, each reported once, by removing one edge per find."""
    g = {k: set(v) for k, v in graph.items()}
    cycles = []
    while True:
        c = find_cycle(g)
        if not c:
            return cycles
        cycles.append(c)
        g[c[-2]].discard(c[-1])


def exempt(kind, path):
    if (kind, path) in EXEMPT:
        USED.add((kind, path))
        return True
    return False


USED = set()


def check_sources(problems):
    folder_graph = {}
    for path in sources():
        src = open(os.path.join(ROOT, path), encoding='utf-8').read()
        mod = module(path)
        for kind, name in INCLUDE.findall(src):
            if kind == '<':
                if name.startswith('jansson') and mod.startswith('lc') and mod != 'lc/config' \
                        and not exempt('jansson', path):
                    problems.append(f'{path}: includes <{name}>: only config/ sees json_t')
                continue
            target = resolve(path, name)
            if target is None:
                continue
            tmod = module(target)
            if tmod == mod:
                continue
            if not (tmod in LAYERS or tmod.startswith('lc')):
                problems.append(f'{path}: includes {name} from outside the layers')
                continue
            if layer_rank(tmod) < layer_rank(mod):
                problems.append(f'{path}: includes {name}: {mod} may not reach up to {tmod}')
            if tmod.startswith('lc/') and os.path.basename(target) != PUBLIC[tmod[3:]] \
                    and os.path.dirname(target) == f'{LC}/{tmod[3:]}':
                problems.append(f'{path}: includes {name}: outside {tmod[3:]}/ use '
                                f'{LC}/{tmod[3:]}/{PUBLIC[tmod[3:]]}')
            if mod == 'lc' and tmod.startswith('lc/'):
                problems.append(f'{path}: includes {name}: the foundations include no folder')
            if mod.startswith('lc') and tmod.startswith('lc'):
                folder_graph.setdefault(mod, set()).add(tmod)
        if (mod.startswith('lc') or mod == 'runtime') and path.endswith('.c'):
            for line_no, line in enumerate(src.splitlines(), 1):
                if FLAG.search(line) and not line.lstrip().startswith(('/*', '*', '//')) \
                        and not exempt('flag', path):
                    problems.append(f'{path}:{line_no}: names a CLI flag; only cmd/ speaks in flags')
    for kind, path in sorted(EXEMPT - USED):
        problems.append(f'{path}: exempt from the {kind} rule but needs it no more: '
                        'drop it from EXEMPT')
    for c in all_cycles(folder_graph):
        problems.append('libcontainer folders include each other: ' + ' -> '.join(c))
    return folder_graph


def check_map(problems):
    """Every .c file of the layers is named in docs/ARCHITECTURE.md."""
    doc = open(os.path.join(ROOT, 'docs', 'ARCHITECTURE.md'), encoding='utf-8').read()
    named = set(re.findall(r'[\w.-]+\.c\b', doc))
    for path in sources():
        if path.endswith('.c') and module(path) != 'libexec' \
                and os.path.basename(path) not in named:
            problems.append(f'{path}: not named in docs/ARCHITECTURE.md')


def objects(build):
    lib = os.path.join(build, LC, 'libcontainer.a.p')
    for dirpath, _, files in os.walk(lib):
        for f in files:
            if f.endswith('.c.o'):
                yield os.path.join(dirpath, f)


def source_of(obj, build):
    """'.../libcontainer.a.p/rootfs_mounts.c.o' -> 'libcontainer/rootfs/mounts.c'."""
    name = os.path.basename(obj)[:-2]
    for path in sources():
        if path.startswith(LC + '/') and path.endswith('.c'):
            flat = path[len(LC) + 1:].replace('/', '_')
            if flat == name:
                return path
    return None


def check_symbols(build, folder_graph, problems):
    defs, uses = {}, {}
    for obj in objects(build):
        src = source_of(obj, build)
        if src is None:  # generated (criu's rpc.pb-c.c)
            continue
        out = subprocess.run(['nm', '--defined-only', '-g', obj], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3:
                defs[parts[2]] = src
        out = subprocess.run(['nm', '-u', obj], check=True, capture_output=True,
                             text=True).stdout
        uses[src] = {line.split()[-1] for line in out.splitlines() if line.strip()}
    calls = {}
    for src, syms in uses.items():
        for s in syms:
            d = defs.get(s)
            if d and d != src:
                calls.setdefault(src, set()).add(d)
                a, b = module(src), module(d)
                if a != b and b not in folder_graph.get(a, ()):
                    problems.append(f'{src} calls {s} in {d} without including {b}/')
    for c in all_cycles(calls):
        problems.append('files call each other: ' + ' -> '.join(c))


def main():
    problems = []
    folder_graph = check_sources(problems)
    check_map(problems)
    if len(sys.argv) == 3 and sys.argv[1] == '--build':
        check_symbols(sys.argv[2], folder_graph, problems)
    for p in problems:
        print('check-layers:', p)
    if problems:
        return 1
    print('check-layers: cmd -> runtime -> libcontainer; folders, no cycle:')
    for mod in sorted(folder_graph):
        uses = ', '.join(sorted(m[3:] or '(root)' for m in folder_graph[mod] if m != 'lc'))
        print(f'  {mod[3:]:8} uses {uses or "only the root"}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
