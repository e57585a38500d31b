#!/usr/bin/env bash
# The package as users get it: npm pack → install the tarball into an empty folder → the binary runs
# and `import { TopicModel } from "topicscope"` resolves, with its types, under TypeScript's NodeNext rules.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
npm pack --silent --pack-destination "$work" > /dev/null
tarball="$(ls "$work"/topicscope-*.tgz)"
if tar tzf "$tarball" | grep -qE '^package/(dist/)?(test|bench|notebooks|src)/'; then
  echo "pack-smoke: the tarball holds tests, benchmarks or sources:" >&2
  tar tzf "$tarball" | grep -E '^package/(dist/)?(test|bench|notebooks|src)/' | head >&2
  exit 1
fi
cd "$work"
printf 'onnxruntime-node-install=skip\n' > .npmrc
printf '{ "name": "smoke", "version": "1.0.0", "private": true, "type": "module" }\n' > package.json
npm install --silent --no-audit --no-fund "$tarball" "typescript@$(node -p "require('$root/node_modules/typescript/package.json').version")" "@types/node@$(node -p "require('$root/node_modules/@types/node/package.json').version")" > /dev/null
npx --no-install topicscope --help | grep -q "fit \[options\] <corpus>"
cat > smoke.ts <<'TS'
import { type Matrix, REDUCER_METHODS, TopicModel, version } from "topicscope";
const model: TopicModel = new TopicModel({ seed: 1, reduce: { method: "pca" } });
const m: Matrix = { data: new Float32Array(4), rows: 2, cols: 2 };
console.log(`topicscope ${version}: ${REDUCER_METHODS.join(",")} ${model.parameters.reduce.method} ${m.rows}`);
TS
printf '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022", "strict": true, "outDir": "out", "types": ["node"] }, "files": ["smoke.ts"] }\n' > tsconfig.json
npx --no-install tsc -p .
node out/smoke.js | grep -q "umap,pca,none,umap-js pca 2"
echo "pack-smoke: $(basename "$tarball") installs; topicscope --help runs; the import resolves with its types"
