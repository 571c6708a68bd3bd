"""The symbol ordering file of scripts/hot-text: every function that callgrind saw executed in
mpf's own processes (not the sh and git it starts), under every name the binary gives its
address (valgrind reports one name of several aliases), sorted so that a regeneration diffs.

Usage: python3 scripts/hot-text.py MPF NM-OUTPUT CALLGRIND-FILE... > scripts/hot-text.order
(MPF the binary profiled, as it was run.)
"""

import re
import sys
from collections import defaultdict


def executed(path, binary):
    """The names of the functions with a cost in one callgrind file, or none if another program."""
    names, ids, used = set(), {}, set()
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("cmd:"):
                program = line.split()[1] if len(line.split()) > 1 else ""
                if program != binary:
                    return set()
            match = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if not match:
                continue
            kind, number, name = match.groups()
            if name is not None:
                ids[number] = name
            if kind == "fn":
                used.add(number)
    for number in used:
        name = re.sub(r"'\d+$", "", ids.get(number, ""))
        # valgrind's name for glibc's start-up code.
        names.add("__libc_start_main" if name == "(below main)" else name)
    return names


def main():
    addresses, aliases = {}, defaultdict(set)
    with open(sys.argv[2]) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and fields[1] in "tTwWi":
                address = int(fields[0], 16)
                addresses[fields[2]] = address
                aliases[address].add(fields[2])
    names = set()
    for path in sys.argv[3:]:
        names |= executed(path, sys.argv[1])
    hot = set()
    for name in names:
        if name in addresses:
            hot |= aliases[addresses[name]]
    sys.stdout.write("".join(name + "\n" for name in sorted(hot)))


main()
