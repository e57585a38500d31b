// Runs every test/**/*.test.ts with node's test runner through tsx. Node 20's runner takes no
// globs, so we list the files here. Arguments narrow the run: `npm test -- test/cluster`.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith(".test.ts") ? [path] : [];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== "fixtures" && !entry.name.startsWith("."))
    .flatMap((entry) => collect(join(path, entry.name)));
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("-"));
const files = (roots.length > 0 ? roots : ["test"])
  .flatMap(collect)
  .map((f) => relative(".", f))
  .sort();
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...flags, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
