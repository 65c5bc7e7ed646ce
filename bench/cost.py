#!/usr/bin/env python3
"""authfn's cost model: what logins, authorized requests and refreshes cost on AWS (us-east-1,
on-demand), and a month of N monthly active users beside Amazon Cognito's tiers.

Every input is a named constant below, with where it comes from; docs/COST.md explains them and
holds this script's tables. Standard library only.

  python3 bench/cost.py                     plain tables
  python3 bench/cost.py --markdown          the Markdown tables of docs/COST.md
  python3 bench/cost.py --check docs/COST.md    exit 1 when the doc's tables differ from the output
  python3 bench/cost.py --update docs/COST.md   rewrite the doc's tables from the output
"""
import argparse
import math
import re
import sys

# ---- Cold starts (ms), docs/PERFORMANCE.md section 4, "The DynamoDB paths and the runtime we
# deploy (issue 20, 2026-12-04)": medians of 11 fresh JVMs from the unpacked jars, (C1, C2) like
# CPU_MS. Whole JVM starts without SnapStart, so an upper bound for a SnapStart restore. After a
# new measurement: replace them, run --update docs/COST.md and re-read the figures its prose
# quotes ("In short", "Cold starts and SnapStart"). "cookie" also stands in for the session function.
COLD_START_MS = {"bearer": (150, 163), "cookie": (450, 563), "login": (624, 803)}

CHECKED = "2026-12-04"  # the day the prices below were looked up for this model
PRICES = {  # USD, us-east-1, on-demand; name: (amount, per how many units, unit, source, as of)
    "lambda_x86": (0.0000166667, 1, "GB-second, x86_64 (first 6B a month)",
                   "https://cloudchipr.com/blog/aws-lambda-pricing", "2024; checked " + CHECKED),
    "lambda_arm": (0.0000133334, 1, "GB-second, arm64 (first 7.5B a month)",
                   "https://cloudchipr.com/blog/aws-lambda-pricing", "2024; checked " + CHECKED),
    "lambda_req": (0.20, 1e6, "Lambda requests", "https://git.mcrn.ar/mariano/lambda_local_runner"
                   " (docs/lambdas-md/lambda-13-cost.md)", "2026-05-11; checked " + CHECKED),
    "http_api": (1.00, 1e6, "HTTP API requests (first 300M a month)",
                 "https://aws.amazon.com/api-gateway/pricing/ (worked example)", "read 2026-09-20; checked " + CHECKED),
    "rest_api": (3.50, 1e6, "REST API requests (first 333M a month)",
                 "https://aws.amazon.com/api-gateway/pricing/ (worked example)", "read 2026-09-20; checked " + CHECKED),
    "ddb_rru": (0.125, 1e6, "DynamoDB read request units (on-demand)",
                "https://airbyte.com/data-engineering-resources/dynamodb-pricing", "2025-07-21; checked " + CHECKED),
    "ddb_wru": (0.625, 1e6, "DynamoDB write request units (on-demand)",
                "https://airbyte.com/data-engineering-resources/dynamodb-pricing", "2025-07-21; checked " + CHECKED),
    "secret_call": (0.05, 1e4, "Secrets Manager API calls",
                    "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms",
                    "checked " + CHECKED),
    "secret_month": (0.40, 1, "secret and month",
                     "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms",
                     "checked " + CHECKED),
    "logs_gb": (0.50, 1, "GB of CloudWatch Logs ingested (standard class)", "best-known public figure",
                "(not re-checked here)"),
}
# Cognito user pools, per MAU and month: (free MAUs, [(MAUs up to, price per MAU), ...]).
# https://aws.amazon.com/cognito/pricing/ (its worked examples, page read 2026-09-20). Lite's bands past
# 100,000 MAUs are the best-known public figures (not re-checked here).
COGNITO = {
    "Lite": (10_000, [(100_000, 0.0055), (1_000_000, 0.0046), (10_000_000, 0.00325), (math.inf, 0.0025)]),
    "Essentials": (10_000, [(math.inf, 0.015)]),
    "Plus": (0, [(math.inf, 0.020)]),
}

