#!/usr/bin/env bash
# Runs the JMH benchmarks in both JIT modes — C1 only (-XX:TieredStopAtLevel=1, what Lambda's java21 and java25 (on demand)
# runtime uses) and the default tiered C2 — and prints each subject as a ratio to the baseline
# measured in the same run. See bench/README.md.
#
#   bench/run.sh [--build] [benchmark regex [JMH options, instead of the defaults below...]]
#
# The machine is shared and noisy, so: every benchmark samples single operations (JMH
# SampleTime) and the ratio is taken between medians (p50), which a descheduled operation barely
# moves; and the whole run is repeated ROUNDS times, alternating the JIT modes, so a baseline and
# its subject always run minutes apart at most. The ratio reported is the median over the rounds.
#
# Environment: JAVA_HOME (a JDK >= 21), AUTHFN_BUILD_DIR (default target), ROUNDS (default 3),
# JMH_OPTS (default "-f 1 -wi 3 -i 5 -w 1s -r 1s", per round), LOGIN_JMH_OPTS (default
# "-f 1 -wi 1 -i 4 -w 5s -r 5s -p jwtAlgorithm=RS256", for LoginCpuBenchmark), JIT_MODES (default "c1 c2"),
# BENCH_JVM_ARGS (default "-XX:+UseSerialGC -Xms512m -Xmx512m": the collector Lambda's JVM picks
# with one vCPU, and a heap that Argon2id's 19 MiB never makes grow).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="${AUTHFN_BUILD_DIR:-target}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ "${1:-}" = "--build" ]; then
  shift
  (cd "$root" && mvn -B -q -Pbench -pl bench -am package -DskipTests -Dauthfn.build.dir="$build_dir")
fi
if [ $# -gt 0 ]; then
  groups=("$1")
  shift
else
  # Login takes tens of milliseconds per op: longer iterations, or each holds a handful of pairs.
  groups=("BearerPath|RepeatedToken|CookiePath" "LoginCpu")
fi

[ -f "$here/$build_dir/classpath.txt" ] || {
  echo "run.sh: $here/$build_dir/classpath.txt is missing; build first: bench/run.sh --build" >&2; exit 1; }
cp="$here/$build_dir/classes:$(cat "$here/$build_dir/classpath.txt")"
results="$here/$build_dir/results"
mkdir -p "$results"
rm -f "$results"/*.json

# shellcheck disable=SC2206
jmh_opts=(${JMH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s})
# shellcheck disable=SC2206
login_opts=(${LOGIN_JMH_OPTS:--f 1 -wi 1 -i 4 -w 5s -r 5s -p jwtAlgorithm=RS256})
jvm_args="${BENCH_JVM_ARGS:--XX:+UseSerialGC -Xms512m -Xmx512m}"
read -r -a modes <<< "${JIT_MODES:-c1 c2}"

files=()
for round in $(seq 1 "${ROUNDS:-3}"); do
  # Alternate which mode goes first, so neither always runs in the same part of the round.
  if [ $((round % 2)) -eq 0 ]; then order=("${modes[@]}"); else order=(); for ((i=${#modes[@]}-1; i>=0; i--)); do order+=("${modes[i]}"); done; fi
  for mode in "${order[@]}"; do
    case "$mode" in
      c1) mode_args="$jvm_args -XX:TieredStopAtLevel=1" ;;
      c2) mode_args="$jvm_args" ;;
      *) echo "run.sh: unknown JIT mode $mode (c1 or c2)" >&2; exit 2 ;;
    esac
    for g in "${!groups[@]}"; do
      regex="${groups[g]}"
      opts=("${jmh_opts[@]}")
      [ "$regex" = "LoginCpu" ] && opts=("${login_opts[@]}")
      [ $# -gt 0 ] && opts=("$@") # options given after the regex replace the defaults
      out="$results/$mode-round$round-$g.json"
      echo "== round $round, JIT mode $mode, $regex: $mode_args" >&2
      "$java" -cp "$cp" org.openjdk.jmh.Main "$regex" "${opts[@]}" \
          -jvmArgsAppend "$mode_args" -rf json -rff "$out" >&2
      files+=("$mode=$out")
    done
  done
done

echo "JDK: $("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.version/ {print $2; exit}'); nproc: $(nproc); CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/ratios.py" "${files[@]}"
