#!/usr/bin/env bash
# Whole-process start-up harness: median wall time of commands run alternately in the same session, and each
# one's ratio to the first (the baseline, `java -version`). Usage:
#   benchmarks/startup/startup.sh [runs] [-- label=command ...]
# Default commands: java -version, then --version and --help through java -jar and through the bin/virtualghost
# wrapper (AppCDS; its archive goes to a temporary XDG_CACHE_HOME made here, after one warm-up run).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-21}
shift || true
[[ ${1:-} == -- ]] && shift
java=${JAVA:-java}
jar="$root/virtualghost-launcher/target/virtualghost-launcher.jar"
if [[ $# -eq 0 ]]; then
    [[ -f $jar ]] || { echo "startup.sh: $jar missing; build it first: ./mvnw -B -q package -DskipTests -pl virtualghost-launcher -am" >&2; exit 2; }
    set -- "java -version=$java -version" \
           "java -jar --version=$java -jar $jar --version" \
           "bin/virtualghost --version=env VIRTUALGHOST_JAR=$jar $root/virtualghost-launcher/src/main/dist/bin/virtualghost --version" \
           "java -jar --help=$java -jar $jar --help" \
           "bin/virtualghost --help=env VIRTUALGHOST_JAR=$jar $root/virtualghost-launcher/src/main/dist/bin/virtualghost --help"
fi
labels=(); cmds=()
for spec in "$@"; do labels+=("${spec%%=*}"); cmds+=("${spec#*=}"); done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
for i in "${!cmds[@]}"; do ${cmds[$i]} >/dev/null 2>&1 || { echo "startup.sh: '${cmds[$i]}' failed" >&2; exit 1; }; done  # warm the page cache
for ((r = 0; r < runs; r++)); do
    for i in "${!cmds[@]}"; do
        t0=$(date +%s%N); ${cmds[$i]} >/dev/null 2>&1; t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000)) >>"$tmp/$i"
    done
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
base=$(median "$tmp/0")
printf '%-28s %10s %7s   (%d runs each, alternating; %s)\n' command median_ms ratio "$runs" "$($java -version 2>&1 | head -1)"
for i in "${!cmds[@]}"; do
    m=$(median "$tmp/$i")
    printf '%-28s %10.1f %6.2fx\n' "${labels[$i]}" "$(echo "$m / 1000" | bc -l)" "$(echo "$m / $base" | bc -l)"
done
