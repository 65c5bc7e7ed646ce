#!/usr/bin/env python3
"""Prints each benchmark's subject as a ratio to its baseline, measured in the same run.

Usage: ratios.py MODE=results.json [MODE=results.json ...]   (one file per JIT mode and round)

Primary figures come from each class's "paired" method, which runs baseline and subject
alternately and times both (bench/src/.../PairedTimes.java): per iteration, the median over the
pairs of subject/baseline, and each side's median time. Per round (one JMH run) the median over
its iterations; the table shows the median over the rounds and the ratio's spread (min..max).
For LoginCpuBenchmark the subject is "rest" = login - Argon2id, as a fraction of Argon2id.

The second table is the same classes' separately run methods (JMH SampleTime), their median
operation time (p50) and its ratio to the baseline method's p50: a cross-check, exposed to
whatever else the machine did between the two runs.
"""
import json
import statistics
import sys

# class -> (what is compared with the limit, limit)
TARGETS = {
    "BearerPathBenchmark": ("ratio", 1.5),
    "RepeatedTokenBenchmark": ("subject_us", 5.0),
    "CookiePathBenchmark": ("ratio", 10.0),
    "LoginCpuBenchmark": ("ratio", 0.10),
}
SUBJECT = {
    "BearerPathBenchmark": "decision (cache off)",
    "RepeatedTokenBenchmark": "decision (cache hit)",
    "CookiePathBenchmark": "decision (in-memory store)",
    "LoginCpuBenchmark": "rest = login - Argon2id",
}
BASELINE = {
    "BearerPathBenchmark": "Signature RS256 verify",
    "RepeatedTokenBenchmark": "Signature RS256 verify",
    "CookiePathBenchmark": "one HmacSHA256",
    "LoginCpuBenchmark": "Argon2id verify",
}
TO_US = {"ns/op": 1e-3, "us/op": 1.0, "ms/op": 1e3, "s/op": 1e6}


def read(path):
    paired, separate = {}, {}
    for run in json.load(open(path)):
        cls, method = run["benchmark"].rsplit(".", 1)
        cls = cls.rsplit(".", 1)[1]
        params = run.get("params") or {}
        if params:  # e.g. LoginCpuBenchmark[EdDSA]: a parameterised run is its own row
            cls += "[" + ",".join(params[k] for k in sorted(params)) + "]"
        metric = run["primaryMetric"]
        if method == "paired":
            raw = {k: [x for fork in v["rawData"] for x in fork] for k, v in run["secondaryMetrics"].items()}
            base_us = statistics.median(raw["medianBaselineNs"]) / 1e3
            subj_us = statistics.median(raw["medianSubjectNs"]) / 1e3
            ratio = statistics.median(raw["medianRatioPpm"]) / 1e6
            if cls.startswith("LoginCpuBenchmark"):
                subj_us -= base_us
                ratio -= 1
            paired[cls] = (base_us, subj_us, ratio)
        else:
            p50 = (metric.get("scorePercentiles") or {}).get("50.0", metric["score"])
            separate.setdefault(cls, {})[method] = p50 * TO_US.get(metric["scoreUnit"], float("nan"))
    return paired, separate


def fmt_us(us):
    return f"{us / 1e3:.2f} ms" if us >= 1000 else f"{us:.3f} us"


def main(args):
    paired, separate = {}, {}
    for arg in args:
        mode, path = arg.split("=", 1)
        p, s = read(path)
        for cls, value in p.items():
            paired.setdefault((mode, cls), []).append(value)
        for cls, methods in s.items():
            for method, p50 in methods.items():
                separate.setdefault((mode, cls, method), []).append((p50, methods.get("baseline")))

    print("Paired (baseline and subject alternate op by op; medians):")
    print(f"{'mode':4}  {'benchmark':28} {'baseline':24} {'per op':>11}  {'subject':27} {'per op':>11} {'ratio':>7} {'range':>13} {'n':>2}  target")
    for (mode, cls) in sorted(paired):
        runs = paired[(mode, cls)]
        base = statistics.median(b for b, _, _ in runs)
        subj = statistics.median(s for _, s, _ in runs)
        ratios = [r for _, _, r in runs]
        ratio = statistics.median(ratios)
        verdict = ""
        base_cls = cls.split("[")[0]
        if base_cls in TARGETS:
            kind, limit = TARGETS[base_cls]
            value = subj if kind == "subject_us" else ratio
            shown = f"{limit} us" if kind == "subject_us" else f"{limit}x"
            verdict = f"<= {shown}: {'met' if value <= limit else 'MISSED by ' + format(value / limit - 1, '.0%')}"
        print(f"{mode:4}  {cls:28} {BASELINE.get(base_cls, 'baseline'):24} {fmt_us(base):>11}  {SUBJECT.get(base_cls, 'subject'):27} "
              f"{fmt_us(subj):>11} {ratio:7.3f} {min(ratios):6.3f}..{max(ratios):.3f} {len(runs):2}  {verdict}")

    print()
    print("Separate methods (JMH SampleTime p50; ratio to the baseline method's p50; median over rounds):")
    print(f"{'mode':4}  {'benchmark':28} {'method':24} {'p50':>11} {'ratio':>7} {'range':>13} {'n':>2}")
    for key in sorted(separate, key=lambda k: (k[0], k[1], k[2] != "baseline", k[2])):
        mode, cls, method = key
        runs = [(p50, base) for p50, base in separate[key] if base]
        if not runs:
            continue
        ratios = [p50 / base for p50, base in runs]
        print(f"{mode:4}  {cls:28} {method:24} {fmt_us(statistics.median(p for p, _ in runs)):>11} "
              f"{statistics.median(ratios):7.3f} {min(ratios):6.3f}..{max(ratios):.3f} {len(runs):2}")


if __name__ == "__main__":
    main(sys.argv[1:])
