#!/usr/bin/env python3
"""Turns docs/openapi.yaml into a C string of its JSON form for GET /api."""
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    doc = yaml.safe_load(f)
text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("/* generated from docs/openapi.yaml by openapi-to-c.py */\n")
    out.write("const char saban_openapi_json[] = ")
    out.write(json.dumps(text, ensure_ascii=False))
    out.write(";\n")
