#!/usr/bin/env bash
# Cold starts of the authorizer and login functions from their shaded jars, each against a bare
# "hello world" JVM started the same way, with the same flags, in the same run; in both JIT modes.
#
#   bench/coldstart.sh            (build first: ./authfn package, and bench/run.sh --build)
#
# Every run is a fresh JVM; the script notes the wall clock just before it starts java and the
# driver prints checkpoints against it (bench/src/.../coldstart/). Runs are interleaved (hello,
# bearer, cookie, login, then the breakdown runs, RUNS times) and medians are reported.
#   hello      dev.authfn.bench.coldstart.Hello: main() prints and returns.
#   bearer     AuthorizerHandler from authfn-authorizer-lambda.jar, stateless bearer tokens, key
#              set inline (AUTHFN_KEYS): construct, then decide one bearer request. No network.
#   cookie     the same jar, one session-cookie request: the first DynamoDB read, against moto.
#   login      LoginHandler from authfn-login-lambda.jar, one JSON login against moto.
#   jwks       JwksHandler from authfn-jwks-lambda.jar, its key set read from moto's Secrets
#              Manager (the jar's one SigV4-signed call), then one GET /.well-known/jwks.json.
#              Not in the default SCENARIOS: ask for it (SCENARIOS="jwks").
#   variants   the DynamoDB client alone (build, one GetItem against moto) as DynamoDbClients
#              builds it and with one setting changed; each "sdk-*" row is judged against
#              "sdk-as-built" (SCENARIOS="variants"; bench/src/.../coldstart/SdkClientVariants).
# Breakdown runs add phases before the handler is built: "classes" loads, without initialising,
# every class a training run of the scenario loaded (from -Xlog:class+load), and (cookie, login)
# "sdk" builds a DynamoDB client apart; "init" is then the handler's own work and "first" the
# first request. (So a breakdown run builds a second client inside init, cheaply: its total is a
# little above the plain run's, which is the figure compared.)
#
# BASELINE_JARS=DIR (a folder holding another build's authfn-authorizer-lambda.jar and
# authfn-login-lambda.jar) adds, right after each plain run, the same scenario from those jars
# ("base-bearer", ...), so old and new jars are compared in one interleaved run; the table then
# gives each scenario's change against its baseline.
#
# The report (bench/coldstart_report.py) gives each scenario's median phases, wall clock and CPU
# time (all threads), its ratio to hello world, the number of classes its training run loaded,
# and issue 20's targets: cookie and login as multiples of the bearer path, and each scenario's
# change against its baseline as the median of the paired per-run ratios, with their IQR.
#
# Environment: JAVA_HOME, AUTHFN_BUILD_DIR (default target), RUNS (default 11), CPUS (taskset), FROM
# (dir, the default: each jar unpacked, as Lambda runs it; jar; or aot, the jars with an AOT
# cache each), JIT_MODES
# (default "c1 c2"), SCENARIOS (default "bearer cookie login"; hello always runs), COLDSTART_FLAGS (default "-XX:+UseSerialGC -Xshare:auto", as Lambda runs
# java21 and java25; c1 adds -XX:TieredStopAtLevel=1).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="${AUTHFN_BUILD_DIR:-target}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
runs="${RUNS:-11}"
scenarios=" ${SCENARIOS:-bearer cookie login} "
wants() { [[ "$scenarios" == *" $1 "* ]]; }
flags="${COLDSTART_FLAGS:--XX:+UseSerialGC -Xshare:auto}"
# CPUS=LIST pins every timed and training JVM to those cores (taskset -c LIST): CPUS=0 gives each
# JVM one core, nearer a 1,024 MB function's fraction of a vCPU than the machine's two.
pin=()
[ -z "${CPUS:-}" ] || pin=(taskset -c "$CPUS")

authorizer_jar="$root/functions/authorizer/$build_dir/authfn-authorizer-lambda.jar"
login_jar="$root/functions/login/$build_dir/authfn-login-lambda.jar"
jwks_jar="$root/functions/jwks/$build_dir/authfn-jwks-lambda.jar"
baseline="${BASELINE_JARS:-}"
if [ -n "$baseline" ]; then
  # Absolute, because FROM=dir unpacks each jar from inside another folder.
  [ -d "$baseline" ] || { echo "coldstart.sh: BASELINE_JARS=$baseline is not a folder" >&2; exit 1; }
  baseline="$(cd "$baseline" && pwd)"
  for jar in "$baseline/authfn-authorizer-lambda.jar" "$baseline/authfn-login-lambda.jar" "$baseline/authfn-jwks-lambda.jar"; do
    [ -f "$jar" ] || { echo "coldstart.sh: BASELINE_JARS has no $(basename "$jar")" >&2; exit 1; }
  done
