#!/usr/bin/env bash
# Whole-command timings on a benchmark folder (country.yaml + inputs), back to back, in one series:
# Ewcm's decode floor (`ewcm floor`), the full run (`ewcm run`, every output) and the run without the
# raster outputs; with --harness DIR (the benchmark harness's folder, holding peer_rasterio.py and
# floor_read.py) also the rasterio + geopandas pipeline and GDAL's own decode-and-sum, alternated.
#   scripts/bench-run.sh DATADIR [REPEATS] [THREADS] [--harness DIR] [--zones-off]
# --zones-off runs Ewcm on a copy of DATADIR's country.yaml with `blank_zones: { enabled: false }` appended
# (the other files linked), as the issue's backbone measures: the harness's folders can be used as they are.
# Before each command the inputs are read once (cat), so every command starts with them in the page cache:
# on the project's virtual machine a memory reclaimer (DAMON, action pageout) evicts files left unread for a
# while, such as the inputs during a peer's 90-second run, and the next command would read them from disk.
# Prints one line per process: what, wall seconds, peak resident memory; then the medians.
set -euo pipefail
harness=""
zones_off=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in --harness) harness=$2; shift 2 ;; --zones-off) zones_off=1; shift ;; *) args+=("$1"); shift ;; esac
done
data=${args[0]:?usage: scripts/bench-run.sh DATADIR [REPEATS] [THREADS] [--harness DIR] [--zones-off]}
repeats=${args[1]:-3}; threads=${args[2]:-0}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ewcm="dotnet $("$here/scripts/build-cli.sh")" # the build ./ewcm runs
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ "$zones_off" = 1 ]; then
  if grep -q '^blank_zones:' "$data/country.yaml"; then
    echo "$data/country.yaml already sets blank_zones: set 'enabled: false' there, or leave out --zones-off" >&2; exit 2
  fi
  copy="$out/data"
  mkdir -p "$copy"
  for f in "$(cd "$data" && pwd)"/*; do [ "$(basename "$f")" = country.yaml ] || ln -s "$f" "$copy/"; done
  { cat "$data/country.yaml"; echo; echo "blank_zones: { enabled: false }"; } > "$copy/country.yaml"
  data=$copy
fi
whats=(floor run run-no-rasters)
[ -n "$harness" ] && whats+=(gdal-floor rasterio)
declare -A walls mems
for i in $(seq "$repeats"); do
  for what in "${whats[@]}"; do
    case "$what" in
      floor) cmd=($ewcm floor "$data/country.yaml" --threads "$threads") ;;
      run) rm -rf "$out"/[A-Z]*; cmd=($ewcm run "$data/country.yaml" --out "$out" --threads "$threads") ;;
      run-no-rasters) rm -rf "$out"/[A-Z]*; cmd=($ewcm run "$data/country.yaml" --out "$out" --threads "$threads" --no-rasters) ;;
      gdal-floor) cmd=(env GDAL_NUM_THREADS=2 /usr/bin/python3 "$harness/floor_read.py" "$data/pop.tif" sum) ;;
      rasterio) cmd=(/usr/bin/python3 "$harness/peer_rasterio.py" "$data" "$out/rasterio.csv") ;;
    esac
    find -L "$data" -maxdepth 1 -type f -exec cat {} + >/dev/null
    if ! /usr/bin/time -o "$out/time" -f "%e %M" "${cmd[@]}" >"$out/log" 2>&1; then
      echo "$what failed:" >&2; tail -5 "$out/log" >&2; exit 1
    fi
    line=$(tail -1 "$out/time")
    echo "$what wall_s=${line% *} peak_MiB=$(( ${line#* } / 1024 ))"
    walls[$what]+="${line% *} "; mems[$what]+="$(( ${line#* } / 1024 )) "
  done
done
median() { echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for what in "${whats[@]}"; do
  echo "median $what: $(median ${walls[$what]}) s, $(median ${mems[$what]}) MiB"
done
