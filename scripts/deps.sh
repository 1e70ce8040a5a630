#!/usr/bin/env bash
# Install the Debian packages agentcost needs to build, test and demo.
# As root: apt-get installs what is missing. Otherwise: prints the command and fails.
# Extra packages as arguments: tests/cli/t_ch_cluster.sh asks for clickhouse-server
# that way (not in the default list: `make demo` must not pull a database server).
set -eu
pkgs=(gcc make cmake pkg-config libsqlite3-dev libzstd-dev libcurl4-openssl-dev zstd libcsv-dev
      libcmocka-dev libjsmn-dev gnuplot-nox sqlite3 jq "$@")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "agentcost: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # wait for another apt-get (two tests installing at once) rather than fail
  apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "agentcost: missing packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
