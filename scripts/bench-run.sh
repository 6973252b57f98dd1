#!/usr/bin/env bash
# Whole-command timings of Ewcm on a benchmark folder (country.yaml + inputs), back to back:
# the decode floor (`ewcm floor`) and the full run (`ewcm run`, every output), REPEATS times each.
#   scripts/bench-run.sh DATADIR [REPEATS] [THREADS]
# Prints one line per process: what, wall seconds, peak resident memory; then the medians.
set -euo pipefail
data=$1; repeats=${2:-3}; threads=${3:-0}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build "$here/src/Ewcm.Cli/Ewcm.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
ewcm="dotnet $here/src/Ewcm.Cli/bin/Release/net10.0/ewcm.dll"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
declare -A walls
for i in $(seq "$repeats"); do
  for what in floor run; do
    if [ "$what" = floor ]; then args=(floor "$data/country.yaml" --threads "$threads");
    else args=(run "$data/country.yaml" --out "$out" --threads "$threads"); fi
    line=$( { /usr/bin/time -f "%e %M" $ewcm "${args[@]}" >/dev/null 2>/dev/null; } 2>&1 | tail -1 )
    echo "$what wall_s=${line% *} peak_MiB=$(( ${line#* } / 1024 ))"
    walls[$what]+="${line% *} "
  done
done
for what in floor run; do
  echo "median $what: $(echo ${walls[$what]} | tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') s"
done
