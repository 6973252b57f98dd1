#!/usr/bin/env bash
# Builds the `ewcm` command when its sources changed since the last build, and prints the path of its
# ewcm.dll. The build is ReadyToRun (compiled ahead of time: the sample country runs about 0.5 s faster,
# as less is compiled at start-up) when the compiler package can be had from NuGet (once; offline the
# first time, a plain Release build is made instead). An up-to-date build is reused without starting
# MSBuild, whose no-op build alone takes about 4 s: what a trainer re-running the sample notices.
#   scripts/build-cli.sh            # prints .../src/Ewcm.Cli/bin/ewcm/ewcm.dll
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$here/src/Ewcm.Cli/bin/ewcm"
dll="$out/ewcm.dll"
project="$here/src/Ewcm.Cli/Ewcm.Cli.csproj"

# Stale when missing, or when any source, project or build setting is newer than the last build (folders
# too: deleting or renaming a file changes its folder's date).
stale() {
  [ -f "$dll" ] || return 0
  [ -n "$(find "$here/src" "$here/Directory.Build.props" "$here/Directory.Packages.props" "$here/global.json" \
    \( -name bin -o -name obj -o -name node_modules \) -prune -o -newer "$dll" -print -quit)" ]
}

# Several `./ewcm` started at once (a batch's shards on a cluster) build one at a time: the others wait
# for the lock, then find the build fresh.
if stale; then
  mkdir -p "$(dirname "$out")"
  exec 9>"$out.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
fi
if stale; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  # The builds get the lock's descriptor closed (9>&-): MSBuild and compiler servers they leave running
  # would otherwise hold the lock for minutes.
  rid=$(dotnet --info 9>&- | awk '/^ *RID:/ { print $2; exit }')
  if [ -z "$rid" ] || ! dotnet publish "$project" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
      -o "$out" -nologo -v quiet -clp:ErrorsOnly >"$log" 2>&1 9>&-; then
    if grep -q "error CS" "$log"; then
      cat "$log" >&2 # the code does not compile: building without ReadyToRun would not help
      exit 1
    fi
    echo "ewcm: ReadyToRun build not available here (${rid:-unknown runtime}); building without it" >&2
    dotnet publish "$project" -c Release -o "$out" -nologo -v quiet -clp:ErrorsOnly >&2 9>&-
  fi
  touch "$dll" # publish keeps the date of an unchanged dll; the next check compares against this build
fi
echo "$dll"
