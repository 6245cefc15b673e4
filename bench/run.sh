#!/usr/bin/env bash
# Measure hotspot's readers at scale beside a floor measured in the same run.
#
# Builds hotspot and the helpers, makes large inputs from the real
# recordings under fixtures/ (bench/mkinputs; into $BENCH_DIR, never into
# the repository), then times, round-robin and RUNS times each:
#   floor lines FILE / floor pprof FILE     the least work a reader must do
#   hotspot convert FILE --to folded        read the input, write folded stacks
# and prints the medians: seconds, MB/s, the ratio to the floor's MB/s
# (1.0 = as fast as the floor), and peak RSS.
#
# Usage: bench/run.sh        Env: MB (text input size, 100), RUNS (3),
#        PPROF_COPIES (2600: 1M samples), BENCH_DIR (${TMPDIR:-/tmp}/hotspot-bench-run)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${MB:-100}
RUNS=${RUNS:-3}
PPROF_COPIES=${PPROF_COPIES:-2600}
DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/hotspot-bench-run}
mkdir -p "$DIR/bin" "$DIR/in" "$DIR/out"
command -v go >/dev/null || export PATH=/usr/local/go/bin:$PATH
go build -o "$DIR/bin/hotspot" ./cmd/hotspot
go build -o "$DIR/bin/floor" ./bench/floor
stamp="$MB $PPROF_COPIES $(git rev-parse HEAD:fixtures 2>/dev/null || echo unknown)"
if [[ ! -f $DIR/in/.stamp || $(cat "$DIR/in/.stamp") != "$stamp" ]]; then
  echo "== building inputs in $DIR/in" >&2
  go run ./bench/mkinputs -root . -out "$DIR/in" -mb "$MB" -pprof-copies "$PPROF_COPIES"
  echo "$stamp" >"$DIR/in/.stamp"
fi
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "bench/run.sh: needs GNU time at /usr/bin/time for peak RSS" >&2; exit 1; }

# measure ROW FILE CMD...: one timed run, appended to $DIR/raw.tsv.
measure() {
  local row=$1 file=$2; shift 2
  local t0 t1
  t0=$(date +%s%N)
  "$TIME" -f '%M' -o "$DIR/time.txt" "$@" >/dev/null 2>&1 || { echo "bench/run.sh: failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  printf '%s\t%s\t%s %s\n' "$row" "$file" "$(( (t1 - t0) / 1000000 ))e-3" "$(tail -1 "$DIR/time.txt")" >>"$DIR/raw.tsv"
}
: >"$DIR/raw.tsv"
B=$DIR/bin I=$DIR/in O=$DIR/out
for run in $(seq "$RUNS"); do
  echo "== run $run of $RUNS" >&2
  for f in perf.txt folded speedscope.json; do
    measure "$f floor" "$I/$f" "$B/floor" lines "$I/$f"
    measure "$f hotspot" "$I/$f" "$B/hotspot" convert "$I/$f" --to folded -o "$O/$f.folded"
  done
  measure "pprof.pb.gz floor" "$I/pprof.pb.gz" "$B/floor" pprof "$I/pprof.pb.gz"
  measure "pprof.pb.gz hotspot" "$I/pprof.pb.gz" "$B/hotspot" convert "$I/pprof.pb.gz" --to folded -o "$O/pprof.folded"
done

# Medians per row, then each hotspot row beside its floor.
awk -F'\t' '
  { split($3, v, " "); key = $1; n[key]++; s[key, n[key]] = v[1] + 0; m[key, n[key]] = v[2] + 0
    cmd = "stat -c %s " $2; cmd | getline size; close(cmd); bytes[key] = size }
  function median(arr, k, c,   i, j, t, a) {
    for (i = 1; i <= c; i++) a[i] = arr[k, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((c + 1) / 2)]
  }
  END {
    printf "| input | MB | floor s | hotspot s | hotspot MB/s | x floor | hotspot peak RSS MB | floor peak RSS MB |\n"
    printf "|---|---:|---:|---:|---:|---:|---:|---:|\n"
    split("perf.txt folded speedscope.json pprof.pb.gz", order, " ")
    for (i = 1; i <= 4; i++) {
      f = order[i]; h = f " hotspot"; fl = f " floor"
      if (!(h in n)) continue
      hs = median(s, h, n[h]); fs = median(s, fl, n[fl])
      mb = bytes[h] / 1e6
      printf "| %s | %.0f | %.3f | %.3f | %.0f | %.3f | %.0f | %.0f |\n", f, mb, fs, hs, (hs > 0 ? mb / hs : 0), (hs > 0 ? fs / hs : 0), median(m, h, n[h]) / 1024, median(m, fl, n[fl]) / 1024
    }
  }' "$DIR/raw.tsv"
echo
echo "floor: lines = find every line end; pprof = google/pprof profile.Parse. x floor = floor time / hotspot time (median of $RUNS, same run)."
