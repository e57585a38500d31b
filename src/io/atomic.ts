/**
 * Writes that never leave a half-written result behind: files go to a temporary sibling and are
 * renamed into place; output folders are built in a temporary sibling folder and swapped in at the end,
 * so the user's earlier results survive any failure along the way.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "../util/errors.js";

export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export interface OutputFolderOptions {
  /** Replace an existing folder (only after the new one is complete). */
  force?: boolean;
}

/** Fails early, before any work, when `target` exists and `force` is not set. */
export function checkOutputFolder(target: string, options: OutputFolderOptions = {}): void {
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) {
      throw new UserError(`output path ${target} exists and is not a folder; choose another -o`);
    }
    if (!options.force) {
      throw new UserError(
        `output folder ${target} already exists; use --force to replace it or choose another -o`,
      );
    }
  }
}

/**
 * Builds a folder through `build(temporaryDir)` and moves it to `target` only when `build` succeeds.
 * An existing target is replaced only with `force`, and only after the new folder is complete.
 */
export async function writeFolderAtomic<T>(
  target: string,
  build: (temporaryDir: string) => Promise<T> | T,
  options: OutputFolderOptions = {},
): Promise<T> {
  checkOutputFolder(target, options);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}.${Date.now()}`;
  const temporary = join(parent, `.${basename(target)}.partial.${stamp}`);
  mkdirSync(temporary);
  let result: T;
  try {
    result = await build(temporary);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(target)) {
    const old = join(parent, `.${basename(target)}.old.${stamp}`);
    renameSync(target, old);
    renameSync(temporary, target);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(temporary, target);
  }
  return result;
}
