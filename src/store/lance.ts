/**
 * LanceDB, loaded on first use: its native binary comes as a per-platform package (none for every
 * platform at the pinned version, e.g. Intel macOS), so importing topicscope must not load it — only
 * opening a store does, and a platform without the binary gets one line saying so.
 */
import { UserError } from "../util/errors.js";

type Lance = typeof import("@lancedb/lancedb");

let loaded: Promise<Lance> | undefined;

export function loadLance(): Promise<Lance> {
  loaded ??= import("@lancedb/lancedb").catch((error: unknown) => {
    loaded = undefined;
    throw new UserError(
      `the vector store needs LanceDB's native binary for ${process.platform}-${process.arch}, which did not load ` +
        `(${error instanceof Error ? error.message.split("\n")[0] : String(error)}); see docs/store.md`,
    );
  });
  return loaded;
}
