/** Worker thread body of precount.ts: counts the texts' terms at the lowest priority and posts them. */
import { parentPort, workerData } from "node:worker_threads";
import { lowerThreadPriority } from "../../util/priority.js";
import type { PrecountRequest } from "./precount.js";
import { TopicTermCounts } from "./term-counts.js";

lowerThreadPriority();
const { represent, texts, documents } = workerData as PrecountRequest;
const precount = TopicTermCounts.precount(represent, texts, documents);
const transfer = precount
  ? [precount.words, precount.junk].flatMap((t) => [
      t.ids.buffer,
      t.counts.buffer,
      t.offsets.buffer,
      t.totals.buffer,
    ])
  : [];
if (precount) transfer.push(precount.words.order.buffer, precount.lengths.buffer, precount.documents.buffer);
parentPort?.postMessage(precount, transfer as ArrayBuffer[]);
