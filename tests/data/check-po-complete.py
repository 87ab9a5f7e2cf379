#!/usr/bin/env python3
"""Fail unless a .po file exists, compiles with msgfmt --check, and is complete:
no untranslated and no fuzzy messages."""

import os
import re
import subprocess
import sys


def main(argv):
    if len(argv) != 3:
        print("usage: check-po-complete.py MSGFMT PO_FILE", file=sys.stderr)
        return 2
    msgfmt, po = argv[1], argv[2]
    if not os.path.isfile(po):
        print(f"{po}: missing", file=sys.stderr)
        return 1

    env = dict(os.environ, LC_ALL="C", LANGUAGE="")
    proc = subprocess.run(
        [msgfmt, "--check", "--statistics", "--output-file=" + os.devnull, po],
        capture_output=True, text=True, env=env)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        print(f"{po}: msgfmt --check failed", file=sys.stderr)
        return 1

    # e.g. "12 translated messages, 1 fuzzy translation, 2 untranslated messages."
    stats = proc.stderr + proc.stdout
    translated = re.search(r"(\d+) translated message", stats)
    fuzzy = re.search(r"(\d+) fuzzy translation", stats)
    untranslated = re.search(r"(\d+) untranslated message", stats)
    if translated is None:
        print(f"{po}: no statistics line from msgfmt", file=sys.stderr)
        return 1
    n_fuzzy = int(fuzzy.group(1)) if fuzzy else 0
    n_untranslated = int(untranslated.group(1)) if untranslated else 0
    if n_fuzzy or n_untranslated:
        print(f"{po}: incomplete: {n_untranslated} untranslated, {n_fuzzy} fuzzy",
              file=sys.stderr)
        return 1
    if int(translated.group(1)) == 0:
        print(f"{po}: no translated messages", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
