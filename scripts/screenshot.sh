#!/usr/bin/env bash
# Take a PNG screenshot of a report with headless Chromium, so a person can
# look at it without opening a browser: scripts/screenshot.sh DIR [OUT.png] [WIDTH] [HEIGHT]
#   DIR     a report directory (agentcost report ... -o DIR) or its index.html
#   OUT     the PNG to write (default: DIR/screenshot.png)
#   WIDTH   viewport width in CSS pixels (default 1280)
#   HEIGHT  viewport height (default 9000: headless Chromium captures the
#           viewport, so a tall one holds the whole page; the rest is white)
# Needs Debian's chromium (apt-get install chromium). Not run by the tests.
# The page loads from a file:// URL with networking left off; the report has
# no script and fetches nothing, so what you see is what the file holds.
set -eu
if [ $# -lt 1 ]; then
  echo "usage: scripts/screenshot.sh DIR|index.html [OUT.png] [WIDTH] [HEIGHT]" >&2
  exit 2
fi
src=$1
[ -d "$src" ] && src=$src/index.html
if [ ! -f "$src" ]; then
  echo "screenshot.sh: no report at $src" >&2
  exit 1
fi
out=${2:-$(dirname "$src")/screenshot.png}
width=${3:-1280}
height=${4:-9000}
browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then
  echo "screenshot.sh: chromium not found (apt-get install chromium)" >&2
  exit 1
fi
abs=$(cd "$(dirname "$src")" && pwd)/$(basename "$src")
case $out in /*) ;; *) out=$PWD/$out ;; esac
profile=$(mktemp -d "${TMPDIR:-/tmp}/agentcost-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
flags=(--headless --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --no-default-browser-check --hide-scrollbars
       --user-data-dir="$profile" --window-size="$width,$height" --screenshot="$out")
# Chromium's sandbox refuses to run as root
[ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
"$browser" "${flags[@]}" "file://$abs" >/dev/null 2>&1 || true
if [ ! -s "$out" ]; then
  echo "screenshot.sh: chromium wrote no screenshot" >&2
  exit 1
fi
echo "$out"