fi
for jar in "$authorizer_jar" "$login_jar" "$jwks_jar" "$here/$build_dir/classpath.txt"; do
  [ -f "$jar" ] || { echo "coldstart.sh: $jar is missing; build first (./authfn package; bench/run.sh --build)" >&2; exit 1; }
done
bench_cp="$here/$build_dir/classes:$(cat "$here/$build_dir/classpath.txt")"
command -v moto_server >/dev/null || { echo "coldstart.sh: moto_server is not on the PATH" >&2; exit 1; }
jar_tool="${JAVA_HOME:+$JAVA_HOME/bin/}jar"
command -v "$jar_tool" >/dev/null || {
  echo "coldstart.sh: the JDK's jar tool ($jar_tool) is missing; set JAVA_HOME to a full JDK >= 21" >&2; exit 1; }

out="$here/$build_dir/coldstart"
rm -rf "$out"
mkdir -p "$out/driver/dev/authfn/bench/coldstart"
# The drivers alone, so the function's jar is the only other thing on the classpath.
cp "$here/$build_dir/classes/dev/authfn/bench/coldstart/"{Checkpoints,Hello,Phases,SdkClientPhase,SdkClientVariants,AuthorizerColdStart,LoginColdStart,JwksColdStart}.class \
   "$out/driver/dev/authfn/bench/coldstart/"
driver="$out/driver"

# Lambda unpacks a .zip or .jar deployment package into /var/task and loads the classes from there
# (docs/PERFORMANCE.md §4 cites AWS), so by default (FROM=dir) every JVM runs from an unpacked
# copy of its jar, not from the compressed jar: reading a class out of the jar inflates it, a cost
# a function never pays. FROM=jar runs the jars themselves. FROM=aot runs the jars with a JDK 25
# AOT cache (JEP 483/514/515) trained by one run of the same scenario: not how authfn deploys (AWS
# advises against AOT caches in .zip/JAR deployments), measured as what would close issue 20.
base_authorizer_jar="$baseline/authfn-authorizer-lambda.jar"
base_login_jar="$baseline/authfn-login-lambda.jar"
base_jwks_jar="$baseline/authfn-jwks-lambda.jar"
from="${FROM:-dir}"
case "$from" in
  dir)
    unpack() { mkdir -p "$out/unpacked/$2" && (cd "$out/unpacked/$2" && "$jar_tool" xf "$1") && echo "$out/unpacked/$2"; }
    authorizer_jar=$(unpack "$authorizer_jar" authorizer)
    login_jar=$(unpack "$login_jar" login)
    if wants jwks; then jwks_jar=$(unpack "$jwks_jar" jwks); fi
    if [ -n "$baseline" ]; then
      base_authorizer_jar=$(unpack "$base_authorizer_jar" base-authorizer)
      base_login_jar=$(unpack "$base_login_jar" base-login)
      if wants jwks; then base_jwks_jar=$(unpack "$base_jwks_jar" base-jwks); fi
    fi ;;
  jar) ;;
  aot)
    # Only the function scenarios are trained (hello world and the sdk-* variants would run
    # without a cache and be compared with runs that have one), so variants are refused.
    if wants variants; then
      echo "coldstart.sh: FROM=aot trains caches for bearer, cookie, login and jwks only; run SCENARIOS=variants with FROM=dir or jar" >&2
      exit 2
    fi
    # An AOT cache takes classes from jars only, and refuses -Xshare flags (it is the sharing).
    "$jar_tool" cf "$out/driver.jar" -C "$out/driver" .
    driver="$out/driver.jar"
    flags="${flags//-Xshare:auto/}" ;;
  *) echo "coldstart.sh: FROM is dir, jar or aot, not ${from}" >&2; exit 2 ;;
esac

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$out/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
moto_up=false
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && { moto_up=true; break; }
  sleep 0.1
done
[ "$moto_up" = true ] || { echo "coldstart.sh: moto_server did not answer on port $port; see $out/moto.log" >&2; exit 1; }

