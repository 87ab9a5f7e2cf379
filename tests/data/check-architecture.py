#!/usr/bin/env python3
"""The source tree's architecture, checked from its #include lines.

Fails on
- an include cycle between files: Tarjan's strongly connected components over
  the `#include "…"` graph, where `foo.c`, `foo.h` and `foo-private.h` are one
  node (`foo`), so a header and its implementation never count as a cycle;
- an include cycle between folders (src/core/base, src/app/shell, …);
- a folder including from a folder its static library does not depend on in
  meson (directly or through others: the meson graph is the architecture, and
  docs/architecture.md draws it), or a system header its layer must not use
  (core has no GTK, map no HTTP or MQTT, only core/net talks to the network,
  the app keeps no database);
- code fetching a service from the application (`g_application_get_default`,
  `saban_application_get_*`) instead of receiving the session;
- a source file over 1 000 lines whose opening comment does not say why
  ("Over a thousand lines: …").

usage: check-architecture.py SRC_DIR     check the tree
       check-architecture.py --self-test check that the checker fails where it should
"""

import os
import re
import sys
import tempfile

# A file over this many lines says why in its opening comment (its first 40 lines).
LONG_FILE = 1000
LONG_REASON = re.compile(r'over a thousand lines', re.I)

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)

# The folders a folder may include from are those its static library
# depends on in meson, transitively: the meson graph is the architecture.
# `saban_core_base_dep` names core/base; `saban_core_dep` (an aggregate)
# every folder under core/.
DEP_TOKEN = re.compile(r'\bsaban_([a-z0-9_]+)_dep\b(?!\s*=[^=])')


def folders_named(token, folders):
    """The folders a meson dependency name stands for."""
    path = token.replace('_', '/')
    exact = [f for f in folders if f == path]
    return exact or [f for f in folders if f.startswith(path + '/')]


def meson_rules(src, folders):
    """{folder: set of folders it may include from}, from src/**/meson.build."""
    direct = {}
    for folder in folders:
        meson = os.path.join(src, folder, 'meson.build')
        if not os.path.isfile(meson):
            continue
        with open(meson, encoding='utf-8') as f:
            text = re.sub(r'#.*', '', f.read())
        names = set()
        for token in DEP_TOKEN.findall(text):
            names.update(folders_named(token, folders))
        names.discard(folder)
        direct[folder] = names
    rules = {}
    for folder in folders:
        seen, todo = set(), list(direct.get(folder, ()))
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(direct.get(other, ()))
        seen.discard(folder)
        rules[folder] = seen
    return rules


GUI = ('gtk/', 'gdk/', 'adwaita.h', 'shumate/', 'gsk/')
NETWORK = ('libsoup/', 'mosquitto.h')
# folder prefix → system headers it must not include, and why
FORBIDDEN = [
    ('core/', GUI, 'core has no GTK'),
    ('server/', GUI, 'the server has no GTK'),
    ('map', NETWORK, 'map talks neither HTTP nor MQTT'),
    ('core/base', NETWORK, 'only core/net talks to the network'),
    ('core/gis', NETWORK, 'only core/net talks to the network'),
    ('core/live', NETWORK, 'only core/net talks to the network'),
    ('core/command', NETWORK, 'only core/net talks to the network'),
    ('core/scenario', NETWORK, 'only core/net talks to the network'),
    ('core/planning', NETWORK, 'only core/net talks to the network'),
    ('core/catalog', NETWORK, 'only core/net talks to the network'),
    ('app/', NETWORK, 'the app talks to servers through core/net'),
    ('app/', ('sqlite3.h',), 'the app keeps no database: core does'),
]


# Services come from the session, passed down as a construct property; only
# the application's own files may name its getters.
SERVICE_LOOKUP = re.compile(r'\b(g_application_get_default|saban_application_get_(?!type\b)\w+)\s*\(')
APPLICATION_FILES = ('app/shell/saban-application.c', 'app/shell/saban-application.h')


def node_of(path):
    """foo.c, foo.h and foo-private.h are the node foo."""
    name = os.path.basename(path)
    stem = name.rsplit('.', 1)[0]
    if stem.endswith('-private'):
        stem = stem[:-len('-private')]
    return os.path.join(os.path.dirname(path), stem)


