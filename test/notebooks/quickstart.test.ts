import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, testCacheDir } from "../cli/helpers.js";

test("the quickstart notebook runs end to end", () => {
  const cwd = mkdtempSync(join(tmpdir(), "quickstart-"));
  const result = spawnSync(
    process.execPath,
    ["--import", import.meta.resolve("tsx"), join(repoRoot, "notebooks", "quickstart.ts"), "400"],
    { cwd, encoding: "utf8", env: { ...process.env, TOPICSCOPE_CACHE_DIR: testCacheDir }, timeout: 300_000 },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /400 passages/);
  assert.match(result.stdout, /after reduceTopics\(8\): 8 topics/);
  assert.match(result.stdout, /new passage → topic/);
  assert.ok(existsSync(join(cwd, "output", "quickstart", "report.html")), "report written");
});
