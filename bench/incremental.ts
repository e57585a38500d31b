/**
 * Incremental topic modelling on 20 Newsgroups: fit on 90% of the corpus, then `addDocuments` the
 * other 10% — its time against the fit's, and whether any old document's topic changed.
 * Embeddings come from the embedding cache (warm for both, so neither pays for the encoder).
 *
 *   npm run bench:incremental [-- --corpus 20newsgroups --share 0.1]
 */
import { parseArgs } from "node:util";
import { TopicModel } from "../src/topics/model.js";
import { selectRows } from "../src/types.js";
import { type BenchCorpus, corpusEmbeddings, loadLabelledCorpus, peakRssMiB, printTable } from "./common.js";

const { values: args } = parseArgs({
  options: { corpus: { type: "string", default: "20newsgroups" }, share: { type: "string", default: "0.1" } },
});
const corpus = loadLabelledCorpus(args.corpus as BenchCorpus);
const vectors = await corpusEmbeddings(corpus);
const n = corpus.texts.length;
const cut = Math.round(n * (1 - Number(args.share)));
// every 10th document is "new": the two parts cover the same period and topics, as incoming data does
const newRows = [...Array(n).keys()]
  .filter((i) => i % Math.round(1 / Number(args.share)) === 0)
  .slice(0, n - cut);
const isNew = new Set(newRows);
const oldRows = [...Array(n).keys()].filter((i) => !isNew.has(i));
const docs = (rows: number[]) =>
  rows.map((i) => ({ id: corpus.ids[i], text: corpus.texts[i], label: corpus.labels[i] }));

let t = performance.now();
const model = await new TopicModel({ seed: 42, cache: true }).fit(docs(oldRows), {
  embeddings: selectRows(vectors, oldRows),
});
const fitSeconds = (performance.now() - t) / 1000;
const before = Int32Array.from(model.labels);
const topicsBefore = model.topics.filter((tp) => tp.id >= 0).length;

t = performance.now();
// the model embeds the new documents itself, through the (warm) embedding cache
const result = await model.addDocuments(docs(newRows));
const addSeconds = (performance.now() - t) / 1000;
let changed = 0;
for (let i = 0; i < before.length; i++) {
  if (before[i] >= 0 && model.labels[i] !== before[i]) changed++;
}
const promoted = [...before.keys()].filter((i) => before[i] === -1 && model.labels[i] !== -1).length;
await model.dispose();

console.log(
  `\n## Adding ${newRows.length} documents to a model fitted on ${oldRows.length} (${corpus.name})\n`,
);
printTable([
  {
    "fit s": fitSeconds,
    "add s": addSeconds,
    "add / fit": addSeconds / fitSeconds,
    "topics before": topicsBefore,
    "to existing topics": result.assigned,
    "new topics": result.newTopics.length,
    "joined via cluster": result.joined,
    "still outliers": result.outliers,
    "old docs whose topic changed": changed,
    "old outliers given a topic": promoted,
  },
]);
console.log(
  "\nfit stages (s):",
  model.timings.map((st) => `${st.stage} ${st.seconds.toFixed(1)}`).join(", "),
);
console.log(
  "add stages (s):",
  Object.entries(result.seconds)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", "),
);
console.log(
  `\npeak RSS ${peakRssMiB().toFixed(0)} MiB; load average ${(await import("node:os"))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
if (changed > 0) process.exitCode = 1;
