#!/usr/bin/env bash
# The CLI explains itself (src/cli/help.c, one table): `agentcost help`,
# `help CMD`, `CMD --help` / `-h` for every command main.c dispatches; the
# options each command's help lists are exactly the options its parser
# compares (the string literals of cmd_<name>.c, output.c for the common
# ones), and each is accepted when run; --help is not taken after `--` or as
# an option's value; one version string (CMake's); the checked-in man page and
# bash completion are what the binary prints; the completion completes; and
# `cmake --install` puts the binary, the man page and the completion in place.
. "$(dirname "$0")/lib.sh"

REGEN="regenerate with 'make man' (the binary prints both from src/cli/help.c)"

# --- every dispatched command has help ------------------------------------
expect_rc "help" 0 ac help
cp "$T/out" "$T/overview"
expect_grep "overview: usage" "^usage: agentcost " "$T/overview"
expect_grep "overview: common options" "^  --db PATH" "$T/overview"
expect_grep "overview: where to read more" "agentcost COMMAND --help" "$T/overview"
# the command lines of the overview come from main.c's dispatch table
sed -n '/^commands:/,/^$/p' "$T/overview" | grep -E '^  [a-z]' | awk '{ print $1 }' >"$T/dispatched"
expect_no_grep "no undocumented command" "\(undocumented\)" "$T/overview"
n=$(wc -l <"$T/dispatched")
if [ "$n" -ge 15 ]; then ok; else fail "only $n commands in the overview"; fi
ac help --commands >"$T/documented"
expect_eq "the help table has the dispatched commands, no more" "$(sort "$T/dispatched")" "$(sort "$T/documented")"
expect_rc "help -h" 0 ac -h
expect_rc "--help" 0 ac --help

while read -r c; do
  expect_rc "$c --help" 0 ac "$c" --help
  expect_grep "$c --help: usage" "^usage: agentcost $c( |$)" "$T/out"
  expect_grep "$c --help: an example" "^  agentcost $c" "$T/out"
  cp "$T/out" "$T/help_$c"
  expect_rc "$c -h" 0 ac "$c" -h
  expect_eq "$c -h = --help" "$(cat "$T/help_$c")" "$(cat "$T/out")"
  expect_rc "help $c" 0 ac help "$c"
  expect_eq "help $c = $c --help" "$(cat "$T/help_$c")" "$(cat "$T/out")"
  expect_eq "$c --help: nothing on stderr" "" "$(cat "$T/err")"
done <"$T/dispatched"

# --help after other options, in a subcommand, with an option's value before it
expect_rc "tasks --each --help" 0 ac tasks --each --help
expect_grep "tasks --each --help" "^usage: agentcost tasks" "$T/out"
expect_rc "report weekly -o DIR --help" 0 ac report weekly -o "$T/r" --help
expect_grep "report help" "^usage: agentcost report weekly" "$T/out"
[ -e "$T/r" ] && fail "report ran instead of printing its help" || ok
expect_rc "a leading --db, then --help" 0 ac --db "$T/x.db" tasks --help
expect_grep "a leading --db" "^usage: agentcost tasks" "$T/out"

# not after --, not as an option's value
expect_rc "tasks -- --help: no help" 2 ac tasks -- --help
expect_no_grep "tasks -- --help" "^usage: agentcost tasks \[--each\]" "$T/out"
( cd "$T" && "$AGENTCOST" gen --days 1 --tasks-per-day 5 -q -o --help ) >"$T/out" 2>"$T/err"
expect_eq "gen -o --help writes the file --help" "0 yes" "$? $([ -s "$T/--help" ] && echo yes)"
expect_no_grep "gen -o --help: no help" "^usage:" "$T/out"
# ./--help is now that workload, not a store: tasks tries to open it
( cd "$T" && "$AGENTCOST" tasks --db --help ) >"$T/out" 2>"$T/err"
expect_eq "tasks --db --help opens the store --help" 1 "$?"
expect_grep "tasks --db --help: the store named" "error: --help: .*not an agentcost store" "$T/err"
expect_no_grep "--db --help: no help" "^usage:" "$T/out"

# unknown commands: usage error (README "Exit codes": 2), named on stderr
expect_rc "help nosuch" 2 ac help nosuch
expect_grep "help nosuch names it" "error: unknown command 'nosuch'" "$T/err"
expect_eq "help nosuch: nothing on stdout" "" "$(cat "$T/out")"
expect_rc "nosuch --help" 2 ac nosuch --help
expect_grep "nosuch --help names it" "unknown command 'nosuch'" "$T/err"

