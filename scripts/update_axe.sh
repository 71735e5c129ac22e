#!/usr/bin/env bash
# Re-fetch the vendored axe-core (accessibility rules for the browser tests)
# from the npm registry. The tests themselves never need npm.
#   scripts/update_axe.sh            # the version pinned below
#   scripts/update_axe.sh 4.15.0     # another version; then update AXE_VERSION here
set -euo pipefail
AXE_VERSION="${1:-4.14.1}"
cd "$(dirname "$0")/.."
vendor=tests/e2e/vendor
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@${AXE_VERSION}" >/dev/null && tar -xzf axe-core-*.tgz)
cp "$work/package/axe.min.js" "$vendor/axe.min.js"
cp "$work/package/LICENSE" "$vendor/axe-core-LICENSE.txt"
printf '%s\n' "$AXE_VERSION" > "$vendor/axe-core-VERSION"
echo "Vendored axe-core $AXE_VERSION into $vendor"
