#!/usr/bin/env bash
# Measures `hotspot flamegraph --format html` (and the SVG) on the shared
# bench's 95 MB folded input beside the line-splitting floor: wall and CPU
# seconds, MB/s, the ratio to the floor, and peak RSS from /usr/bin/time -v.
#
# Usage: bench/render.sh [RUNS]     (default 3; medians are printed)
# Env:   BENCH_WORK (default ${TMPDIR:-/tmp}/hotspot-bench), as ../shared/bench uses.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shared=../shared/bench
work=${BENCH_WORK:-${TMPDIR:-/tmp}/hotspot-bench}
in=$work/inputs/a.folded
mkdir -p "$work/inputs" "$work/bin" "$work/out"
if [[ ! -f $in ]]; then
  [[ -d $shared ]] || { echo "no $in and no $shared to make it" >&2; exit 1; }
  echo "== generating $in (as $shared/gen-inputs.sh does)" >&2
  python3 "$shared/gen/gen_folded.py" --mb "${FOLDED_MB:-100}" -o "$in" --out-b "$work/inputs/b.folded"
fi
(cd "$shared/tools" && go build -o "$work/bin/" ./cmd/linesplit)
go build -o "$work/bin/hotspot" ./cmd/hotspot
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
cat "$in" >/dev/null # warm the page cache, as the floor assumes

echo "== throughput (go test -bench, MB/s of input; the floor reads and splits lines)"
HOTSPOT_BENCH_FOLDED=$in go test -run '^$' -bench 'LineSplitFloor|Render' -benchtime "${runs}x" ./flamegraph/ |
  awk '/^Benchmark/ { for (i=1;i<=NF;i++) if ($(i)=="MB/s") mbs[$1]=$(i-1); order[++n]=$1 }
       END { for (i=1;i<=n;i++) { k=order[i]; if (k ~ /Floor/) f=mbs[k] }
             for (i=1;i<=n;i++) { k=order[i]; printf "%-34s %9.1f MB/s  %6.3f x floor\n", k, mbs[k], mbs[k]/f } }'

echo "== peak RSS and CPU seconds of the command (/usr/bin/time -v, median of $runs)"
for args in "--format html" "--format html --palette hot" "--format svg"; do
  for _ in $(seq "$runs"); do
    # shellcheck disable=SC2086
    /usr/bin/time -v "$work/bin/hotspot" flamegraph "$in" $args -o "$work/out/flame.out" 2>&1 >/dev/null |
      awk -F': ' '/User time/ { u=$2 } /System time/ { s=$2 } /Maximum resident/ { r=$2 } END { printf "%.2f %d\n", u+s, r }'
  done | sort -n | awk -v a="$args" '{ c[NR]=$1; r[NR]=$2 } END { m=int((NR+1)/2); printf "hotspot flamegraph %-28s %6.2f s CPU  %5.0f MB peak RSS\n", a, c[m], r[m]/1024 }'
done
ls -l "$work/out/flame.out" | awk '{ print "last output:", $5, "bytes" }'
