#!/usr/bin/env bash
# Re-fetch GOV.UK Frontend from the npm registry and compile Fördela's build of
# it (scripts/design-system.scss) into static/vendor/govuk-frontend.
# Node and npm are needed only here; the service never runs them.
#   scripts/update_design_system.sh            # the versions pinned below
#   scripts/update_design_system.sh 6.7.0      # another version; then update GOVUK_FRONTEND_VERSION here
set -euo pipefail
GOVUK_FRONTEND_VERSION="${1:-6.6.0}"
SASS_VERSION="1.108.2"
cd "$(dirname "$0")/.."
vendor=static/vendor/govuk-frontend
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@${GOVUK_FRONTEND_VERSION}" >/dev/null && tar -xzf govuk-frontend-*.tgz \
  && npm install --silent --no-save --no-package-lock "sass@${SASS_VERSION}" >/dev/null)
mkdir -p "$vendor"
"$work/node_modules/.bin/sass" --load-path="$work/package/dist" --style=compressed --no-source-map \
  scripts/design-system.scss "$vendor/govuk-frontend.min.css"
cp "$work/package/dist/govuk/govuk-frontend.min.js" "$vendor/govuk-frontend.min.js"
# The package carries its licence in its README and package.json (MIT).
{
  echo "GOV.UK Frontend ${GOVUK_FRONTEND_VERSION} (https://github.com/alphagov/govuk-frontend), MIT License."
  echo "Compiled from scripts/design-system.scss with Dart Sass ${SASS_VERSION}."
  echo
  sed -n '/^## Licence/,/^## /p' "$work/package/README.md" | sed '$d'
} > "$vendor/LICENSE.txt"
printf '%s\n' "$GOVUK_FRONTEND_VERSION" > "$vendor/VERSION"
echo "Vendored GOV.UK Frontend $GOVUK_FRONTEND_VERSION into $vendor"
