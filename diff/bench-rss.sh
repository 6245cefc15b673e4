#!/usr/bin/env bash
# Peak RSS and CPU of `hotspot diff` on the shared bench's folded-diff pair
# (two 95 MB folded files from ../shared/bench/gen-inputs.sh), beside the
# throughput of BenchmarkCompareFolded and its line-split floor.
# Usage: diff/bench-rss.sh [RUNS]   (BENCH_WORK as for gen-inputs.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
IN="${BENCH_WORK:-${TMPDIR:-/tmp}/hotspot-bench}/inputs"
A="$IN/a.folded" B="$IN/b.folded"
[ -f "$A" ] && [ -f "$B" ] || { echo "missing $A or $B: run ../shared/bench/gen-inputs.sh" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
go build -o "$TMP/hotspot" ./cmd/hotspot
MB=$(( ($(stat -L -c %s "$A") + $(stat -L -c %s "$B")) / 1000000 ))
echo "input: $MB MB (a.folded + b.folded)"
for i in $(seq "$RUNS"); do
	/usr/bin/time -f "%e %U %S %M" -o "$TMP/t" "$TMP/hotspot" diff "$A" "$B" >/dev/null
	read -r wall user sys rss <"$TMP/t"
	awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v mb="$MB" 'BEGIN {
		printf "run: wall %.2f s, cpu %.2f s, %.0f MB/s (wall), peak RSS %.0f MB\n", w, u+s, mb/w, r/1024 }'
done
go test ./diff/ -run '^$' -bench 'CompareFolded|LineSplitFloor' -benchtime 2x | grep -E '^Benchmark'
