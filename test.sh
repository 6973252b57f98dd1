#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing (GDAL), then `dotnet test`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/scripts/prerequisites.sh" gdal
dotnet test "$here/Ewcm.sln" -c Release -nologo "$@"
