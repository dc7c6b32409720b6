#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, skipping apt when all are present.
# Sourced by run.sh and test.sh; works as root on a fresh Debian 12.
set -euo pipefail

ONECHAIN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates openssl
  librocksdb-dev libsodium-dev libssl-dev libprotobuf-dev protobuf-compiler
  libcli11-dev libspdlog-dev nlohmann-json3-dev libcpp-httplib-dev libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev libyaml-cpp-dev
  chromium fonts-wqy-microhei
)

onechain_install_deps() {
  local missing=()
  local pkg
  for pkg in "${ONECHAIN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "Installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
  if ! command -v npm >/dev/null; then
    echo "npm is missing: install Node.js 20.19+ to build the web console" >&2
    return 1
  fi
  if [ ! -d web/node_modules ]; then (cd web && npm ci --no-audit --no-fund); fi
  (cd web && npm run build --silent)
}