"$java" -cp "$bench_cp" dev.authfn.bench.coldstart.ColdStartSetup prepare "$out/env" "http://127.0.0.1:$port"
# shellcheck disable=SC1091
source "$out/env"
if wants jwks; then
  BENCH_KEYS_SECRET_ID="coldstart-keys-$RANDOM$RANDOM"
  export BENCH_KEYS_SECRET_ID
  AWS_PAGER="" aws --endpoint-url "http://127.0.0.1:$port" --region us-east-1 secretsmanager create-secret \
      --name "$BENCH_KEYS_SECRET_ID" --secret-string "$AUTHFN_KEYS" >/dev/null
fi

new_cookie() {
  BENCH_COOKIE="$("$java" -cp "$bench_cp" dev.authfn.bench.coldstart.ColdStartSetup cookie)"
  export BENCH_COOKIE
}

# run NAME MODE_FLAGS CLASSPATH MAIN ARGS...: one timed JVM; appends its checkpoint line.
run() {
  local name="$1" mode_flags="$2" cp="$3" main="$4"
  shift 4
  local launch line cache
  # FROM=aot: the cache its scenario's training made ("c1 cookie-breakdown" -> c1-cookie.aot,
  # "c1 base-cookie" -> c1-base-cookie.aot); hello world has none and runs without one.
  cache="$out/${name%% *}-$(echo "${name#* }" | sed 's/-breakdown$//').aot"
  [ "$from" = aot ] && [ -f "$cache" ] && mode_flags="$mode_flags -XX:AOTCache=$cache"
  launch=$(date +%s%N)
  # shellcheck disable=SC2086
  line=$("${pin[@]}" "$java" $mode_flags -cp "$cp" "$main" "$launch" "$@" 2>>"$out/stderr.log" | grep '^coldstart ') || {
    echo "coldstart.sh: $name failed; see $out/stderr.log" >&2; exit 1; }
  echo "$name $line" >>"$out/results.txt"
}

# jar_of SCENARIO WHICH: the classpath entry a scenario runs, from this build (WHICH=new) or
# BASELINE_JARS (WHICH=base): the function's jar, or (FROM=dir) the folder it was unpacked into;
# main_of SCENARIO: its driver.
jar_of() {
  case "$1:$2" in
    login:new) echo "$login_jar" ;; login:base) echo "$base_login_jar" ;;
    jwks:new) echo "$jwks_jar" ;; jwks:base) echo "$base_jwks_jar" ;;
    *:new) echo "$authorizer_jar" ;; *:base) echo "$base_authorizer_jar" ;;
  esac
}
main_of() {
  case "$1" in
    login) echo dev.authfn.bench.coldstart.LoginColdStart ;;
    jwks) echo dev.authfn.bench.coldstart.JwksColdStart ;;
    *) echo dev.authfn.bench.coldstart.AuthorizerColdStart ;;
  esac
}

# train MODE MODE_FLAGS SCENARIO JARS [PREFIX]: one untimed run with -Xlog:class+load, leaving the
# names of the classes it loaded in $out/MODE-PREFIXSCENARIO-classes.txt.
train() {
  local mode="$1" mode_flags="$2" scenario="$3" jar main args=()
  local log="$out/$1-${5:-}$3-classes"
  jar="$(jar_of "$scenario" "$4")"; main="$(main_of "$scenario")"
  case "$scenario" in bearer|cookie) args=("$scenario") ;; esac
  [ "$scenario" = cookie ] && new_cookie
  # shellcheck disable=SC2086
  "${pin[@]}" "$java" $mode_flags "-Xlog:class+load=info:file=$log.log" -cp "$jar:$driver" "$main" \
      "$(date +%s%N)" "${args[@]}" >/dev/null 2>>"$out/stderr.log" || {
    echo "coldstart.sh: the $mode ${5:-}$scenario training run failed; see $out/stderr.log" >&2; exit 1; }
  if [ "$from" = aot ]; then
    [ "$scenario" = cookie ] && new_cookie
    # shellcheck disable=SC2086
    "${pin[@]}" "$java" $mode_flags "-XX:AOTCacheOutput=$out/$1-${5:-}$3.aot" -cp "$jar:$driver" "$main" \
        "$(date +%s%N)" "${args[@]}" >/dev/null 2>>"$out/stderr.log" || {
      echo "coldstart.sh: the $mode ${5:-}$scenario AOT training run failed; see $out/stderr.log" >&2; exit 1; }
  fi
  sed -n 's/^\[[^]]*\]\[[^]]*\]\[[^]]*\] \([^ ]*\) source: .*/\1/p' "$log.log" \
      | grep -v -e '^dev\.authfn\.bench\.' -e '\$\$Lambda' -e '/0x' -e 'LambdaForm\$' -e '^jdk\.internal\.reflect\.Generated' \
      >"$log.txt"
}

