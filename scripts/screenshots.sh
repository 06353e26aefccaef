#!/usr/bin/env bash
# Regenerates docs/screenshots from the demo data a first start shows (admin, learner on a phone, trainer on a
# tablet) and from the browser tests' own scenes (dialogs, attendance). Needs what scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
UPDATE_DOCS=1 dotnet test LiveSessions.Tests --filter "FullyQualifiedName~LiveSessions.Tests.Browser"
ls -l docs/screenshots
