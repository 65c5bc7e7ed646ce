#!/usr/bin/env python3
"""Splits a JFR recording's CPU samples into named parts, by what is on each sample's stack.

Usage: jfrsplit.py RECORDING.jfr NAME=REGEX [NAME=REGEX ...]

Reads the jdk.ExecutionSample events (through the JDK's `jfr` tool, from JAVA_HOME or the PATH),
puts each sample in the first part whose REGEX matches any frame of its stack (frames are written
"package.Class.method"), and prints each part's share of all samples; the samples no part took are
"everything else", listed by their top frame. JMH's `-prof jfr` records stacks only a few frames
deep, so the regexes should name the work itself (a hash, a signature), not a caller far up.

Example (bench/README.md): the login benchmark's profile, split into the hash, the access-token
signature and the rest:

    bench/jfrsplit.py dev.authfn.bench.LoginCpuBenchmark.login-SampleTime/profile.jfr \\
        'Argon2id=Argon2|Blake2b' 'RS256 signature=java\\.math\\.BigInteger|RSACore|RSASSASigner'
"""
import collections
import json
import os
import re
import subprocess
import sys


def samples(recording):
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if os.environ.get("JAVA_HOME") else "jfr"
    printed = subprocess.run([jfr, "print", "--json", "--events", "jdk.ExecutionSample", recording],
                             check=True, capture_output=True, text=True).stdout
    for event in json.loads(printed)["recording"]["events"]:
        frames = event["values"]["stackTrace"]["frames"]
        yield [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]


def main(args):
    if len(args) < 2:
        sys.exit(__doc__)
    parts = [(name, re.compile(regex)) for name, regex in (arg.split("=", 1) for arg in args[1:])]
    counts = collections.Counter()
    rest = collections.Counter()
    total = 0
    for stack in samples(args[0]):
        total += 1
        part = next((name for name, regex in parts if any(regex.search(frame) for frame in stack)), None)
        if part is None:
            counts["everything else"] += 1
            rest[stack[0] if stack else "(no frames)"] += 1
        else:
            counts[part] += 1
    if total == 0:
        sys.exit("jfrsplit.py: the recording holds no execution samples")
    print(f"{total} samples")
    for name in [name for name, _ in parts] + ["everything else"]:
        print(f"{counts[name]:7} {counts[name] / total:7.1%}  {name}")
    print("everything else, by top frame:")
    for frame, count in rest.most_common(15):
        print(f"{count:7} {count / total:7.1%}  {frame}")


if __name__ == "__main__":
    main(sys.argv[1:])
