#!/usr/bin/env bash
# Whole-process harness for `virtualghost run` against the real cloud-hypervisor (issue 9), alternating in the
# same session with the floor: the bare binary booting the same test guest with --kernel on its command line.
# Reports medians and their ratio, the launcher's JVM start -> `vm.boot` answered (from `run -v`), the launcher's
# peak RSS during a run, and the runnable jar's size. Also alternated: the same run through bin/virtualghost (its
# AppCDS archive made once, in a private cache, before timing), and with BASELINE_JAR=<older launcher jar> that
# jar's `java -jar` run, for before/after in one session. Usage:
#   benchmarks/launcher/run.sh [runs]        (CH from VIRTUALGHOST_CH_BINARY or ../shared/ch/cloud-hypervisor)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-11}
java=${JAVA:-java}
jar="$root/virtualghost-launcher/target/virtualghost-launcher.jar"
testkit="$root/virtualghost-ch-testkit/target/classes"
wrapper="$root/virtualghost-launcher/src/main/dist/bin/virtualghost"
baseline=${BASELINE_JAR:-}
[[ -z $baseline || -f $baseline ]] || { echo "run.sh: BASELINE_JAR $baseline not found" >&2; exit 2; }
ch=${VIRTUALGHOST_CH_BINARY:-$root/../shared/ch/cloud-hypervisor}
[[ -f $jar && -d $testkit ]] || { echo "run.sh: build first: ./mvnw -B -q package -DskipTests -pl virtualghost-launcher -am" >&2; exit 2; }
[[ -x $ch ]] || { echo "run.sh: no cloud-hypervisor at $ch; set VIRTUALGHOST_CH_BINARY" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/rt"
cat >"$tmp/G.java" <<'JAVA'
public class G { public static void main(String[] a) { dev.virtualghost.ch.testkit.PvhTestGuest.builder()
    .serialLine("benchmark guest").build().writeTo(java.nio.file.Path.of(a[0])); } }
JAVA
$java -cp "$testkit" "$tmp/G.java" "$tmp/guest.elf"
bare() { rm -f "$tmp/serial"; "$ch" --kernel "$tmp/guest.elf" --cpus boot=1 --memory size=64M --serial "file=$tmp/serial" --console off; }
launcher() { VIRTUALGHOST_RUNTIME_DIR="$tmp/rt" XDG_CONFIG_HOME="$tmp" /usr/bin/time -f '%M' -o "$tmp/rss" \
    $java -jar "$jar" run --wait -v --kernel "$tmp/guest.elf" --ch-binary "$ch" --vcpus 1 --memory 64M 2>"$tmp/err"; }
wrapped() { VIRTUALGHOST_RUNTIME_DIR="$tmp/rt" XDG_CONFIG_HOME="$tmp" XDG_CACHE_HOME="$tmp/cache" \
    VIRTUALGHOST_JAR="$jar" JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")" \
    sh "$wrapper" run --wait --kernel "$tmp/guest.elf" --ch-binary "$ch" --vcpus 1 --memory 64M; }
old() { VIRTUALGHOST_RUNTIME_DIR="$tmp/rt" XDG_CONFIG_HOME="$tmp" \
    $java -jar "$baseline" run --wait --kernel "$tmp/guest.elf" --ch-binary "$ch" --vcpus 1 --memory 64M; }
timed() { local t0 t1; t0=$(date +%s%N); "$1" >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)) >>"$tmp/$2"; }
bare >/dev/null 2>&1; launcher >/dev/null; wrapped >/dev/null 2>&1   # warm the page cache; make the CDS archive
[[ -n $(ls "$tmp/cache/virtualghost/"*.jsa 2>/dev/null) ]] || { echo "run.sh: the wrapper made no CDS archive" >&2; exit 1; }
if [[ -n $baseline ]]; then old >/dev/null 2>&1; fi
: >"$tmp/bare"; : >"$tmp/run"; : >"$tmp/boot"; : >"$tmp/rsslist"; : >"$tmp/wrapped"; : >"$tmp/old"
for ((r = 0; r < runs; r++)); do
    t0=$(date +%s%N); bare >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)) >>"$tmp/bare"
    t0=$(date +%s%N); launcher >/dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)) >>"$tmp/run"
    booted=$(sed -n 's/.*vm.boot done in [0-9]* ms (at epoch ms \([0-9]*\)).*/\1/p' "$tmp/err")
    echo $((booted * 1000 - t0 / 1000)) >>"$tmp/boot"
    cat "$tmp/rss" >>"$tmp/rsslist"
    timed wrapped wrapped
    if [[ -n $baseline ]]; then timed old old; fi
    [[ -z $(ls -A "$tmp/rt/runs") ]] || { echo "run.sh: the launcher left files in its runtime root" >&2; exit 1; }
done
chv=$("$ch" --version); chv=${chv%%$'\n'*}   # no pipe into head: CH panics on a closed stdout
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
b=$(median "$tmp/bare"); l=$(median "$tmp/run")
printf '%d runs each, alternating; %s; %s\n' "$runs" "$($java -version 2>&1 | head -1)" "$chv"
printf '%-52s %10.1f ms\n' "bare cloud-hypervisor --kernel, start to exit (floor)" "$(echo "$b / 1000" | bc -l)"
printf '%-52s %10.1f ms   %.2fx the floor\n' "java -jar launcher run --wait, start to exit" "$(echo "$l / 1000" | bc -l)" \
    "$(echo "$l / $b" | bc -l)"
printf '%-52s %10.1f ms   %.2fx the floor\n' "java -jar launcher, start to vm.boot answered" \
    "$(echo "$(median "$tmp/boot") / 1000" | bc -l)" "$(echo "$(median "$tmp/boot") / $b" | bc -l)"
printf '%-52s %10.1f ms   %.2fx the floor\n' "bin/virtualghost run --wait (AppCDS), start to exit" \
    "$(echo "$(median "$tmp/wrapped") / 1000" | bc -l)" "$(echo "$(median "$tmp/wrapped") / $b" | bc -l)"
if [[ -n $baseline ]]; then
    printf '%-52s %10.1f ms   %.2fx the floor\n' "BASELINE_JAR java -jar run --wait, start to exit" \
        "$(echo "$(median "$tmp/old") / 1000" | bc -l)" "$(echo "$(median "$tmp/old") / $b" | bc -l)"
fi
printf '%-52s %10d KiB (median of peak RSS)\n' "launcher RSS during a run" "$(median "$tmp/rsslist")"
printf '%-52s %10d bytes\n' "runnable jar" "$(stat -c %s "$jar")"