# ---- Measured warm CPU per decision, docs/PERFORMANCE.md (JMH on the 2-core build machine), ms.
CPU_MS = {  # (C1, C2)
    "bearer": (0.1918, 0.0340),    # target 1: first-sight RS256 bearer decision (the cache hit is ~0.1 us)
    "cookie": (0.00506, 0.00109),  # target 3: cookie decision, store read excluded
    "login": (88.0, 32.7),         # target 6: Argon2id (77.7 / 30.8) + everything else (10.3 / 1.9)
    "refresh": (10.3, 1.9),        # a refresh signs one access token: login's "everything else" stands in
}
# ---- Assumptions (not measured here).
DDB_MS = 5.0              # one in-region DynamoDB round trip from Lambda
FULL_VCPU_MB = 1769       # Lambda gives one vCPU at 1,769 MB, proportionally less below (configuration-memory docs)
MEMORY_MB = 1024          # template.yaml Globals MemorySize: login, authorizer, session (template-rest.yaml: same)
KEY_REFRESH_MIN = 5       # AUTHFN_KEYS_REFRESH_INTERVAL default (AuthfnConfig): one GetSecretValue per env per 5 min
LOG_BYTES = {"login": 181, "refresh": 163}  # one AuditLog event each; an allowed request logs nothing
MONTH_S = 30 * 24 * 3600
MODES = {"cookie": "cookie", "bearer": "bearer + session read", "stateless": "stateless bearer"}


def billed_ms(cpu_ms, ddb_calls):
    """Lambda bills whole milliseconds: CPU stretched to the function's vCPU share, plus round trips."""
    stretch = max(1.0, FULL_VCPU_MB / MEMORY_MB)
    return math.ceil(cpu_ms * stretch + ddb_calls * DDB_MS)


def operations(a):
    """Per operation: API Gateway requests, Lambda invocations [(billed ms, cold-start kind)], RRU, WRU, log bytes.
    The counts are derived in docs/COST.md, "Request units per operation", from the stores' code."""
    jit = 0 if a.jit == "c1" else 1
    cpu = {kind: both[jit] for kind, both in CPU_MS.items()}
    touch = min(1.0, a.session_minutes / a.requests_per_login)  # share of cookie requests that slide the session
    cookie_ms = touch * billed_ms(cpu["cookie"], 2) + (1 - touch) * billed_ms(cpu["cookie"], 1)
    return {
        # GetItem user; UpdateItem reserve; UpdateItem reset; PutItem session (+ its userId-index entry);
        # UpdateItem register; UpdateItem drop expired registrations.
        "login": dict(api=1, calls=[(billed_ms(cpu["login"], 6), "login")], rru=1, wru=6, log=LOG_BYTES["login"]),
        # GetItem session (strongly consistent); UpdateItem touch at most once a minute (+ index entry).
        "cookie": dict(api=1, calls=[(cookie_ms, "cookie")], rru=1, wru=2 * touch, log=0),
        "bearer": dict(api=1, calls=[(billed_ms(cpu["bearer"], 1), "bearer")], rru=1, wru=0, log=0),
        "stateless": dict(api=1, calls=[(billed_ms(cpu["bearer"], 0), "bearer")], rru=0, wru=0, log=0),
        # Authorizer's cookie path with its slide; then the session function: GetItem session, GetItem user.
        "refresh": dict(api=1, calls=[(billed_ms(cpu["cookie"], 2), "cookie"), (billed_ms(cpu["refresh"], 2), "cookie")],
                        rru=3, wru=2, log=LOG_BYTES["refresh"]),
    }


def price(name):
    """USD per single unit."""
    amount, per = PRICES[name][:2]
    return amount / per


