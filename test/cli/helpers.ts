/** Runs the CLI as a user would: a child process of bin/topicscope.js. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../temp-dir.js";

export const repoRoot = resolve(import.meta.dirname, "..", "..");
export const corporaDir = resolve(
  process.env.TOPICSCOPE_CORPORA ?? join(repoRoot, "..", "shared", "corpora"),
);
export const hasCorpora = existsSync(join(corporaDir, "bbc.jsonl"));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A cache folder private to this test process, so tests never touch the user's cache. */
export const testCacheDir = tempDir("topicscope-test-cache-");

export function runCli(
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): CliResult {
  const result = spawnSync(process.execPath, [join(repoRoot, "bin", "topicscope.js"), ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, TOPICSCOPE_CACHE_DIR: testCacheDir, ...options.env },
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
