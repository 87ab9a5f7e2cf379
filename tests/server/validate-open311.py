#!/usr/bin/env python3
"""Validates an Open311 GeoReport v2 JSON payload against the standard's JSON
schemas: validate-open311.py SCHEMA_DIR SCHEMA_FILE PAYLOAD_FILE.
Exit 0 if valid, 1 (with the reason) if not, 77 (skip) without jsonschema."""
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)

schema_dir = pathlib.Path(sys.argv[1]).resolve()
schema = json.loads((schema_dir / sys.argv[2]).read_text())
payload = json.loads(pathlib.Path(sys.argv[3]).read_text())
# the schemas refer to each other by file name ("$ref": "request.json")
resolver = jsonschema.RefResolver(base_uri=schema_dir.as_uri() + "/", referrer=schema)
try:
    jsonschema.validate(payload, schema, resolver=resolver,
                        format_checker=jsonschema.FormatChecker())
except jsonschema.ValidationError as e:
    print(f"invalid: {e.message} at {list(e.absolute_path)}", file=sys.stderr)
    sys.exit(1)
