/**
 * The file rule at the command line (src/io/atomic.ts says it in full): every verb that writes a file
 * or a model folder checks its output here, before any expensive work, and so refuses — in one line,
 * exit 2 — to overwrite its input, a model folder's files it does not own, or an existing file without
 * --force, and to start work it could not save (a read-only place, a folder where a file is meant).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { checkOutputFile, checkOutputFolder, checkWritable, samePath } from "../io/atomic.js";
import { isStoreFolder, owningStoreFolder } from "../store/folder.js";
import { isModelFolder, owningModelFolder, replaceableModelFolder } from "../topics/folder/format.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";

export interface FileOutputCheck {
  /** The option that named the file (default "-o"). */
  flag?: string;
  /** Every file or folder the verb reads. */
  inputs?: readonly (string | undefined)[];
  force?: boolean;
  /** Files inside its input model folder that this verb writes (e.g. "metrics.json", "charts"). */
  owns?: { folder: string; entries: readonly string[] };
  logger?: Logger;
}

/** Checks that `path` may be written as the verb's output file ("-" = stdout, always fine). */
export function checkFileOutput(path: string, check: FileOutputCheck = {}): void {
  if (path === "-") return;
  checkOutputFile(path, {
    flag: check.flag,
    inputs: check.inputs,
    force: check.force,
    // a store's folder is its own too: no verb writes files into it
    ownedBy: (target) => owningModelFolder(target) ?? owningStoreFolder(target),
    owns: check.owns,
    onNotice: check.logger ? (message) => check.logger?.warn(message) : undefined,
  });
}

/**
 * Checks that `dir` may become (or, with --force, replace) a model folder — or another folder format
 * topicscope writes, when `replaceable` says which existing folders it may replace (an adapter's).
 */
export function checkModelOutput(
  dir: string,
  check: Omit<FileOutputCheck, "owns" | "flag"> & {
    flag?: string;
    replaceable?: (dir: string) => string | undefined;
  },
): void {
  checkOutputFolder(dir, {
    flag: check.flag,
    inputs: check.inputs,
    force: check.force,
    replaceable: check.replaceable ?? replaceableModelFolder,
    onNotice: check.logger ? (message) => check.logger?.warn(message) : undefined,
  });
}

/**
 * A `--model` value as an input path: a local model folder or a precomputed .npy, when one exists;
 * registry names (use-lite, org/name) are not files.
 */
export function modelInput(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  const path = model.replace(/^precomputed:/, "");
  return existsSync(path) ? path : undefined;
}

/** `--force` for verbs that write files. */
export function addForceOption(command: Command, what = "replace the output file if it exists"): Command {
  return command.option("--force", what, false);
}

/**
 * Checks, before any work, that `db` may be the store a verb writes into (`index --db`, `add --db`):
 * a store folder is the store's own, so it must be a new folder, an empty one, or a store already —
 * never a file, an input, a model folder or a folder inside one, nor a folder of other files. Updating
 * a store needs no --force: adding rows never replaces what it holds.
 */
export function checkStoreOutput(
  db: string,
  check: { flag?: string; inputs?: readonly (string | undefined)[] } = {},
): void {
  const flag = check.flag ?? "--db";
  const target = resolve(db);
  for (const input of check.inputs ?? []) {
    if (input === undefined || input === "-") continue;
    if (samePath(target, input)) {
      throw new UserError(`${flag} ${db} is the input ${input}; give the store a folder of its own`);
    }
  }
  const model = owningModelFolder(target);
  if (model) {
    throw new UserError(`${flag} ${db} is inside ${model.what} ${model.folder}; put the store elsewhere`);
  }
  const store = owningStoreFolder(target);
  if (store) {
    throw new UserError(
      `${flag} ${db} is inside ${store.what} ${store.folder}; pass the store's own folder (--table picks a table)`,
    );
  }
  if (!existsSync(target)) {
    checkWritable(target, flag, db);
    return;
  }
  if (!statSync(target).isDirectory()) {
    throw new UserError(
      `${flag} ${db} is a file, not a store folder; give a new folder or an existing store`,
    );
  }
  if (isModelFolder(target)) {
    throw new UserError(
      `${flag} ${db} is a topicscope model folder; a store needs a folder of its own (e.g. ${db.replace(/[\\/]+$/, "")}-store)`,
    );
  }
  const entries = readdirSync(target).filter((name) => !name.startsWith("."));
  if (entries.length > 0 && !isStoreFolder(target)) {
    throw new UserError(
      `${db} is not a store (no Lance tables in it, but other files: ${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""}); choose a new or empty folder for ${flag}`,
    );
  }
  checkWritable(target, flag, db);
}
