#!/usr/bin/env bash
# BenchmarkDotNet suites of the pipeline's stages (src/Ewcm.Bench): decode, exact rasterization, the
# overlay kernel, the per-admin reduction, the blank zones. Each suite validates its answer before it measures; a failed
# check fails the run (exit code 1).
#   scripts/bench.sh [FILTER] [more BenchmarkDotNet options]
#   scripts/bench.sh                      # every suite, short job (a few minutes on 2 cores)
#   scripts/bench.sh '*Decode*'           # one suite (also *Rasterize*, *OverlayKernel*, *OverlayThreads*, *TileCompression*, *Reduction*, *Zone*)
#   scripts/bench.sh '*' --job default    # longer, steadier runs
# Results: BenchmarkDotNet.Artifacts/results/ (Markdown, CSV, HTML).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
filter=${1:-*}
shift || true
job=(--job short)
for a in "$@"; do [ "$a" = --job ] || [ "$a" = -j ] && job=(); done
cd "$here"
exec dotnet run -c Release --project src/Ewcm.Bench -- --filter "$filter" "${job[@]}" "$@"
