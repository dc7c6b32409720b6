#!/bin/sh
# The console's material sealing in each suite (web/src/materials/), measured with Node.js on the
# same code the browser runs: MiB/s of seal and open over 4 MiB (best of 3), ms per data-key
# wrap/unwrap, and the intl/sm ratios. Needs web/node_modules (cd web && npm ci).
set -e
cd "$(dirname "$0")/../web"
exec nice npx vitest run -c bench/vitest.config.ts --silent=false --reporter=dot
