#!/bin/sh
# Prisma 7's CLI downloads a native schema engine at start-up, which cannot be fetched offline.
# This stub lets `prisma generate` run; migrations go through `npm run db:migrate` (Wasm engine) instead.
if [ "$1" = "--version" ]; then echo "schema-engine-cli offline-stub"; exit 0; fi
echo "Prisma schema engine is not available offline: use npm run db:migrate" >&2
exit 1
