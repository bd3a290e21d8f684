#!/usr/bin/env bash
# Installs etcd from Debian when `etcd` is not on PATH (make deps, .ci/run).
# Needs root or passwordless sudo; anything else is a clear error, never a prompt.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=hack/tool-versions.sh
source hack/tool-versions.sh

if command -v etcd >/dev/null 2>&1; then
  exit 0
fi

fail() {
  echo "error: etcd is not on PATH and $1." >&2
  echo "Install Debian's packages yourself (apt-get install $ETCD_APT_PACKAGES) or put an etcd 3.4+ binary on PATH." >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available to install it"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  fail "installing it needs root (or passwordless sudo)"
fi

echo "etcd not found: installing $ETCD_APT_PACKAGES with apt-get" >&2
# shellcheck disable=SC2086 # the package list is meant to split
"${sudo[@]}" apt-get update -qq || fail "apt-get update failed"
# shellcheck disable=SC2086
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $ETCD_APT_PACKAGES >/dev/null \
  || fail "apt-get install $ETCD_APT_PACKAGES failed"
command -v etcd >/dev/null 2>&1 || fail "the packages installed no etcd binary"
echo "installed: $(etcd --version | head -n 1)" >&2
