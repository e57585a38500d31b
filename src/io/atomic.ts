/**
 * Writes that never leave a half-written result behind and never destroy what the user had: files go
 * to a temporary sibling and are renamed into place; output folders are built in a temporary sibling
 * folder and swapped in at the end, so earlier results survive any failure along the way.
 *
 * The file rule every verb follows (docs/architecture.md, "Writing files"), checked by
 * `checkOutputFile` / `checkOutputFolder` before any expensive work:
 *   - never one of the verb's inputs (nor a folder holding one);
 *   - never a file inside a folder another format owns (a model folder) unless the verb owns that file;
 *   - never an existing file without --force (a verb's own file in its own folder is replaced);
 *   - the place must be writable, and not a folder where a file is expected.
 * Temporary names carry the writer's process id (`.NAME.partial.PID.TIME`, `.NAME.PID.TIME.tmp`), so a
 * later run can tell the leftovers of a killed run (process gone) from a run in progress.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { UserError } from "../util/errors.js";

/** Errors of the file system that the user can fix (permissions, space, a wrong path). */
const USER_FS_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "is a folder",
  ENOTDIR: "a part of the path is not a folder",
  ENAMETOOLONG: "file name too long",
  EEXIST: "already exists",
};

/**
 * A file-system failure as one line naming the path and what to do (a UserError), when it is one the
 * user can fix; anything else is returned unchanged (a bug: internal error).
 */
export function fileSystemError(error: unknown, path: string, doing = "write"): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !(code in USER_FS_ERRORS)) return error;
  const hint =
    code === "ENOSPC" || code === "EDQUOT"
      ? "free some space or write elsewhere"
      : "choose another place or fix its permissions";
  return new UserError(`cannot ${doing} ${path}: ${USER_FS_ERRORS[code]} (${code}); ${hint}`);
}

export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const dir = dirname(path);
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw fileSystemError(error, path);
  }
}

// ------------------------------------------------------------------------------------------------
// Leftovers of killed runs

/** True while process `pid` exists (ours included); EPERM means it exists but is not ours. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// exactly the names writeFolderAtomic and writeFileAtomic give (a 13-digit millisecond time), so that
// another program's temporary files in the same folder are never taken for ours
const PARTIAL_FOLDER = /^\.(.+)\.(partial|old)\.(\d+)\.(\d{13})$/;
const TEMPORARY_FILE = /^\.(.+)\.(\d+)\.(\d{13})\.tmp$/;

export interface LeftoverReport {
  /** Leftovers of killed runs that were deleted (paths). */
  removed: string[];
  /** Bytes they held. */
  bytes: number;
  /** Folders put back: an earlier result moved aside by a run killed before it could swap. */
  restored: string[];
  /** Temporary folders of runs still going (left alone). */
  inProgress: string[];
}

/**
 * Cleans `dir` of what killed runs left: temporary files and partial folders whose process is gone
 * are deleted; an earlier result a run had moved aside (`.NAME.old.PID.TIME`) goes back to NAME when
 * NAME is missing (the run died between the two renames). Leftovers of live processes stay.
 */
export function cleanLeftovers(dir: string): LeftoverReport {
  const report: LeftoverReport = { removed: [], bytes: 0, restored: [], inProgress: [] };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return report;
  }
  for (const name of names) {
    const folder = PARTIAL_FOLDER.exec(name);
    const file = folder ? null : TEMPORARY_FILE.exec(name);
    if (!folder && !file) continue;
    const pid = Number(folder ? folder[3] : file![2]);
    const path = join(dir, name);
    if (statOrUndefined(path)?.isDirectory() !== Boolean(folder)) continue;
    if (processAlive(pid)) {
      if (folder?.[2] === "partial") report.inProgress.push(path);
      continue;
    }
    try {
      if (folder?.[2] === "old" && !existsSync(join(dir, folder[1]))) {
        renameSync(path, join(dir, folder[1]));
        report.restored.push(join(dir, folder[1]));
        continue;
      }
      const bytes = sizeOf(path);
      rmSync(path, { recursive: true, force: true });
      report.removed.push(path);
      report.bytes += bytes;
    } catch {
      // another run cleaned it first, or it is not ours to touch: leave it
    }
  }
  return report;
}

