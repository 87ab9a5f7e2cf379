#!/usr/bin/env python3
"""Check the Flatpak manifest: valid JSON, the expected app id, runtime and modules."""

import json
import re
import sys

REQUIRED_MODULES = ("proj", "gdal", "libshumate", "saban")


def main(argv):
    if len(argv) != 3:
        print("usage: check-flatpak-manifest.py MANIFEST APP_ID", file=sys.stderr)
        return 2
    path, app_id = argv[1], argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1

    errors = []
    if manifest.get("id", manifest.get("app-id")) != app_id:
        errors.append(f"id is not {app_id}")
    if manifest.get("command") != "saban":
        errors.append("command is not saban")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        errors.append("runtime/sdk are not org.gnome.Platform/org.gnome.Sdk")

    modules = [m for m in manifest.get("modules", []) if isinstance(m, dict)]
    names = [m.get("name") for m in modules]
    for name in REQUIRED_MODULES:
        if name not in names:
            errors.append(f"no module named {name}")
    if names and names[-1] != "saban":
        errors.append("the app module must come last")

    for m in modules:
        for src in m.get("sources", []):
            if not isinstance(src, dict):
                continue
            if src.get("type") in ("archive", "file") and "url" in src:
                digest = src.get("sha256", "")
                if not re.fullmatch(r"[0-9a-f]{64}", digest) or digest == "0" * 64:
                    errors.append(f"{m.get('name')}: source {src['url']} lacks a real sha256")
            if src.get("type") == "dir" and m.get("name") == "saban" and src.get("path") != "..":
                errors.append("the app module must build the repository (path \"..\")")

    for e in errors:
        print(f"{path}: {e}", file=sys.stderr)
    if not errors:
        print(f"{path}: OK, modules: {', '.join(names)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
