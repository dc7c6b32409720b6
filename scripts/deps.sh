#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, skipping apt when all are present.
# Sourced by run.sh and test.sh; works as root on a fresh Debian 12.
set -euo pipefail

ONECHAIN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates openssl
  librocksdb-dev libsodium-dev libssl-dev libprotobuf-dev protobuf-compiler
  libcli11-dev libspdlog-dev nlohmann-json3-dev libcpp-httplib-dev libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev libyaml-cpp-dev
  postgresql libpq-dev
  chromium fonts-wqy-microhei
  clang libclang-rt-14-dev
)
# The node's config file parser (src/cli/node_config.h); ip and jq for tests/netns_test.sh.
ONECHAIN_PACKAGES+=(libtomlplusplus-dev iproute2 jq)

onechain_install_deps() {
  local missing=()
  local pkg
  for pkg in "${ONECHAIN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  onechain_install_node  # before CMake looks for npm
}

# onechain_node_ok: true when `node` is Node.js 20.19 or later (what Vite needs).
onechain_node_ok() {
  command -v node >/dev/null && command -v npm >/dev/null &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number);
             process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

# onechain_install_node: the web console's toolchain. Debian 12's own nodejs (18) is too old for
# Vite, so when no recent Node.js is present it installs Debian's nodejs and npm and, through npm,
# the `node` package of Node.js 22 (its binary comes from the npm registry).
onechain_install_node() {
  onechain_node_ok && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if ! command -v npm >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "Installing Node.js 22 from the npm registry (the web console needs 20.19 or later)"
  $sudo npm install -g --no-audit --no-fund node@22 >/dev/null
  hash -r
  onechain_node_ok || { echo "Node.js 20.19+ could not be installed" >&2; return 1; }
}

# onechain_build DIR [cmake args...]: configures (once) and builds DIR.
onechain_build() {
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  fi
  cmake --build "$dir" --parallel "$(nproc)"
}

# onechain_build_web: installs web/'s npm packages when missing and builds the console into
# web/dist (served by `onechain node --web-dir web/dist`). Needs Node.js 20.19 or later.
onechain_build_web() {
  onechain_install_node
  # Again whenever package-lock.json changed since the last install (a copy of it is kept in
  # node_modules/.onechain-lock), so a pulled dependency is never missing.
  if ! cmp -s web/package-lock.json web/node_modules/.onechain-lock 2>/dev/null; then
    (cd web && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.onechain-lock)
  fi
  (cd web && npm run build --silent)
}