function sizeOf(path: string): number {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of readdirSync(path)) total += sizeOf(join(path, name));
  return total;
}

/** One line about what `cleanLeftovers` did, or undefined when there was nothing to say. */
export function describeLeftovers(report: LeftoverReport): string | undefined {
  const parts: string[] = [];
  const folders = report.removed.length;
  if (folders > 0) {
    const mb = report.bytes / 1e6;
    parts.push(
      `removed ${folders} leftover${folders === 1 ? "" : "s"} of killed runs (${mb < 0.1 ? "<0.1" : mb.toFixed(1)} MB): ${report.removed.map((p) => basename(p)).join(", ")}`,
    );
  }
  for (const path of report.restored)
    parts.push(`put ${path} back: a killed run had moved it aside and not replaced it`);
  if (report.inProgress.length > 0)
    parts.push(
      `another run is writing next to this output (${report.inProgress.map((p) => basename(p)).join(", ")})`,
    );
  return parts.length > 0 ? parts.join("; ") : undefined;
}

// ------------------------------------------------------------------------------------------------
// The early checks

/** A folder a format owns (a model folder): outside writers may not put files in it. */
export interface OwnedFolder {
  /** The owning folder (absolute). */
  folder: string;
  /** What it is, for messages ("a topicscope model folder"). */
  what: string;
}

export interface OutputFileOptions {
  /** The option that named the file, for messages (default "-o"). */
  flag?: string;
  /** What the verb reads (files or folders; "-" is skipped): the output may be none of them. */
  inputs?: readonly (string | undefined)[];
  /** Replace an existing file. */
  force?: boolean;
  /**
   * The format-owned folder `path` lies in, if any (e.g. topics/folder/format.ts `owningModelFolder`).
   * A file there may be written only when it is in `owns`.
   */
  ownedBy?: (path: string) => OwnedFolder | undefined;
  /**
   * What this verb owns inside one owned folder (its input model): paths relative to `folder`
   * ("metrics.json"; "charts" covers what is under it). They are replaced without --force: the verb
   * made them from that folder and makes them again. The same names in another folder are not its own.
   */
  owns?: { folder: string; entries: readonly string[] };
  /** Told what was cleaned up next to the output (leftovers of killed runs). */
  onNotice?: (message: string) => void;
}

/**
 * Checks, before any work, that `path` may be written as a file by a verb (the file rule above).
 * Throws a one-line UserError naming the path and what to do.
 */
export function checkOutputFile(path: string, options: OutputFileOptions = {}): void {
  const flag = options.flag ?? "-o";
  const target = resolve(path);
  const stat = statOrUndefined(target);
  if (stat?.isDirectory()) {
    throw new UserError(`${flag} ${path} is a folder; give a file name (e.g. ${join(path, "out")}…)`);
  }
  for (const input of options.inputs ?? []) {
    if (input === undefined || input === "-") continue;
    if (samePath(target, input, stat)) {
      throw new UserError(`${flag} ${path} is the input ${input}; write the result to another file`);
    }
  }
  const owner = options.ownedBy?.(target);
  let ownFile = false;
  if (owner) {
    const inside = relative(owner.folder, target);
    const owns = options.owns;
    ownFile =
      owns !== undefined &&
      samePath(owner.folder, owns.folder) &&
      owns.entries.some((own) => inside === own || inside.startsWith(`${own}${sep}`));
    if (!ownFile) {
      throw new UserError(
        `${flag} ${path} is inside ${owner.what} ${owner.folder}, and this verb does not own that file; write it elsewhere`,
      );
    }
  }
  if (stat && !ownFile && !options.force) {
    throw new UserError(`${flag} ${path} already exists; use --force to replace it or choose another file`);
  }
  const dir = dirname(target);
  checkWritable(dir, flag, path);
  const notice = describeLeftovers(cleanLeftovers(dir));
  if (notice) options.onNotice?.(notice);
}

