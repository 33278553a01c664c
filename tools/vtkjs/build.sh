#!/usr/bin/env bash
# Rebuild anatomy/ui/static/vtk-lite.js (and its licence file) from the npm registry.
# Needs node and npm. The versions are pinned in package.json and package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../anatomy/ui/static"
cd "$here"
npm ci --no-audit --no-fund --ignore-scripts
# esbuild's binary comes from its platform package (@esbuild/<os>-<arch>), no install script.
npx esbuild entry.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --metafile=meta.json --outfile="$out/vtk-lite.js"
node licences.mjs meta.json > "$out/vtk-lite.LICENSES.txt"
rm -f meta.json
echo "wrote $out/vtk-lite.js and vtk-lite.LICENSES.txt"
