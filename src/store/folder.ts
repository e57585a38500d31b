/**
 * What makes a folder a store: it holds LanceDB tables (`NAME.lance` folders). Kept apart from
 * store.ts, which loads LanceDB, so the file rule (src/cli/output.ts) can ask without loading it.
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

/** What a store folder is called in messages. */
export const STORE_FOLDER = "a topicscope vector store";

/** True when `dir` holds at least one Lance table folder. */
export function isStoreFolder(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((name) => {
    if (!name.endsWith(".lance")) return false;
    try {
      return statSync(join(dir, name)).isDirectory();
    } catch {
      return false;
    }
  });
}

/** The store folder `path` lies in (the nearest ancestor that is one), for the file rule. */
export function owningStoreFolder(path: string): { folder: string; what: string } | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (isStoreFolder(dir)) return { folder: dir, what: STORE_FOLDER };
    if (dirname(dir) === dir) return undefined;
  }
}
