#!/usr/bin/env bash
# What the blank zones cost on a benchmark folder (country.yaml + inputs), back to back in one series:
# `ewcm run --no-rasters` with the zones as the country.yaml has them (on unless it says otherwise) and
# with them switched off (a copy of country.yaml with `blank_zones: { enabled: false }`, beside links
# to the same inputs). The zones' cost is the `zones` stage plus what labelling adds to the `overlay`
# stage (run_log.json), per grid cell (the population raster's columns × rows).
#   scripts/bench-zones.sh DATADIR [REPEATS] [THREADS]
# Prints one line per process (wall, peak memory, stages); then medians and ns per cell.
set -euo pipefail
data=${1:?usage: scripts/bench-zones.sh DATADIR [REPEATS] [THREADS]}
repeats=${2:-3}; threads=${3:-0}
data=$(cd "$data" && pwd)
[ -f "$data/country.yaml" ] || { echo "$data/country.yaml: not found; give a folder holding country.yaml" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build "$here/src/Ewcm.Cli/Ewcm.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
ewcm="dotnet $here/src/Ewcm.Cli/bin/Release/net10.0/ewcm.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/off" "$work/out"
for f in "$data"/*; do ln -s "$f" "$work/off/"; done
rm "$work/off/country.yaml"
grep -v '^blank_zones:' "$data/country.yaml" > "$work/off/country.yaml"
echo 'blank_zones: { enabled: false }' >> "$work/off/country.yaml"
cells=$(python3 - "$data/country.yaml" <<'EOF'
import re, struct, sys, os
# Columns × rows of the population GeoTIFF named in country.yaml (classic TIFF or BigTIFF, first IFD).
text = open(sys.argv[1]).read()
m = re.search(r'population:\s*\{[^}]*path:\s*([^,}\s]+)', text)
path = os.path.join(os.path.dirname(sys.argv[1]), m.group(1))
with open(path, 'rb') as f:
    head = f.read(16)
    e = '<' if head[:2] == b'II' else '>'
    big = struct.unpack(e + 'H', head[2:4])[0] == 43
    f.seek(struct.unpack(e + 'Q', head[8:16])[0] if big else struct.unpack(e + 'I', head[4:8])[0])
    n = struct.unpack(e + ('Q' if big else 'H'), f.read(8 if big else 2))[0]
    size = {}
    for _ in range(n):
        entry = f.read(20 if big else 12)
        tag, typ = struct.unpack(e + 'HH', entry[:4])
        raw = entry[12:20] if big else entry[8:12]
        value = struct.unpack(e + ('H' if typ == 3 else 'I'), raw[:2] if typ == 3 else raw[:4])[0]
        if tag in (256, 257):
            size[tag] = value
print(size[256] * size[257])
EOF
)
declare -A vals
for i in $(seq "$repeats"); do
  for what in zones-off zones-on; do
    yaml="$work/off/country.yaml"; [ "$what" = zones-on ] && yaml="$data/country.yaml"
    rm -rf "$work/out"/*
    if ! /usr/bin/time -o "$work/time" -f "%e %M" $ewcm run "$yaml" --out "$work/out" --threads "$threads" --no-rasters >"$work/log" 2>&1; then
      echo "$what failed:" >&2; tail -5 "$work/log" >&2; exit 1
    fi
    read -r wall kib < <(tail -1 "$work/time")
    stages=$(python3 -c "
import json, glob, sys
s = json.load(open(glob.glob(sys.argv[1] + '/*/run_log.json')[0]))['stage_seconds']
print(' '.join(f'{k}={s[k]}' for k in ('overlay', 'zones', 'zones_merge', 'zones_describe', 'zones_files') if k in s))" "$work/out")
    echo "$what wall_s=$wall peak_MiB=$((kib / 1024)) $stages"
    vals[$what.wall]+="$wall "; vals[$what.peak]+="$((kib / 1024)) "
    for kv in $stages; do vals[$what.${kv%=*}]+="${kv#*=} "; done
  done
done
median() { echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for what in zones-off zones-on; do
  line="median $what: wall $(median ${vals[$what.wall]}) s, peak $(median ${vals[$what.peak]}) MiB, overlay $(median ${vals[$what.overlay]}) s"
  [ "$what" = zones-on ] && line+=", zones $(median ${vals[$what.zones]}) s (merge $(median ${vals[$what.zones_merge]}), describe $(median ${vals[$what.zones_describe]}), files $(median ${vals[$what.zones_files]}))"
  echo "$line"
done
awk -v c="$cells" -v on="$(median ${vals[zones-on.overlay]})" -v off="$(median ${vals[zones-off.overlay]})" \
  -v z="$(median ${vals[zones-on.zones]})" 'BEGIN {
  printf "cells %d; zones cost %.2f s = %.1f ns/cell (labelling in the overlay %.2f s + zones stage %.2f s)\n", c, on - off + z, (on - off + z) / c * 1e9, on - off, z }'
