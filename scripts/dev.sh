#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-only
# Runs one of Sotto's npm scripts (start, test, bench, ...) on a bare machine: brings Node 24 from
# the npm registry when the machine's Node is older than 22.12, installs the dependencies when
# they are missing or stale, brings the system packages the tests drive (Debian's Chromium for the
# journeys, iproute2 and nftables for the reliability rig) when running as root, then runs
# `npm run <script> [-- args]`.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok () {
  command -v node >/dev/null 2>&1 && node -e '
    const [a, b] = process.versions.node.split(".").map(Number)
    process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'
}

if ! node_ok; then
  prefix="${SOTTO_NODE_PREFIX:-$HOME/.cache/sotto/node24}"
  if [ ! -x "$prefix/node_modules/.bin/node" ]; then
    echo "sotto: Node $(node --version 2>/dev/null || echo 'missing') is older than 22.12; installing Node 24 into $prefix" >&2
    npm install --silent --no-audit --no-fund --prefix "$prefix" node@24 >&2
  fi
  export PATH="$prefix/node_modules/.bin:$PATH"
  node_ok || { echo "sotto: could not provide Node 22.12 or newer" >&2; exit 1; }
fi

# The Debian packages a script needs, each as "command:package".
system_needs () {
  case "$1" in
    test) echo "chromium:chromium tc:iproute2 ip:iproute2 nft:nftables zbarimg:zbar-tools" ;;
    e2e|demo) echo "chromium:chromium" ;;
    reliability|test:reliability) echo "tc:iproute2 ip:iproute2 nft:nftables" ;;
  esac
}

ensure_system_packages () {
  local missing=() need cmd pkg
  for need in $(system_needs "$1"); do
    cmd="${need%%:*}" pkg="${need#*:}"
    if ! command -v "$cmd" >/dev/null 2>&1 && [[ " ${missing[*]} " != *" $pkg "* ]]; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "sotto: installing ${missing[*]} from Debian's packages" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "sotto: 'npm run $1' needs ${missing[*]}; install them first, for example:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Electron's binary arrives by its install script. Where it cannot be fetched, install without it:
  # the app then runs in headless mode, served to a browser.
  if ! npm ci --no-audit --no-fund >&2; then
    if [ "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" = 1 ]; then exit 1; fi
    echo "sotto: installing without Electron's binary (the app will run in headless mode)" >&2
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund >&2
  fi
fi

script="${1:-start}"
shift || true
ensure_system_packages "$script"

if [ $# -gt 0 ]; then
  exec npm run --silent "$script" -- "$@"
fi
exec npm run --silent "$script"
