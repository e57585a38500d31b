/**
 * The file rule at the command line (src/io/atomic.ts says it in full): every verb that writes a file
 * or a model folder checks its output here, before any expensive work, and so refuses — in one line,
 * exit 2 — to overwrite its input, a model folder's files it does not own, or an existing file without
 * --force, and to start work it could not save (a read-only place, a folder where a file is meant).
 */
import type { Command } from "commander";
import { checkOutputFile, checkOutputFolder } from "../io/atomic.js";
import { owningModelFolder, replaceableModelFolder } from "../topics/folder/format.js";
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
    ownedBy: owningModelFolder,
    owns: check.owns,
    onNotice: check.logger ? (message) => check.logger?.warn(message) : undefined,
  });
}

/** Checks that `dir` may become (or, with --force, replace) a model folder. */
export function checkModelOutput(
  dir: string,
  check: Omit<FileOutputCheck, "owns" | "flag"> & { flag?: string },
): void {
  checkOutputFolder(dir, {
    flag: check.flag,
    inputs: check.inputs,
    force: check.force,
    replaceable: replaceableModelFolder,
    onNotice: check.logger ? (message) => check.logger?.warn(message) : undefined,
  });
}

/** `--force` for verbs that write files. */
export function addForceOption(command: Command, what = "replace the output file if it exists"): Command {
  return command.option("--force", what, false);
}