# --- the options listed are the options parsed ----------------------------
# The option literals each parser compares (strcmp, strncmp, cli_optval and
# the opt_value/optval wrappers) against `help --options CMD`. Adding an
# option to a parser without documenting it, or documenting one the parser
# does not know, fails here.
literals() { # FILE...: the "-x" / "--name" literals compared in option parsing
  grep -hoE '(strn?cmp|optval|opt_value)\([^;]*"-[-a-z0-9=]*"' "$@" |
    grep -oE '"-[-a-z0-9=]*"' | tr -d '"' | sed 's/=$//' |
    grep -vxE -- '-|--|-h|--help' | sort -u
}
# gen options of branches merged alongside this one (h-gendims, h-layout):
# listed in the help before their parsers land; checked both ways once they do
expect_eq "common options" "$(literals "$SRC/src/cli/output.c")" "$(ac help --options common | cut -f1 | sort -u)"
while read -r c; do
  files=("$SRC/src/cli/cmd_$c.c")
  [ "$c" = prices ] && files+=("$SRC/src/cli/cmd_convention.c")
  # --by and --where: parsed by cli_dims.c for the commands that call it
  grep -q cli_dims_parse "${files[0]}" && files+=("$SRC/src/cli/cli_dims.c")
  literals "${files[@]}" >"$T/parsed"
  # top refuses --by (its dimension is the argument): cli_dims.c's --by is not top's
  [ "$c" = top ] && sed -i '/^--by$/d' "$T/parsed"
  ac help --options "$c" | cut -f1 | sort -u >"$T/listed"
  for o in $(comm -23 "$T/listed" "$T/parsed"); do
    fail "$c: help lists $o, cmd_$c.c does not parse it"
  done
  for o in $(comm -13 "$T/listed" "$T/parsed"); do
    fail "$c: cmd_$c.c parses $o, the help does not list it"
  done
  ok
done <"$T/dispatched"

# ... and each listed option is accepted at run time: whatever else goes
# wrong (no store, a bad value), never "unknown option" / "unexpected". gen
# and demo get a trailing bad option so they stop before doing the work.
value_for() { # the option's metavariable in the help: a value it parses
  case $1 in
    N|USD|MS|BYTES|SPANS) echo 3 ;; F|K) echo 2 ;; T|A) echo 0.5 ;;
    DATE|YYYY-MM-DD) echo 2025-06-02 ;; TIME) echo 2025-06-02T00:00:00Z ;; YYYY-Www) echo 2025-W23 ;;
    FILE|DIR|PATH) echo "$T/v" ;; *'|'*) echo "${1%%|*}" ;; *) echo x ;;
  esac
}
export AGENTCOST_DB="$T/none.db"
check_accepts() { # CMD OPT ARG PREFIX...
  local c=$1 o=$2 arg=$3 v=() tail=()
  shift 3
  case $arg in '') ;; '='*) o="$o=$(value_for "${arg#=}")" ;; '[='*) ;; *) v=("$(value_for "$arg")") ;; esac
  case $c in gen|demo) tail=(--zz-not-an-option) ;; esac
  (cd "$T" && timeout 60 "$AGENTCOST" "$c" "$@" "$o" "${v[@]}" "${tail[@]}") >"$T/out" 2>"$T/err"
  ! grep -Eq -- "(unknown option|unexpected) '${o%%=*}|Sanitizer|runtime error" "$T/err"
}
while read -r c; do
  while IFS=$'\t' read -r o arg; do

    case $c in
      prices) check_accepts "$c" "$o" "$arg" list ;;
      export) check_accepts "$c" "$o" "$arg" focus ;;
      report) check_accepts "$c" "$o" "$arg" weekly -o "$T/rep" ||
                check_accepts "$c" "$o" "$arg" incident -o "$T/rep" ;;
      *) check_accepts "$c" "$o" "$arg" ;;
    esac && ok || { fail "$c $o (${arg:-a flag}) is refused as unknown:"; sed 's/^/    /' "$T/err" >&2; }
  done < <(ac help --options "$c")
done <"$T/dispatched"
export AGENTCOST_DB="$T/store.db"

# --- one version: CMake's project(VERSION) ----------------------------------
ver=$(sed -nE 's/^project\(agentcost VERSION ([0-9.]+).*/\1/p' "$SRC/CMakeLists.txt")
expect_rc "--version" 0 ac --version
expect_eq "--version is CMake's" "agentcost $ver" "$(cat "$T/out")"
expect_rc "version" 0 ac version
expect_eq "version is CMake's" "agentcost $ver" "$(cat "$T/out")"
copies=$(grep -rnF "\"$ver\"" "$SRC/src" | wc -l)
expect_eq "no other copy of $ver in src/" 0 "$copies"