def op_cost(op, a, rest=False):
    """Itemised USD for one operation; rest=True sends it through the REST API (authorized requests only)."""
    gb = MEMORY_MB / 1024
    jit = 0 if a.jit == "c1" else 1
    cold_ms = sum(a.cold_start_rate * COLD_START_MS[kind][jit] for _, kind in op["calls"])
    gb_s = sum(ms for ms, _ in op["calls"]) * gb / 1000 + cold_ms * gb / 1000
    return {
        "api": op["api"] * price("rest_api" if rest else "http_api"),
        "lambda_req": len(op["calls"]) * price("lambda_req"),
        "x86": gb_s * price("lambda_x86"),
        "arm": gb_s * price("lambda_arm"),
        "rru": op["rru"] * price("ddb_rru"),
        "wru": op["wru"] * price("ddb_wru"),
        "secrets": a.cold_start_rate * len(op["calls"]) * price("secret_call"),
        "logs": op["log"] / 2**30 * price("logs_gb"),
    }


def total(c, arch="x86"):
    return c["api"] + c["lambda_req"] + c[arch] + c["rru"] + c["wru"] + c["secrets"] + c["logs"]


def usd(x, places=2):
    return f"${x:,.{places}f}"


def counts(a, mau, mode):
    """Operations in a month of `mau` users: cookie clients need no refresh (no access token to renew)."""
    logins = mau * a.logins_per_user
    refreshes = 0 if mode == "cookie" else logins * a.refreshes_per_login
    return {"login": logins, mode: logins * a.requests_per_login, "refresh": refreshes}


def month(a, mau, mode, rest=False, cached_share=1.0):
    """Itemised USD for a month. cached_share: the share of authorized requests that reach the authorizer."""
    ops, items = operations(a), {}
    env_seconds = 0.0
    for name, n in counts(a, mau, mode).items():
        share = cached_share if name == mode else 1.0
        c = op_cost(ops[name], a, rest and name == mode)
        for key, value in c.items():
            items[key] = items.get(key, 0.0) + n * (value if key == "api" else value * share)
        env_seconds += n * share * sum(ms for ms, _ in ops[name]["calls"]) / 1000
    functions = 3 if mode != "cookie" else 2  # login, authorizer (, session)
    environments = max(functions, math.ceil(env_seconds / MONTH_S))
    items["secrets"] += price("secret_month") + environments * MONTH_S / 60 / KEY_REFRESH_MIN * price("secret_call")
    return items


def cognito(tier, mau):
    free, bands = COGNITO[tier]
    cost, low = 0.0, free
    for high, per_mau in bands:
        if mau > low:
            cost += (min(mau, high) - low) * per_mau
        low = max(low, high)
    return cost


def authfn_only(a, mau, mode):
    """authfn's own share: without the API Gateway requests of the authorized calls, which a Cognito
    setup (JWT authorizer on the same API) pays too."""
    items = month(a, mau, mode)
    items["api"] -= counts(a, mau, mode)[mode] * price("http_api")
    return total(items)


def break_even_mau(a, tier, mode):
    """Smallest MAU above which authfn's own share costs less than the tier, or None up to 100M MAUs."""
    low, high = 1, 100_000_000
    if authfn_only(a, high, mode) >= cognito(tier, high):
        return None
    while high - low > 1:  # authfn minus Cognito falls as MAUs grow past the free tier: bisect
        mid = (low + high) // 2
        low, high = (mid, high) if authfn_only(a, mid, mode) >= cognito(tier, mid) else (low, mid)
    return high


def break_even_requests(a, tier, mau, mode):
    """Requests per login at which authfn's own share costs what the tier does at `mau`."""
    base = authfn_only(argparse.Namespace(**{**vars(a), "requests_per_login": 1}), mau, mode)
    per_request = total(op_cost(operations(a)[mode], a)) - price("http_api")
    spare = cognito(tier, mau) - base
    return None if spare <= 0 else 1 + spare / (mau * a.logins_per_user * per_request)


