#!/usr/bin/env python3
"""Checks etrace-decode's JSON against its published schema.

    validate_json.py SCHEMA [--one-type] [FILE...]

Reads JSON Lines from the FILEs (standard input without any) and validates
every line against SCHEMA (decode/schema/*.schema.json). Validating a
hundred thousand lines one by one takes minutes, so each line is validated
through its shape: the line with every string replaced by a representative
that matches the same schema patterns, constants and lengths, and every
number by one on the same sides of the same schema bounds. Lines of one
shape validate alike, and each shape is validated once. With --one-type it
also checks that every field path has one JSON type across all the lines
read, null aside: a path is the line's kind and syscall (or function, or
process event, or view row kind) followed by its keys, "[]" standing for any
array element. Prints one line per problem and exits 1 when there is any.
"""

import argparse
import json
import re
import sys
from collections import defaultdict

import jsonschema

MAX_REPORTED = 20


def json_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def schema_facts(schema, strings, patterns, bounds):
    """The constants, patterns and numeric bounds anywhere in the schema."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern":
                patterns.append(re.compile(value))
            elif key in ("minimum", "maximum"):
                bounds.append(value)
            elif key == "const" and isinstance(value, str):
                strings.add(value)
            elif key == "enum":
                strings.update(v for v in value if isinstance(v, str))
            else:
                schema_facts(value, strings, patterns, bounds)
    elif isinstance(schema, list):
        for item in schema:
            schema_facts(item, strings, patterns, bounds)


class Shapes:
    """Maps values to representatives the schema cannot tell apart from them."""

    def __init__(self, schema):
        self.strings, self.patterns, self.bounds = set(), [], []
        schema_facts(schema, self.strings, self.patterns, self.bounds)
        self.representatives = {}

    def string(self, s):
        if s in self.strings:
            return s
        key = (bool(s), tuple(bool(p.search(s)) for p in self.patterns))
        return self.representatives.setdefault(("s", key), s)

    def number(self, n):
        key = (n == int(n), tuple(n < b for b in self.bounds) + tuple(n > b for b in self.bounds))
        return self.representatives.setdefault(("n", key), n)

    def of(self, value):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, (int, float)):
            return self.number(value)
        if isinstance(value, list):
            return [self.of(v) for v in value]
        return {k: self.of(v) for k, v in value.items()}


def line_root(line):
    kind = line.get("kind", "")
    for key in ("syscall", "function", "event"):
        if isinstance(line.get(key), str):
            return kind + ":" + line[key]
    return kind


def record_types(value, path, types, where):
    kind = json_type(value)
    if kind != "null":
        types[path].setdefault(kind, where)
    if isinstance(value, dict):
        for key, member in value.items():
            record_types(member, path + "." + key, types, where)
    elif isinstance(value, list):
        for item in value:
            record_types(item, path + "[]", types, where)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema")
    parser.add_argument("--one-type", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_intermixed_args()

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    shapes = Shapes(schema)
    verdicts = {}  # by shape: its errors
    problems = []
    types = defaultdict(dict)
    lines = 0
    sources = [(name, open(name, encoding="utf-8")) for name in args.files] or [("<stdin>", sys.stdin)]
    for name, source in sources:
        for number, text in enumerate(source, 1):
            if not text.strip():
                continue
            lines += 1
            where = f"{name}:{number}"
            try:
                line = json.loads(text)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not JSON: {e}")
                continue
            shape = json.dumps(shapes.of(line), sort_keys=True)
            if shape not in verdicts:
                verdicts[shape] = [
                    "/" + "/".join(str(p) for p in error.absolute_path) + ": " + error.message[:300]
                    for error in validator.iter_errors(line)
                ]
            problems.extend(f"{where}: {error}" for error in verdicts[shape])
            if args.one_type and isinstance(line, dict):
                record_types(line, line_root(line), types, where)

    for path, seen in sorted(types.items()):
        if len(seen) > 1:
            problems.append(f"{path} has {len(seen)} types: " + ", ".join(f"{t} ({w})" for t, w in sorted(seen.items())))

    for problem in problems[:MAX_REPORTED]:
        print(problem)
    if len(problems) > MAX_REPORTED:
        print(f"... and {len(problems) - MAX_REPORTED} more")
    if lines == 0:
        print("no JSON lines to validate")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
