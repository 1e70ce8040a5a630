#!/usr/bin/env bash
# The reports as a browser sees them: index.html rendered by headless
# Chromium (Debian's chromium package), which dumps the DOM it built and logs
# the page's console. Checked: no console message (a script error, or a load
# the page's Content-Security-Policy refused, would be one), every chart
# present and drawn, no element that runs or fetches anything, no URL in any
# attribute, and no request to anything but Chromium's own services in its
# network log. Skipped, and passed, when chromium is not installed.
. "$(dirname "$0")/lib.sh"
D=$SRC/testdata/report

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || CHROMIUM=$(command -v chromium 2>/dev/null || true)
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  echo "t_report_browser.sh: skipped: chromium is not installed (apt-get install chromium)"
  exit 0
fi
have_gnuplot=0
command -v "${AGENTCOST_GNUPLOT:-gnuplot}" >/dev/null 2>&1 && have_gnuplot=1
[ "$have_gnuplot" = 1 ] || echo "t_report_browser.sh: no gnuplot: charts are checked as notes" >&2

# render NAME DIR: Chromium's DOM of DIR/index.html into $T/NAME.dom, its log
# into $T/NAME.log, its network log into $T/NAME.net
render() {
  local profile flags
  profile=$(mktemp -d "$T/profile.XXXXXX")
  flags=(--headless --disable-gpu --disable-background-networking --disable-component-update
         --disable-sync --disable-default-apps --disable-extensions --no-first-run
         --no-default-browser-check --user-data-dir="$profile" --enable-logging=stderr --v=0
         --log-net-log="$T/$1.net" --dump-dom)
  [ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
  timeout 120 "$CHROMIUM" "${flags[@]}" "file://$2/index.html" >"$T/$1.dom" 2>"$T/$1.log"
  local rc=$?
  if [ "$rc" = 0 ] && grep -q '</html>' "$T/$1.dom"; then ok; else
    fail "$1: chromium exit $rc, or no DOM"; tail -5 "$T/$1.log" | sed 's/^/    /' >&2
  fi
}

# check NAME DRAWN MISSING SECTIONS: DRAWN charts with an SVG, MISSING with
# the note that replaces a chart not drawn
check() {
  local n=$1 drawn=$2 missing=$3 sections=$4 dom=$T/$1.dom
  expect_no_grep "$n: no console message" 'CONSOLE' "$T/$n.log"
  expect_grep "$n: the page's CSP kept" '<meta http-equiv="Content-Security-Policy" content="default-src '"'"'none'"'"';' "$dom"
  expect_eq "$n: sections" "$sections" "$(grep -o '<section id="' "$dom" | wc -l | tr -d ' ')"
  expect_eq "$n: charts drawn" "$drawn" "$(grep -o '<figure class="chart"' "$dom" | wc -l | tr -d ' ')"
  expect_eq "$n: charts not drawn" "$missing" "$(grep -o '<figure class="chart-missing"' "$dom" | wc -l | tr -d ' ')"
  # each drawn chart: an SVG with a viewBox and things drawn in it; each
  # missing one: the note in its place
  awk -v name="$n" '
    BEGIN { RS = "<figure class=\""; bad = 0 }
    NR > 1 {
      fig = $0; sub(/<\/figure>.*/, "", fig)
      id = fig; sub(/^[^"]*" id="/, "", id); sub(/".*/, "", id)
      if (fig ~ /^chart"/) {
        drawn = gsub(/<(path|polygon|polyline|rect|circle|line|text)[ >\/]/, "&", fig)
        if (fig !~ /<svg[^>]* viewBox="0 0 [0-9]+ [0-9]+"/ || drawn < 20) {
          printf "%s: chart %s is empty (%d drawn elements)\n", name, id, drawn; bad = 1
        }
      } else if (fig !~ /class="nochart">Chart not drawn: [^<]+</) {
        printf "%s: chart %s has no note\n", name, id; bad = 1
      }
    }
    END { exit bad }' "$dom" >"$T/fig.txt" 2>&1
  if [ $? = 0 ]; then ok; else fail "$n: charts"; sed 's/^/    /' "$T/fig.txt" >&2; fi
  expect_no_grep "$n: nothing that runs or fetches" '<(script|img|image|iframe|frame|object|embed|link|base|form|input|button|audio|video|source|foreignObject|meta http-equiv="refresh")[ >/]' "$dom"
  expect_eq "$n: no URL in any attribute" "" \
    "$(grep -oE '[a-zA-Z:-]+="[^"]*"' "$dom" | grep -iE '="[^"]*(https?|javascript|data|file|ftp):' | head -3)"
  # requests: Chromium's own background services aside, none
  expect_eq "$n: no request from the page" "" \
    "$(grep -oE '"url":"[a-z-]+://[^"/]*' "$T/$n.net" 2>/dev/null | sed 's/"url":"//' | sort -u |
       grep -vE '^(https?://([^/]*\.)?(google|googleapis|gvt1|gstatic|googleusercontent|chrome)\.com|chrome://|chrome-extension://|data:)' | head -3)"
}

expect_rc "import prices" 0 ac prices import "$D/prices.csv"
expect_rc "ingest" 0 ac ingest "$D/weekly.jsonl"
expect_rc "weekly" 0 ac report weekly --week 2025-W23 --now 2025-06-10T09:00:00Z -o "$T/weekly"
expect_rc "incident" 0 ac report incident --from 2025-06-04T00:00:00Z --to 2025-06-04T06:00:00Z -o "$T/incident"
export AGENTCOST_DB=$T/hostile.db
expect_rc "hostile: import prices" 0 ac prices import "$D/prices.csv"
expect_rc "hostile: ingest" 0 ac ingest "$D/hostile.jsonl"
expect_rc "hostile: weekly" 0 ac report weekly --week 2025-W23 -o "$T/hostile"

# the fixtures have too few scored calls for a frontier: it is a note by design
if [ "$have_gnuplot" = 1 ]; then drawn=4 missing=1; else drawn=0 missing=5; fi
render weekly "$T/weekly"
check weekly "$drawn" "$missing" 7
expect_grep "weekly: the headline as text" 'In 2025-W23 the agents spent \$11\.50' "$T/weekly.dom"
render incident "$T/incident"
if [ "$have_gnuplot" = 1 ]; then check incident 2 0 6; else check incident 0 2 6; fi
render hostile "$T/hostile"
check hostile "$drawn" "$missing" 7
# the hostile strings are in the DOM as text: serialised escaped again
expect_grep "hostile: <script> is text" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$T/hostile.dom"
expect_grep "hostile: the attribute break-out is text" '"&gt;&lt;img src=x onerror=alert\(1\)&gt;' "$T/hostile.dom"
finish