def tables(a):
    """Every table as (name, headers, rows); docs/COST.md holds them between markers of the same name."""
    out = []
    per = {1: "per", 1e4: "per 10,000", 1e6: "per 1M"}
    out.append(("prices", ["item", "USD", "for", "source", "as of"],
                [[k, f"{amount:.10f}".rstrip("0").rstrip("."), f"{per[n]} {unit}", source, date]
                 for k, (amount, n, unit, source, date) in PRICES.items()]
                + [[f"cognito_{t.lower()}", ", then ".join(f"{p:g} to {h:,.0f} MAUs" if h != math.inf else f"{p:g}"
                                                       for h, p in bands),
                    "per MAU and month, " + (f"the first {free:,} MAUs free" if free else "no free MAUs"),
                    "https://aws.amazon.com/cognito/pricing/ (worked examples)", "read 2026-09-20; checked " + CHECKED]
                   for t, (free, bands) in COGNITO.items()]))
    ops = operations(a)
    out.append(("units", ["operation", "API requests", "Lambda invocations", "billed ms, warm (mean)", "RRU", "WRU"],
                [[n, o["api"], len(o["calls"]), " + ".join(f"{ms:g}" for ms, _ in o["calls"]), o["rru"], f"{o['wru']:g}"]
                 for n, o in ops.items()]))
    rows, warm = [], argparse.Namespace(**{**vars(a), "cold_start_rate": 0})
    for name, o in ops.items():
        c = {k: v * 1e6 for k, v in op_cost(o, a).items()}
        cold = total(c) - total({k: v * 1e6 for k, v in op_cost(o, warm).items()})
        authorized = name in MODES
        rest = total({k: v * 1e6 for k, v in op_cost(o, a, authorized).items()})
        rows.append([name, usd(c["api"], 3), usd(c["lambda_req"], 3), usd(c["x86"], 3), usd(c["arm"], 3),
                     usd(c["rru"] + c["wru"], 3), usd(c["secrets"], 3), usd(c["logs"], 3),
                     usd(total(c), 3), usd(total(c, "arm"), 3), usd(rest, 3), usd(cold, 3)])
    out.append(("per-million", ["1M of", "HTTP API", "Lambda requests", "Lambda GB-s x86", "Lambda GB-s arm64",
                                "DynamoDB", "Secrets Manager", "Logs", "total HTTP x86", "total HTTP arm64",
                                "total REST x86", "of which cold starts (x86)"], rows))
    rows = []
    for mau in a.mau:
        m = month(a, mau, "cookie")
        rows.append([f"{mau:,}", usd(m["api"]), usd(m["lambda_req"]), usd(m["x86"]), usd(m["arm"]), usd(m["rru"]),
                     usd(m["wru"]), usd(m["secrets"]), usd(m["logs"]), usd(total(m)), usd(total(m, "arm")),
                     usd(total(month(a, mau, "cookie", rest=True)))])
    out.append(("month-cookie", ["MAU", "HTTP API", "Lambda requests", "Lambda GB-s x86", "Lambda GB-s arm64",
                                 "DynamoDB reads", "DynamoDB writes", "Secrets Manager", "Logs", "total HTTP x86",
                                 "total HTTP arm64", "total REST x86"], rows))
    out.append(("versus-cognito", ["MAU"] + [f"authfn, {m}" for m in MODES.values()] + [f"Cognito {t}" for t in COGNITO],
                [[f"{mau:,}"] + [usd(authfn_only(a, mau, m)) for m in MODES] + [usd(cognito(t, mau)) for t in COGNITO]
                 for mau in a.mau]))
    rows = []
    for tier in COGNITO:
        for mode, label in MODES.items():
            n = break_even_mau(a, tier, mode)
            per_login = [break_even_requests(a, tier, mau, mode) for mau in a.mau]
            rows.append([tier, label, "none up to 100M" if n is None else f"{n:,}"]
                        + ["none" if r is None else f"{r:,.0f}" for r in per_login])
    out.append(("break-even", ["Cognito tier", "authfn mode", "authfn cheaper above (MAU)"]
                + [f"break-even requests per login at {mau:,} MAU" for mau in a.mau], rows))
    out.append(("cache", ["authorizer cache TTL (s)", "authorizer calls per login", "month, bearer + session",
                          "saved", "revocation takes effect"], cache_rows(a)))
    return out


