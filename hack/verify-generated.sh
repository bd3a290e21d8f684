#!/usr/bin/env bash
# `make verify`: runs `make update` in a copy of the work tree and fails when
# that changes any file, i.e. when a derived file was edited by hand or is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
excludes=(--exclude=./node_modules --exclude=./.local --exclude=./.git)
tar "${excludes[@]}" -cf - . | tar -xf - -C "$copy"
ln -s "$PWD/node_modules" "$copy/node_modules"
make --no-print-directory -C "$copy" update
if ! diff -r -u --exclude=node_modules --exclude=.local --exclude=.git . "$copy" >"$copy.diff"; then
  echo "verify: generated files are out of date; run 'make update' and commit the result:" >&2
  head -n 200 "$copy.diff" >&2
  rm -f "$copy.diff"
  exit 1
fi
rm -f "$copy.diff"
echo "verify: generated files are up to date"
