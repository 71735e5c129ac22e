#!/usr/bin/env bash
# Fetch the 360Giving Data Standard 1.4.3 schemas and the codelists the product
# checks from the publisher (GitHub ThreeSixtyGiving/standard, tag 1.4.3) into
# fordela/reporting/schemas/360giving-1.4.3/, and check their sha256 sums
# (SOURCES.md there). Needs access to raw.githubusercontent.com.
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=1.4.3
BASE="https://raw.githubusercontent.com/ThreeSixtyGiving/standard/$TAG"
DIR=fordela/reporting/schemas/360giving-$TAG
mkdir -p "$DIR/codelists"
curl -fsSL "$BASE/schema/360-giving-package-schema.json" -o "$DIR/360-giving-package-schema.json"
curl -fsSL "$BASE/schema/360-giving-schema.json" -o "$DIR/360-giving-schema.json"
for list in locationScope regrantType; do
  curl -fsSL "$BASE/codelists/$list.csv" -o "$DIR/codelists/$list.csv"
done
(cd "$DIR" && sha256sum -c - <<'SUMS'
6e308c2b38b0d9e86a2ef7c64b4d6b992f9e425045a12cdc3d9ca51b9b75d4db  360-giving-package-schema.json
cf2e13414e35ab916ac9edb71d6df126a9e7956a1e537535dab897c35cc6b7c5  360-giving-schema.json
80f16f775793ed33ca7783349c705bd70151551b136843018ad09c021543858a  codelists/locationScope.csv
647cc2bea58556d8697563af6c072da259b9686e891dc0233b7189fa2cad6370  codelists/regrantType.csv
SUMS
)
