#!/usr/bin/env bash
# Installs what the end-to-end tests need, once, into a cache outside the project (kept between runs):
# code-server (a real VS Code) from npm, plus Debian's chromium, ripgrep, neovim and libkrb5-dev.
# Every pitfall of ../shared/docs/real-editor-testing.md is handled here. Prints the prefix on stdout.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${DETECTION_LENS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/detection-lens-e2e}"
PREFIX="$CACHE/code-server-$VERSION"
MARKER="$PREFIX/.installed"
log() { echo "[e2e install] $*" >&2; }

# Debian packages: gssapi headers for the kerberos addon, rg to seed @vscode/ripgrep, the browser, nvim.
missing=()
for pkg in libkrb5-dev ripgrep chromium neovim unzip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

if [ -f "$MARKER" ]; then
  log "code-server $VERSION already in $PREFIX"
  echo "$PREFIX"
  exit 0
fi

started=$(date +%s)
rm -rf "$PREFIX"
mkdir -p "$PREFIX/tmp"
export TMPDIR="$PREFIX/tmp"
# @vscode/ripgrep@1.15.11 downloads rg from GitHub in its postinstall unless its cache already holds
# the archive: put Debian's rg there under the name it looks for.
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
echo '{ "private": true }' > "$PREFIX/package.json"
log "npm install code-server@$VERSION into $PREFIX"
# unsafe_perm: its postinstall refuses root; yes: node-pty runs `npx node-gyp`; nodedir: Node's headers.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2
XDG_CONFIG_HOME="$TMPDIR" XDG_DATA_HOME="$TMPDIR" "$PREFIX/node_modules/.bin/code-server" --version >&2
touch "$MARKER"
log "installed in $(( $(date +%s) - started )) s"
echo "$PREFIX"