def cache_rows(a):
    """Authorizer result caching on bearer requests, keyed by the Authorization header: at most one authorizer
    call per access token per TTL; the client holds 1 + refreshes-per-login tokens per login."""
    mau, rows = a.mau[len(a.mau) // 2], []
    uncached = total(month(a, mau, "bearer"))
    tokens = 1 + a.refreshes_per_login
    token_s = a.session_minutes * 60 / tokens
    for ttl in [0] + a.cache_ttl:
        calls = a.requests_per_login if ttl == 0 else min(a.requests_per_login, tokens * math.ceil(token_s / ttl))
        cost = total(month(a, mau, "bearer", cached_share=calls / a.requests_per_login))
        delay = "at the next request" if ttl == 0 else f"up to {ttl:,} s later"
        rows.append([f"{ttl:,}", f"{calls:g}", usd(cost), usd(uncached - cost), delay])
    return rows


def markdown(name, headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return f"<!-- cost.py:{name} -->\n" + "\n".join(lines) + f"\n<!-- /cost.py:{name} -->"


def plain(name, headers, rows):
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return f"== {name}\n" + "\n".join(lines[:1] + ["  ".join("-" * w for w in widths)] + lines[1:])


BLOCK = re.compile(r"<!-- cost\.py:([\w-]+) -->\n(?:.*?\n)?<!-- /cost\.py:\1 -->", re.S)


def check(path, blocks):
    with open(path, encoding="utf-8") as f:
        found = {m.group(1): m.group(0) for m in BLOCK.finditer(f.read())}
    stale = [name for name, text in blocks.items() if found.get(name) != text]
    for name in stale:
        print(f"{path}: table '{name}' {'is missing' if name not in found else 'differs from bench/cost.py'}"
              f" (regenerate: python3 bench/cost.py --update {path})", file=sys.stderr)
    return 1 if stale else 0


def update(path, blocks):
    with open(path, encoding="utf-8") as f:
        text = BLOCK.sub(lambda m: blocks.get(m.group(1), m.group(0)), f.read())
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--markdown", action="store_true", help="print the Markdown tables of docs/COST.md")
    p.add_argument("--check", metavar="FILE", help="exit 1 when FILE's tables differ from this output")
    p.add_argument("--update", metavar="FILE", help="rewrite FILE's tables from this output")
    p.add_argument("--mau", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--logins-per-user", type=float, default=4, help="logins per active user and month")
    p.add_argument("--requests-per-login", type=float, default=50, help="authorized requests per login")
    p.add_argument("--refreshes-per-login", type=float, default=3, help="token refreshes per login (bearer modes)")
    p.add_argument("--session-minutes", type=float, default=20, help="active minutes per login")
    p.add_argument("--cold-start-rate", type=float, default=0.01, help="share of invocations that start cold")
    p.add_argument("--cache-ttl", type=int, nargs="+", default=[60, 300, 3600], help="authorizer cache TTLs (s)")
    p.add_argument("--jit", choices=["c1", "c2"], default="c2", help="which JMH figures (SnapStart runs C2)")
    return p.parse_args(argv)


def main(argv):
    a = parse(argv)
    blocks = {name: markdown(name, h, rows) for name, h, rows in tables(a)}
    if a.check:
        return check(a.check, blocks)
    if a.update:
        update(a.update, blocks)
        return check(a.update, blocks)
    render = markdown if a.markdown else plain
    print("\n\n".join(render(name, h, rows) for name, h, rows in tables(a)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