export interface OutputFolderOptions {
  /** Replace an existing folder (only after the new one is complete). */
  force?: boolean;
  /** The option that named the folder, for messages (default "-o"). */
  flag?: string;
  /** What the verb reads: the output may be none of them nor hold one (replacing it would delete it). */
  inputs?: readonly (string | undefined)[];
  /**
   * Why an existing folder may not be replaced even with --force (undefined: it may). Without it,
   * only empty folders are replaced; a model folder's writer passes "is it a model folder" here.
   */
  replaceable?: (dir: string) => string | undefined;
  /** Told what was cleaned up next to the output (leftovers of killed runs). */
  onNotice?: (message: string) => void;
}

/** Fails early, before any work, when `target` cannot or may not become the output folder. */
export function checkOutputFolder(target: string, options: OutputFolderOptions = {}): void {
  const flag = options.flag ?? "-o";
  const absolute = resolve(target);
  for (const input of options.inputs ?? []) {
    if (input === undefined || input === "-") continue;
    if (samePath(absolute, input) || isInside(resolve(input), absolute)) {
      throw new UserError(
        `${flag} ${target} ${samePath(absolute, input) ? "is" : "holds"} the input ${input}; write the result to a new folder`,
      );
    }
  }
  const stat = statOrUndefined(absolute);
  if (stat) {
    if (!stat.isDirectory()) {
      throw new UserError(`${flag} ${target} exists and is not a folder; choose another ${flag}`);
    }
    if (!options.force) {
      throw new UserError(
        `output folder ${target} already exists; use --force to replace it or choose another ${flag}`,
      );
    }
    const refusal = options.replaceable
      ? options.replaceable(absolute)
      : readdirSync(absolute).length > 0
        ? "it is not empty and not a folder topicscope wrote"
        : undefined;
    if (refusal !== undefined) {
      throw new UserError(`will not replace ${target}: ${refusal}; choose another ${flag}`);
    }
  }
  checkWritable(dirname(absolute), flag, target);
  const notice = describeLeftovers(cleanLeftovers(dirname(absolute)));
  if (notice) options.onNotice?.(notice);
}

/**
 * The nearest existing ancestor of `dir` must be a folder we can create files in. Probed by creating
 * a file, not by access(2): root passes access checks on read-only mounts and immutable folders.
 */
export function checkWritable(dir: string, flag: string, named: string): void {
  let existing = dir;
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!statOrUndefined(existing)?.isDirectory()) {
    throw new UserError(`${flag} ${named}: ${existing} is not a folder; choose another ${flag}`);
  }
  const probe = join(existing, `.topicscope-probe.${process.pid}.${Date.now()}.tmp`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (error) {
    const converted = fileSystemError(error, existing, "write to");
    if (converted instanceof UserError) {
      throw new UserError(`${flag} ${named}: ${converted.message}`);
    }
    throw converted;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Same file or folder: same resolved path, same real path, or the same inode (hard links). */
export function samePath(absolute: string, other: string, stat?: Stats): boolean {
  const otherAbsolute = resolve(other);
  if (absolute === otherAbsolute) return true;
  const a = stat ?? statOrUndefined(absolute);
  const b = statOrUndefined(otherAbsolute);
  if (!a || !b) return false;
  if (a.dev === b.dev && a.ino === b.ino) return true;
  try {
    return realpathSync(absolute) === realpathSync(otherAbsolute);
  } catch {
    return false;
  }
}

/** `path` lies strictly inside `folder` (both absolute). */
function isInside(path: string, folder: string): boolean {
  const inside = relative(folder, path);
  return inside !== "" && !inside.startsWith("..") && !inside.startsWith(sep) && inside !== path;
}

// ------------------------------------------------------------------------------------------------
// Folders

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
  const stamp = `${process.pid}.${Date.now()}`;
  const temporary = join(parent, `.${basename(target)}.partial.${stamp}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(temporary);
  } catch (error) {
    throw fileSystemError(error, target);
  }
  let result: T;
  try {
    result = await build(temporary);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw fileSystemError(error, target);
  }
  try {
    if (existsSync(target)) {
      // a kill between these two renames leaves .NAME.old.*, which the next run puts back
      const old = join(parent, `.${basename(target)}.old.${stamp}`);
      renameSync(target, old);
      renameSync(temporary, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temporary, target);
    }
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw fileSystemError(error, target);
  }
  return result;
}
