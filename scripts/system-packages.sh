#!/usr/bin/env bash
# Makes sure Debian packages are installed: `bash scripts/system-packages.sh "what for" pkg...`.
# Missing ones are installed when this can be done without asking (root with apt-get, as in CI);
# otherwise it prints the exact command to run and exits 1, so nothing fails later in a way
# that hides the cause (a native module that does not build, a browser that is not there).
set -euo pipefail

why="$1"
shift

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian or Ubuntu: the names differ, so say what is needed and let the build find out.
  echo "socklint: $why needs these Debian packages or your system's equivalents: $*" >&2
  exit 0
fi

missing=()
for p in "$@"; do installed "$p" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "socklint: installing ${missing[*]} ($why)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
  exit 0
fi

echo "socklint: $why needs Debian packages that are not installed: ${missing[*]}" >&2
echo "Run this, then try again:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
