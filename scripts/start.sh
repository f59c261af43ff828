#!/usr/bin/env bash
# `npm start`: builds the .vsix, installs it into a local VS Code (code-server from npm, set up by
# scripts/setup-code-server.sh, which installs the Debian packages it needs when run as root and
# otherwise says which) and serves it on 127.0.0.1 with the examples folder open.
# Ctrl+C stops it. PORT=8123 npm start picks the port; SOCKLINT_CACHE=DIR keeps code-server in DIR
# instead of .cache/; the editor's profile lives in .cache/start/.
#
# `npm run start:web` (this script with --web) runs the web version instead: the user setting
# remote.extensionKind puts Socklint in the browser's web worker extension host, as in vscode.dev
# and github.dev (extension, language server and engine as Web Workers; no Node.js). Its profile
# lives in .cache/start-web/.
set -euo pipefail
cd "$(dirname "$0")/.."

WEB=0
[ "${1:-}" = "--web" ] && WEB=1
PORT="${PORT:-8080}"
STATE="$PWD/.cache/start"
[ "$WEB" = 1 ] && STATE="$PWD/.cache/start-web"
[ -d node_modules ] || { echo "Run 'npm ci' first." >&2; exit 1; }

echo "socklint: building the extension" >&2
npm run --silent package >/dev/null
CODE_SERVER="$(bash scripts/setup-code-server.sh | tail -n 1)"

mkdir -p "$STATE/user-data" "$STATE/extensions"
# Reinstall every time so the running extension is the one just built.
"$CODE_SERVER" --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" \
  --install-extension "$PWD/socklint.vsix" --force >/dev/null

# No workspace-trust prompt, no welcome page, no chat panel, no offer to open the parent git
# repository: the examples open straight away, with the room to read them.
mkdir -p "$STATE/user-data/User"
# The web version: the extension runs in the browser's web worker extension host.
EXTENSION_KIND=""
[ "$WEB" = 1 ] && EXTENSION_KIND='"remote.extensionKind": { "socklint.socklint": ["web"] },'
[ -f "$STATE/user-data/User/settings.json" ] || cat >"$STATE/user-data/User/settings.json" <<JSON
{
  $EXTENSION_KIND
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never"
}
JSON

FOLDER="$PWD/examples"
echo
if [ "$WEB" = 1 ]; then
  echo "Socklint on the web (in the browser's web worker extension host): http://127.0.0.1:$PORT/?folder=$FOLDER"
else
  echo "Socklint in VS Code: http://127.0.0.1:$PORT/?folder=$FOLDER"
fi
echo "(open a file under examples/ to see its findings; Ctrl+C to stop)"
echo
exec "$CODE_SERVER" --config "$STATE/config.yaml" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" "$FOLDER"
