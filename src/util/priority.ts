/**
 * Background threads at the lowest priority, so that they use only what the foreground leaves idle.
 * Linux schedules threads, not processes: setpriority on a thread id changes that thread alone, and
 * /proc/thread-self names the calling thread. Elsewhere the thread keeps its priority.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** Lowers the calling thread to the lowest priority (nice 19); false where that is not possible. */
export function lowerThreadPriority(): boolean {
  if (process.platform !== "linux") return false;
  try {
    const thread = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(thread) || thread <= 0) return false;
    setPriority(thread, 19);
    return true;
  } catch {
    return false;
  }
}