# --- man page and completion: checked in = generated ----------------------
ac help --man >"$T/agentcost.1"
if cmp -s "$T/agentcost.1" "$SRC/man/agentcost.1"; then ok; else
  fail "man/agentcost.1 differs from 'agentcost help --man': $REGEN"
  diff "$SRC/man/agentcost.1" "$T/agentcost.1" | head -20 >&2
fi
ac help --bash-completion >"$T/agentcost.bash"
if cmp -s "$T/agentcost.bash" "$SRC/completion/agentcost.bash"; then ok; else
  fail "completion/agentcost.bash differs from 'agentcost help --bash-completion': $REGEN"
  diff "$SRC/completion/agentcost.bash" "$T/agentcost.bash" | head -20 >&2
fi
expect_grep "man: .TH with the version" "^\.TH AGENTCOST 1 .*agentcost $ver" "$T/agentcost.1"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS EXAMPLES "EXIT STATUS" FILES "SEE ALSO"; do
  expect_grep "man: section $s" "^\.SH $s\$" "$T/agentcost.1"
done
while read -r c; do
  expect_grep "man: a section for $c" "^\.SS $c\$" "$T/agentcost.1"
done <"$T/dispatched"
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "$T/agentcost.1" 2>"$T/groff.err"
  expect_eq "man page renders without warnings" "" "$(cat "$T/groff.err")"
  groff -man -Tutf8 "$T/agentcost.1" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' >"$T/man.txt"
  expect_grep "rendered: the name line" "agentcost - offline cost analytics" "$T/man.txt"
  expect_grep "rendered: an option" "--tasks-per-day N" "$T/man.txt"
else
  echo "t_help: groff not installed, man page rendering not checked" >&2
fi

# the completion, sourced in bash: COMP_WORDS as bash would set them
comp() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _agentcost
           printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$SRC/completion/agentcost.bash" "$@"
}
expect_eq "complete 'agentcost ta'" "task tasks " "$(comp agentcost ta)"
expect_eq "complete 'agentcost tas'" "task tasks " "$(comp agentcost tas)"
expect_eq "complete 'agentcost rec'" "recommend reconcile " "$(comp agentcost rec)"
expect_eq "complete 'agentcost --db x.db sp'" "spc " "$(comp agentcost --db x.db sp)"
expect_eq "complete 'agentcost tasks --'" \
  "--approx --by --db --each --format --help --histogram --include-eval --since --system --until --where " \
  "$(comp agentcost tasks --)"
expect_eq "complete 'agentcost tasks --by '" "agent both environment model session system task_type user " \
  "$(comp agentcost tasks --by '')"
expect_eq "complete 'agentcost gen --format '" "jsonl otlp " "$(comp agentcost gen --format '')"
expect_eq "complete 'agentcost report '" "incident weekly " "$(comp agentcost report '')"
expect_eq "complete 'agentcost report weekly --w'" "--week " "$(comp agentcost report weekly --w)"
expect_eq "complete 'agentcost help sh'" "show " "$(comp agentcost help sh)"
mkdir -p "$T/cdir" && touch "$T/cdir/traces.jsonl"
expect_eq "complete 'agentcost ingest FILE'" "$T/cdir/traces.jsonl " "$(comp agentcost ingest "$T/cdir/tr")"

# --- install ----------------------------------------------------------------
B=$(dirname "$AGENTCOST")
if [ -f "$B/cmake_install.cmake" ] && command -v cmake >/dev/null; then
  cmake --install "$B" --prefix "$T/inst" >"$T/install.log" 2>&1
  expect_eq "cmake --install" 0 "$?"
  for f in bin/agentcost share/man/man1/agentcost.1 share/bash-completion/completions/agentcost; do
    if [ -f "$T/inst/$f" ]; then ok; else fail "install: no $f"; cat "$T/install.log" >&2; fi
  done
  expect_eq "installed binary runs" "agentcost $ver" "$("$T/inst/bin/agentcost" --version)"
  cmp -s "$T/inst/share/man/man1/agentcost.1" "$SRC/man/agentcost.1" && ok || fail "installed man page differs"
  DESTDIR="$T/dest" cmake --install "$B" --prefix /opt/ac >"$T/install.log" 2>&1
  if [ -x "$T/dest/opt/ac/bin/agentcost" ] && [ -f "$T/dest/opt/ac/share/man/man1/agentcost.1" ]; then ok
  else fail "DESTDIR install"; cat "$T/install.log" >&2; fi
else
  echo "t_help: no cmake_install.cmake beside $AGENTCOST, install not checked" >&2
fi

finish