def folder_of(path, src):
    return os.path.relpath(os.path.dirname(path), src).replace(os.sep, '/')


def read_tree(src):
    """Returns {file path: [(kind, included name)]} for every .c and .h below
    src, {file path: the application getters it calls}, and the files over
    LONG_FILE lines that do not say why at their top."""
    files, lookups, long_files = {}, {}, []
    for root, _dirs, names in os.walk(src):
        for name in names:
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                files[path] = INCLUDE.findall(text)
                lookups[path] = sorted(set(SERVICE_LOOKUP.findall(text)))
                lines = text.split('\n')
                if len(lines) > LONG_FILE and not LONG_REASON.search('\n'.join(lines[:40])):
                    long_files.append(path)
    return files, lookups, long_files


def tarjan(graph):
    """Strongly connected components of {node: set(nodes)}, iteratively."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def check(src):
    """Returns the list of problems found in the tree below src."""
    files, lookups, long_files = read_tree(src)
    by_name = {}
    for path in files:
        by_name.setdefault(os.path.basename(path), []).append(path)
    folders = sorted({folder_of(p, src) for p in files} |
                     {os.path.relpath(r, src).replace(os.sep, '/') for r, _d, n in os.walk(src) if 'meson.build' in n})
    rules = meson_rules(src, folders)
    problems = []
    file_graph, folder_graph = {}, {}
    for path, includes in sorted(files.items()):
        node = node_of(path)
        folder = folder_of(path, src)
        file_graph.setdefault(node, set())
        folder_graph.setdefault(folder, set())
        where = os.path.relpath(path, src)
        for kind, name in includes:
            if kind == '<':
                for prefix, headers, why in FORBIDDEN:
                    if (folder + '/').startswith(prefix if prefix.endswith('/') else prefix + '/') and \
                            name.startswith(headers):
                        problems.append(f'{where}: includes <{name}>: {why}')
                continue
            targets = by_name.get(os.path.basename(name), [])
            # generated headers (resources, enums) are not in the tree
            if not targets:
                continue
            if len(targets) > 1:
                problems.append(f'{where}: "{name}" names several files: ' +
                                ', '.join(os.path.relpath(t, src) for t in targets))
                continue
            target = targets[0]
            to_node, to_folder = node_of(target), folder_of(target, src)
            if to_node != node:
                file_graph[node].add(to_node)
            if to_folder != folder:
                folder_graph[folder].add(to_folder)
                if to_folder not in rules.get(folder, ()):
                    problems.append(f'{where}: includes "{name}" from {to_folder}, '
                                    f'which {folder} may not use')
    for path, called in sorted(lookups.items()):
        where = os.path.relpath(path, src).replace(os.sep, '/')
        if called and where not in APPLICATION_FILES:
            problems.append(f'{where}: calls {", ".join(called)}: services come from the session '
                            '(a construct property), not from the application')
    for path in sorted(long_files):
        problems.append(f'{os.path.relpath(path, src)}: over {LONG_FILE} lines, and its opening comment '
                        'does not say why ("Over a thousand lines: …"); split it, or say why')
    for component in tarjan(file_graph):
        if len(component) > 1:
            problems.append('include cycle between files: ' +
                            ' → '.join(os.path.relpath(n, src) for n in component))
    for component in tarjan(folder_graph):
        if len(component) > 1:
            problems.append('include cycle between folders: ' + ' → '.join(component))
    return problems


def self_test():
    """The checker must fail on each kind of fault, and pass a clean tree."""
    meson = {
        'core/base/meson.build': 'saban_core_base_dep = declare_dependency()\n',
        'core/gis/meson.build': 'deps = [saban_core_base_dep]  # saban_map_dep in a comment is no dependency\n'
                                'saban_core_gis_dep = declare_dependency(dependencies: deps)\n',
        'core/live/meson.build': 'saban_core_live_dep = declare_dependency(dependencies: [saban_core_gis_dep])\n',
        'core/net/meson.build': 'saban_core_net_dep = declare_dependency(dependencies: [saban_core_live_dep])\n',
        'map/meson.build': 'saban_map_dep = declare_dependency(dependencies: [saban_core_live_dep])\n',
        'app/shell/meson.build': 'saban_app_shell_dep = declare_dependency(dependencies: [saban_app_live_dep])\n',
        'app/live/meson.build': 'saban_app_live_dep = declare_dependency(dependencies: [saban_core_dep])\n',
    }
    cases = {
        'clean': ({'core/base/a.c': '#include "a.h"\n#include "a-private.h"\n',
                   'core/base/a.h': '#include <glib.h>\n',
                   'core/base/a-private.h': '#include "a.h"\n',
                   'core/gis/b.c': '#include "b.h"\n#include "a.h"\n',
                   'core/gis/b.h': '',
                   'core/live/c.c': '#include "a.h"\n',
                   'app/live/p.c': '#include "n.h"\n#include "a.h"\n', 'core/net/n.h': '',
                   'app/shell/w.c': '#include "p.h"\n#include "a.h"\n', 'app/live/p.h': '',
                   'app/shell/saban-application.c': 'GType saban_application_get_type (void);\n'
                                                     'S *saban_application_get_session (A *self) {}\n'
                                                     'app = g_application_get_default ();\n'}, None),
        'file cycle': ({'core/base/a.c': '#include "b.h"\n', 'core/base/a.h': '',
                        'core/base/b.c': '#include "c.h"\n', 'core/base/b.h': '',
                        'core/base/c.c': '#include "a.h"\n', 'core/base/c.h': ''},
                       'include cycle between files'),
        'private header in a cycle': ({'app/shell/w.c': '#include "w-private.h"\n',
                                       'app/shell/w-private.h': '#include "p.h"\n',
                                       'app/shell/p.c': '#include "w.h"\n', 'app/shell/p.h': '',
                                       'app/shell/w.h': ''}, 'include cycle between files'),
        'folder cycle': ({'core/base/a.c': '#include "b.h"\n', 'core/base/a.h': '',
                          'core/gis/b.c': '#include "c.h"\n', 'core/gis/b.h': '',
                          'core/base/c.h': '', 'core/base/c.c': ''}, 'include cycle between folders'),
        'no meson dependency': ({'core/gis/a.c': '#include "m.h"\n', 'map/m.h': ''}, 'which core/gis may not use'),
        'a dependency in a comment': ({'core/gis/a.c': '#include "m.h"\n', 'map/m.h': ''}, 'may not use'),
        'gtk in core': ({'core/live/a.c': '#include <gtk/gtk.h>\n'}, 'core has no GTK'),
        'soup in map': ({'map/a.c': '#include <libsoup/soup.h>\n'}, 'map talks neither HTTP nor MQTT'),
        'net header in map': ({'map/a.c': '#include "n.h"\n', 'core/net/n.h': ''}, 'which map may not use'),
        'soup in core/live': ({'core/live/a.c': '#include <libsoup/soup.h>\n'}, 'only core/net'),
        'sqlite in the app': ({'app/live/a.c': '#include <sqlite3.h>\n'}, 'the app keeps no database'),
        'a panel asks the application': ({'app/live/p.c': 'app = g_application_get_default ();\n'},
                                         'services come from the session'),
        'a window asks the application': ({'app/shell/w.c': 's = saban_application_get_session (app);\n'},
                                          'services come from the session'),
        'a long file that does not say why': ({'core/base/long.c': '/* long.c */\n' + 'int x;\n' * 1001},
                                              'does not say why'),
        'panel includes the window': ({'app/live/p.c': '#include "w.h"\n', 'app/shell/w.h': ''},
                                      'which app/live may not use'),
    }
    failed = 0
    for name, (tree, expected) in cases.items():
        with tempfile.TemporaryDirectory() as src:
            for path, text in list(meson.items()) + list(tree.items()):
                os.makedirs(os.path.join(src, os.path.dirname(path)), exist_ok=True)
                with open(os.path.join(src, path), 'w', encoding='utf-8') as f:
                    f.write(text)
            problems = check(src)
        ok = not problems if expected is None else any(expected in p for p in problems)
        if not ok:
            failed += 1
            print(f'self-test "{name}": expected {expected or "no problem"}, got {problems}', file=sys.stderr)
    return 1 if failed else 0


def main(argv):
    if len(argv) == 2 and argv[1] == '--self-test':
        return self_test()
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
