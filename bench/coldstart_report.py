#!/usr/bin/env python3
"""Prints the cold-start table of bench/coldstart.sh and judges issue 20's targets.

Usage: coldstart_report.py OUT_DIR      (the harness's output folder: results.txt, *-classes.txt)

results.txt has one line per timed JVM, in the order they ran:
    MODE SCENARIO coldstart jvm=.. [classes=.. sdk=..] init=.. first=.. total=.. cpu=..
Runs are interleaved, so the k-th line of a scenario and the k-th of its baseline ("base-" +
scenario) ran seconds apart: a change against the baseline is the median over k of the paired
ratios new/base, and its spread the interquartile range of those ratios (the noise of this run).

The targets compare paths of our own that share the JVM's start (a ratio to a hello-world JVM
moves with the machine): cookie <= 2x bearer and 35% below its baseline, login <= 3x bearer and
30% below its baseline, bearer no slower than its baseline within the noise. The "sdk-*" rows
(SCENARIOS=variants: the DynamoDB client alone with one setting changed) are each paired with
"sdk-as-built" in the same way.
"""
import collections
import pathlib
import statistics
import sys

# scenario -> (limit as a multiple of the bearer path, least cut against the baseline jars)
TARGETS = {"cookie": (2.0, 0.35), "login": (3.0, 0.30)}


def read(results):
    rows = collections.defaultdict(list)
    for line in results.read_text().splitlines():
        mode, scenario, _, *phases = line.split()
        rows[(mode, scenario)].append({k: float(v) for k, v in (p.split("=") for p in phases)})
    return rows


def median(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else float("nan")


def paired(new, base):
    """Median and interquartile range of the per-run ratios new/base - 1."""
    ratios = sorted(n["total"] / b["total"] - 1 for n, b in zip(new, base))
    if len(ratios) < 4:
        return statistics.median(ratios), (ratios[0], ratios[-1])
    q = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), (q[0], q[2])


def classes(out, mode, scenario):
    listing = out / f"{mode}-{scenario}-classes.txt"
    return sum(1 for _ in listing.open()) if listing.exists() else None


def verdicts(rows, mode, scenario, total):
    said = []
    bearer = rows.get((mode, "bearer"))
    if scenario in TARGETS and bearer:
        limit, cut = TARGETS[scenario]
        ratio = total / median(bearer, "total")
        said.append(f"{ratio:.2f}x bearer (<= {limit:g}x: "
                    + ("met" if ratio <= limit else f"missed by {ratio / limit - 1:.0%}") + ")")
    base, against = rows.get((mode, "base-" + scenario)), "base"
    if scenario.startswith("sdk-") and scenario != "sdk-as-built":
        base, against = rows.get((mode, "sdk-as-built")), "as-built"
    if base:
        change, (low, high) = paired(rows[(mode, scenario)], base)
        said.append(f"{change:+.1%} vs {against} (IQR {low:+.1%}..{high:+.1%})")
        if scenario in TARGETS:
            cut = TARGETS[scenario][1]
            said.append(f"cut >= {cut:.0%}: " + ("met" if -change >= cut else "missed"))
        elif scenario == "bearer":
            noise = (high - low) / 2
            said.append(f"no slower within the noise (+/-{noise:.1%}): "
                        + ("met" if change <= noise else "MISSED"))
    return "; ".join(said)


def main(out):
    rows = read(out / "results.txt")
    print(f"{'mode':4} {'scenario':21} {'median ms by phase (launch -> result)':52} {'total':>7} "
          f"{'cpu':>7} {'x hello':>7} {'classes':>7}  targets")
    order = lambda kv: (kv[0][0], kv[0][1] != "hello", kv[0][1].removeprefix("base-"), kv[0][1])
    for (mode, scenario), runs in sorted(rows.items(), key=order):
        names = [n for n in runs[0] if n not in ("total", "cpu")]
        total = median(runs, "total")
        hello = median(rows[(mode, "hello")], "total")
        phases = " ".join(f"{n}={median(runs, n):.0f}" for n in names)
        count = classes(out, mode, scenario)
        print(f"{mode:4} {scenario:21} {phases:52} {total:7.0f} {median(runs, 'cpu'):7.0f} "
              f"{total / hello:7.2f} {count if count is not None else '':>7}  "
              f"{verdicts(rows, mode, scenario, total)}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
