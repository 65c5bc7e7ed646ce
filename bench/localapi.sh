#!/usr/bin/env bash
# The local API's cost: p50 latency it adds to GET /protected over calling the same two handlers
# in-process, and the throughput of bearer-authorized GETs it serves to a second process.
#
#   bench/localapi.sh       (build the bench first: bench/run.sh --build)
#
# Starts moto_server and `./authfn start-api` (stateless bearer tokens, so every request is the
# authorizer's cached-token path plus the protected function: the local API itself is what is
# measured, not moto), adds a user with the admin CLI, then runs LocalApiLoad in a second JVM:
# it logs in over HTTP, builds the same handlers in-process from the same environment and
# measures both. See bench/src/.../localapi/LocalApiLoad.java for the protocol.
#
# Both JIT modes, one after the other (JIT_MODES, default "c1 c2"): in c1 the local API's JVM
# (through the java launcher's standard JDK_JAVA_OPTIONS) and the load JVM both run with
# -XX:TieredStopAtLevel=1, so the direct calls and the API run the same compiler.
#
# Environment: JAVA_HOME, AUTHFN_BUILD_DIR (bench build dir, default target), THREADS (default
# 8), LOAD_SECONDS (default 10), ROUNDS (default 5000), JIT_MODES; LOAD_FLAGS for the load JVM
# (default "-XX:+UseSerialGC").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build_dir="${AUTHFN_BUILD_DIR:-target}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$here/$build_dir/classpath.txt" ] || { echo "localapi.sh: build the bench first (bench/run.sh --build)" >&2; exit 1; }
bench_cp="$here/$build_dir/classes:$(cat "$here/$build_dir/classpath.txt")"
command -v moto_server >/dev/null || { echo "localapi.sh: moto_server is not on the PATH" >&2; exit 1; }

work="$here/$build_dir/localapi"
rm -rf "$work"
mkdir -p "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_for URL TRIES [PID]: polls URL every half second; gives up early when PID has exited.
wait_for() {
  for _ in $(seq 1 "$2"); do
    curl -s -o /dev/null "$1" && return 0
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
      echo "localapi.sh: the process serving $1 exited; see $work" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "localapi.sh: $1 did not answer; see $work" >&2
  exit 1
}

moto_port=$(free_port)
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
api_pid=""
trap 'kill $api_pid "$moto_pid" 2>/dev/null || true' EXIT
wait_for "http://127.0.0.1:$moto_port/" 60

"$root/authfn" keys generate >"$work/keys.json"
api_port=$(free_port)
# start_api MODE_FLAGS: serves the template against moto, stateless bearer tokens; waits for it.
start_api() {
  JDK_JAVA_OPTIONS="$1" "$root/authfn" start-api --port "$api_port" \
      --dynamodb-endpoint "http://127.0.0.1:$moto_port" --keys "$work/keys.json" \
      --parameter StatelessBearer=true >"$work/api.out" 2>>"$work/api.log" &
  api_pid=$!
  wait_for "http://127.0.0.1:$api_port/.well-known/jwks.json" 360 "$api_pid"
}
stop_api() {
  kill "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true
  api_pid=""
}
start_api ""

password="bench-$(date +%s)-password"
printf '%s\n' "$password" | "$root/authfn" users add bench --role user --permission posts:create --password-stdin \
    >"$work/users.log" 2>&1
state="$root/.authfn/local-api.json"
users_table=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["users_table"])' "$state")
sessions_table=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sessions_table"])' "$state")

echo "JDK: $("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.version/ {print $2; exit}'); nproc: $(nproc); CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
first=true
for mode in ${JIT_MODES:-c1 c2}; do
  case "$mode" in
    c1) mode_flags="-XX:TieredStopAtLevel=1" ;;
    c2) mode_flags="" ;;
    *) echo "localapi.sh: unknown JIT mode $mode (c1 or c2)" >&2; exit 2 ;;
  esac
  # The API that added the user ran in the default mode; restart it in this one (the tables stay).
  if [ "$first" = true ] && [ -z "$mode_flags" ]; then :; else stop_api; start_api "$mode_flags"; fi
  first=false
  echo "== JIT mode $mode"
  # shellcheck disable=SC2086
  "$java" ${LOAD_FLAGS:--XX:+UseSerialGC} $mode_flags -Dthreads="${THREADS:-8}" -Dseconds="${LOAD_SECONDS:-10}" \
      -Drounds="${ROUNDS:-5000}" -cp "$bench_cp" dev.authfn.bench.localapi.LocalApiLoad \
      "http://127.0.0.1:$api_port" "$work/keys.json" "http://127.0.0.1:$moto_port" "$users_table" "$sessions_table" \
      bench "$password"

  if command -v wrk >/dev/null; then
    # Cross-check with a standard load generator: same route, same token kind, same connection count.
    token=$(curl -s -X POST "http://127.0.0.1:$api_port/auth/login" -H 'content-type: application/json' \
        -d "{\"username\":\"bench\",\"password\":\"$password\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    wrk -t2 -c"${THREADS:-8}" -d"${LOAD_SECONDS:-10}s" --latency -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$api_port/protected" | sed -n -e 's/^/wrk: /' -e '/Requests\/sec\|50%\|99%\|Non-2xx\|requests in/p'
  fi
done
