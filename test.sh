#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing (GDAL, Node.js for the viewer's page,
# Chromium and ChromeDriver for its browser tests), then `dotnet test`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/scripts/prerequisites.sh" gdal node chromium
dotnet test "$here/Ewcm.sln" -c Release -nologo "$@"
