#!/usr/bin/env python3
"""Fail unless the Vietnamese catalogue is complete for the sources as they
are: every file with translatable strings is listed in po/POTFILES.in, every
string xgettext finds there is translated in po/vi.po (none untranslated,
none fuzzy, msgfmt --check clean), and the translations write tone marks the
one way the project chose (see TONE_MARKS below)."""

import os
import re
import subprocess
import sys
import tempfile

# meson's 'glib' preset for i18n.gettext(), so this sees what `meson compile
# saban-pot` would extract
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format", "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format", "--flag=g_set_error:4:c-format",
]

# The project writes tone marks in the traditional placement of state
# documents ("Cộng hòa", "thủy", "xóa", "họa"): in an open syllable ending in
# oa, oe or uy (not qu-), the mark sits on the first vowel. The modern
# placement ("hoà", "thuỷ", "xoá", "hoạ") is refused, so the UI never shows
# both side by side.
MODERN = re.compile(r"(?<![qQ])(?:[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?![\w])", re.UNICODE)

TRANSLATABLE_C = re.compile(r'\b(?:_|N_|C_|NC_|ngettext)\s*\(\s*"')
TRANSLATABLE_UI = re.compile(r'translatable="yes"')


def listed_sources(root):
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def unlisted_sources(root, listed):
    missing = []
    for top, pattern in (("src", TRANSLATABLE_C), ("resources", TRANSLATABLE_UI), ("data", TRANSLATABLE_UI)):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".c", ".ui")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as f:
                    if pattern.search(f.read()) and rel not in listed:
                        missing.append(rel)
    return missing


def stats(msgfmt, po):
    env = dict(os.environ, LC_ALL="C", LANGUAGE="")
    proc = subprocess.run([msgfmt, "--check", "--statistics", "--output-file=" + os.devnull, po],
                          capture_output=True, text=True, env=env)
    text = proc.stderr + proc.stdout
    count = lambda what: int(m.group(1)) if (m := re.search(r"(\d+) " + what, text)) else 0
    return proc.returncode, text, count("translated message"), count("fuzzy translation"), count("untranslated message")


def msgstrs(po):
    out, current = [], None
    with open(po, encoding="utf-8") as f:
        for line in f:
            if line.startswith("msgstr"):
                current = [line.split('"', 1)[1].rsplit('"', 1)[0]]
                out.append(current)
            elif line.startswith('"') and current is not None:
                current.append(line.split('"', 1)[1].rsplit('"', 1)[0])
            else:
                current = None
    return ["".join(parts) for parts in out]


def modern_in_tree(root):
    """The same convention in everything else a user reads: the README, the
    docs, the desktop files, UI templates, and the strings in the sources
    (demo data, server messages)."""
    this = os.path.abspath(__file__)
    for top in ("README.md", "CONTRIBUTING.md", "docs", "data", "resources", "src", "tests"):
        start = os.path.join(root, top)
        walk = [(os.path.dirname(start), [], [os.path.basename(start)])] if os.path.isfile(start) else os.walk(start)
        for dirpath, _, names in walk:
            for name in names:
                path = os.path.join(dirpath, name)
                if not name.endswith((".md", ".in", ".c", ".h", ".ui", ".xml", ".json", ".csv", ".py")) or \
                        os.path.abspath(path) == this:
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        for m in MODERN.finditer(line):
                            yield os.path.relpath(path, root), lineno, m.group(0)


def main(argv):
    if len(argv) != 4:
        print("usage: check-po-complete.py MSGFMT PO_FILE SOURCE_ROOT", file=sys.stderr)
        return 2
    msgfmt, po, root = argv[1:]
    bindir = os.path.dirname(msgfmt)
    xgettext, msgmerge = os.path.join(bindir, "xgettext"), os.path.join(bindir, "msgmerge")
    failed = False

    listed = listed_sources(root)
    for rel in unlisted_sources(root, listed):
        print(f"{rel}: has translatable strings but is not in po/POTFILES.in", file=sys.stderr)
        failed = True

    with tempfile.TemporaryDirectory() as tmp:
        pot, merged = os.path.join(tmp, "saban.pot"), os.path.join(tmp, "vi.po")
        subprocess.run([xgettext, *XGETTEXT_ARGS, "--directory=" + root, "--output=" + pot,
                        *[l for l in listed if os.path.exists(os.path.join(root, l))]], check=True)
        subprocess.run([msgmerge, "--quiet", "--no-fuzzy-matching", "--output-file=" + merged, po, pot], check=True)
        rc, text, translated, fuzzy, untranslated = stats(msgfmt, merged)
        sys.stdout.write(text)
        if rc != 0:
            print(f"{po}: msgfmt --check failed", file=sys.stderr)
            failed = True
        if fuzzy or untranslated or translated == 0:
            print(f"{po}: incomplete for the sources: {untranslated} untranslated, {fuzzy} fuzzy "
                  f"(run `meson compile -C build saban-update-po`, then translate)", file=sys.stderr)
            subprocess.run([os.path.join(bindir, "msgattrib"), "--untranslated", "--no-obsolete", merged])
            failed = True

    for text in msgstrs(po):
        for m in MODERN.finditer(text):
            print(f"{po}: modern tone-mark placement “{m.group(0)}” in “{text[:80]}”: "
                  "write it the traditional way (hòa, thủy, xóa, họa)", file=sys.stderr)
            failed = True
    for path, lineno, word in modern_in_tree(root):
        print(f"{path}:{lineno}: modern tone-mark placement “{word}”: write it the traditional way "
              "(hòa, thủy, xóa, họa)", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
