#!/usr/bin/env bash
# Installs the system packages Ewcm needs when they are missing, on Debian/Ubuntu:
#   gdal      libgdal (GDAL's C library, called through its C API)
#   node      Node.js and npm (the viewer's page is bundled with esbuild when the viewer is built)
#   chromium  Chromium and ChromeDriver (the viewer's browser tests)
# Elsewhere it only says what to install.
set -euo pipefail
need=()
for what in "$@"; do
  case "$what" in
    gdal)
      if ! ldconfig -p 2>/dev/null | grep -q 'libgdal\.so'; then need+=(libgdal32); fi ;;
    node)
      if ! command -v node >/dev/null 2>&1; then need+=(nodejs); fi
      if ! command -v npm >/dev/null 2>&1; then need+=(npm); fi ;;
    chromium)
      if [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
      if [ ! -x /usr/bin/chromedriver ]; then need+=(chromium-driver); fi ;;
    *) echo "prerequisites.sh: unknown prerequisite '$what'" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${need[*]} (apt-get)..." >&2
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Please install: ${need[*]} (GDAL: 'brew install gdal' on macOS, OSGeo4W or conda on Windows; Node.js from nodejs.org; Chromium and ChromeDriver for the viewer tests)." >&2
  exit 1
fi