for mode in ${JIT_MODES:-c1 c2}; do
  case "$mode" in
    c1) mode_flags="$flags -XX:TieredStopAtLevel=1" ;;
    c2) mode_flags="$flags" ;;
    *) echo "coldstart.sh: unknown JIT mode $mode" >&2; exit 2 ;;
  esac
  # Training runs: which classes each scenario loads, for the breakdown's "classes" phase and the
  # report's count of classes loaded (a figure the machine's load does not move).
  for scenario in bearer cookie login jwks; do
    wants "$scenario" || continue
    train "$mode" "$mode_flags" "$scenario" new
    [ -z "$baseline" ] || train "$mode" "$mode_flags" "$scenario" base base-
  done
  for i in $(seq 1 "$runs"); do
    echo "== $mode run $i/$runs" >&2
    run "$mode hello" "$mode_flags" "$driver" dev.authfn.bench.coldstart.Hello
    if wants bearer; then
      run "$mode bearer" "$mode_flags" "$authorizer_jar:$driver" dev.authfn.bench.coldstart.AuthorizerColdStart bearer
      [ -z "$baseline" ] || run "$mode base-bearer" "$mode_flags" "$base_authorizer_jar:$driver" \
          dev.authfn.bench.coldstart.AuthorizerColdStart bearer
    fi
    if wants cookie; then
      new_cookie
      run "$mode cookie" "$mode_flags" "$authorizer_jar:$driver" dev.authfn.bench.coldstart.AuthorizerColdStart cookie
      if [ -n "$baseline" ]; then
        new_cookie
        run "$mode base-cookie" "$mode_flags" "$base_authorizer_jar:$driver" \
            dev.authfn.bench.coldstart.AuthorizerColdStart cookie
      fi
    fi
    if wants login; then
      run "$mode login" "$mode_flags" "$login_jar:$driver" dev.authfn.bench.coldstart.LoginColdStart
      [ -z "$baseline" ] || run "$mode base-login" "$mode_flags" "$base_login_jar:$driver" \
          dev.authfn.bench.coldstart.LoginColdStart
    fi
    if wants variants; then
      # The DynamoDB client alone, as built and with one setting changed (SdkClientVariants).
      for variant in as-built static-endpoint no-call-timeout no-account-id all-three; do
        run "$mode sdk-$variant" "$mode_flags" "$authorizer_jar:$driver" dev.authfn.bench.coldstart.SdkClientVariants "$variant"
      done
    fi
    if wants jwks; then
      run "$mode jwks" "$mode_flags" "$jwks_jar:$driver" dev.authfn.bench.coldstart.JwksColdStart
      [ -z "$baseline" ] || run "$mode base-jwks" "$mode_flags" "$base_jwks_jar:$driver" \
          dev.authfn.bench.coldstart.JwksColdStart
      run "$mode jwks-breakdown" "$mode_flags" "$jwks_jar:$driver" dev.authfn.bench.coldstart.JwksColdStart \
          --classes "$out/$mode-jwks-classes.txt"
    fi
    if wants bearer; then
      # No --sdk: the stateless bearer path never builds a DynamoDB client.
      run "$mode bearer-breakdown" "$mode_flags" "$authorizer_jar:$driver" dev.authfn.bench.coldstart.AuthorizerColdStart \
          bearer --classes "$out/$mode-bearer-classes.txt"
    fi
    if wants cookie; then
      new_cookie
      run "$mode cookie-breakdown" "$mode_flags" "$authorizer_jar:$driver" dev.authfn.bench.coldstart.AuthorizerColdStart \
          cookie --classes "$out/$mode-cookie-classes.txt" --sdk
    fi
    if wants login; then
      run "$mode login-breakdown" "$mode_flags" "$login_jar:$driver" dev.authfn.bench.coldstart.LoginColdStart \
          --classes "$out/$mode-login-classes.txt" --sdk
    fi
  done
done

echo "JDK: $("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.version/ {print $2; exit}'); nproc: $(nproc); CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); flags: $flags; runs: $runs"
python3 "$here/coldstart_report.py" "$out"
