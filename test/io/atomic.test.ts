import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { writeFolderAtomic } from "../../src/io/atomic.js";
import { UserError } from "../../src/util/errors.js";
import { tempDir } from "../temp-dir.js";

test("a folder appears only when its build succeeds", async () => {
  const parent = tempDir("atomic-");
  const target = join(parent, "model");
  await assert.rejects(
    writeFolderAtomic(target, (dir) => {
      writeFileSync(join(dir, "half.txt"), "half");
      throw new Error("stage failed");
    }),
    /stage failed/,
  );
  assert.equal(existsSync(target), false);
  assert.deepEqual(readdirSync(parent), [], "no temporary folder left behind");
  await writeFolderAtomic(target, (dir) => writeFileSync(join(dir, "a.txt"), "ok"));
  assert.equal(readFileSync(join(target, "a.txt"), "utf8"), "ok");
});

test("an existing folder is kept without --force and after a failed rebuild", async () => {
  const parent = tempDir("atomic-");
  const target = join(parent, "model");
  await writeFolderAtomic(target, (dir) => writeFileSync(join(dir, "a.txt"), "first"));
  await assert.rejects(
    writeFolderAtomic(target, () => {}),
    (e: unknown) => e instanceof UserError && /already exists.*--force/.test(e.message),
  );
  await assert.rejects(
    writeFolderAtomic(
      target,
      () => {
        throw new Error("boom");
      },
      { force: true, replaceable: () => undefined },
    ),
    /boom/,
  );
  assert.equal(readFileSync(join(target, "a.txt"), "utf8"), "first", "earlier results survive a failed run");
  await writeFolderAtomic(target, (dir) => writeFileSync(join(dir, "b.txt"), "second"), {
    force: true,
    replaceable: () => undefined,
  });
  assert.deepEqual(readdirSync(target), ["b.txt"]);
  assert.deepEqual(readdirSync(parent), ["model"]);
});
