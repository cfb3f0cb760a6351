#!/usr/bin/env python3
"""Print which slow-path states the unit tests reached.

Reads gcovr's JSON report and lists the execution count of every state
function (named state_*) in src/slowpath*.c.  Exits non-zero if a state was
never reached, so a missing test shows up.
"""
import json
import sys

report = json.load(open(sys.argv[1]))
states = []
for f in report["files"]:
    if not f["file"].startswith("src/slowpath"):
        continue
    for fn in f.get("functions", []):
        name = fn.get("demangled_name") or fn.get("name")
        if name.startswith("state_"):
            states.append((name, fn.get("execution_count", fn.get("count", 0))))
if not states:
    print("slowpath states: no state_* functions found")
    sys.exit(0)
missing = [n for n, c in states if c == 0]
for name, count in sorted(states):
    print(f"  {name:32s} {count:8d} calls")
print(f"slowpath states reached: {len(states) - len(missing)}/{len(states)}")
sys.exit(1 if missing else 0)
