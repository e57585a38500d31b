/** Reading what an existing store records, without creating anything. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../util/errors.js";
import { openStore } from "./store.js";

/** The embedding model recorded by `table` in the store at `dir`, or undefined when there is none yet. */
export async function storeModel(dir: string, table: string): Promise<string | undefined> {
  if (!existsSync(join(dir, `${table}.lance`))) return undefined;
  try {
    const store = await openStore(dir, { table });
    const model = store.metadata.model;
    await store.close();
    return model;
  } catch (error) {
    // a table topicscope did not write: openStore with create names the problem later
    if (error instanceof UserError) return undefined;
    throw error;
  }
}
