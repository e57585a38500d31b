/**
 * The streaming fit for corpora too big to fit whole (issue 16; BERTopic's advice for them: fit on a
 * sample, transform the rest): the pipeline is fitted on a seeded sample of the non-empty documents,
 * then every other document is assigned through the model's own `transform` in batches, its embedding
 * row read (or embedded) only while its batch is handled. The model folder covers every document:
 *
 *   documents.jsonl, embeddings.npy   every document, corpus order (embeddings copied block by block)
 *   reduced.npy                       the sample's fitted coordinates and the others' transformed ones
 *   cluster-labels.npy                the clusterer's labels of the sample; -2 (not clustered) elsewhere,
 *                                     so a loaded model rebuilds its reducer and clusterer from the
 *                                     sample and transforms as the fitting process did
 *   topics, c-TF-IDF                  over all documents (their texts are in memory anyway), topics
 *                                     numbered by their size in the whole corpus
 *   topic-embeddings.npy              means over all documents (sums kept per topic as batches pass)
 *
 * Memory: the sample's embeddings and one batch, never all rows; what grows with the corpus is its
 * texts (read whole by the corpus reader) and a few numbers per document. Representative documents
 * are ranked as the batches pass by cosine to the topic's centre in the sample (the whole corpus's
 * centre is known only at the end); docs/scale.md says what that changes.
 */
import { join } from "node:path";
import { readRowsAt } from "../io/npy-rows.js";
import { NpyRowWriter } from "../io/streaming.js";
import { type CorpusDocument, type Matrix, selectRows } from "../types.js";
import { UserError } from "../util/errors.js";
import { type Progress, silentProgress } from "../util/progress.js";
import { createRng } from "../util/rng.js";
import { isBlank } from "../util/text.js";
import { MODEL_FILES, type ModelFolder, writeModelFiles } from "./folder/format.js";
import { documentRecords, modelManifest, topicState } from "./folder/model-folder.js";
import { renumberWithMapping } from "./lifecycle/build.js";
import { type Carried, rebuildTopics } from "./lifecycle/rebuild.js";
import type { TopicEmbeddingTable } from "./lifecycle/topic-vectors.js";
import { TopicModel, type TopicModelOptions } from "./model.js";
import type { StageTiming } from "./types.js";

/** Rows of an embedding matrix read on demand (a `.npy` read in blocks: io/npy-rows.ts). */
export interface EmbeddingRowSource {
  readonly rows: number;
  readonly cols: number;
  /** Rows [start, start + count), row-major. */
  read(start: number, count: number): Float32Array;
  /** Where the rows come from, for messages. */
  readonly path?: string;
}

export interface SampleFitOptions {
  /** Documents the pipeline is fitted on (≥ 1; fewer than the non-empty documents). */
  sample: number;
  /** The corpus's embeddings, one row per document; default: embedded with the model's encoder. */
  embeddings?: EmbeddingRowSource;
  /** Documents assigned per transform call (default ASSIGN_BATCH). */
  batchSize?: number;
  /** Where the corpus came from (model.json). */
  source?: string;
  progress?: Progress;
}

/** Documents per transform call: large enough that UMAP's transform takes its big-data epochs. */
export const ASSIGN_BATCH = 20000;

export interface SampleFitResult {
  /** The folder written (embeddings not held: they are in embeddings.npy). */
  folder: ModelFolder;
  /** The model fitted on the sample (its documents are the sample's). */
  sampleModel: TopicModel;
  /** Corpus index of each sampled document, ascending. */
  sampleRows: number[];
}

/** A seeded uniform sample of `size` of the candidate rows, ascending. */
export function sampleRows(candidates: readonly number[], size: number, seed: number): number[] {
  const rows = [...candidates];
  const rng = createRng(seed);
  const take = Math.min(size, rows.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.nextInt(rows.length - i);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows.slice(0, take).sort((a, b) => a - b);
}

function checkFinite(block: Float32Array, cols: number, start: number, where: string): void {
  for (let i = 0; i < block.length; i++) {
    if (!Number.isFinite(block[i])) {
      throw new UserError(
        `${where}: row ${start + Math.floor(i / cols)} contains ${block[i]}; embeddings must be finite`,
      );
    }
  }
}

/** The `count` best-scoring documents per topic, kept as batches pass. */
class RepresentativeRanking {
  private readonly best = new Map<number, { doc: number; score: number }[]>();
  constructor(private readonly count: number) {}

  offer(topic: number, doc: number, score: number): void {
    let list = this.best.get(topic);
    if (!list) {
      list = [];
      this.best.set(topic, list);
    }
    if (list.length === this.count) {
      const worst = list[list.length - 1];
      if (score < worst.score || (score === worst.score && doc > worst.doc)) return;
      list.pop();
    }
    let i = list.length;
    while (i > 0 && (list[i - 1].score < score || (list[i - 1].score === score && list[i - 1].doc > doc)))
      i--;
    list.splice(i, 0, { doc, score });
  }

  /** Documents by topic, best first, ids mapped through `mapping`. */
  result(mapping: ReadonlyMap<number, number>): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const [topic, list] of this.best) {
      out.set(
        mapping.get(topic) ?? topic,
        list.map((e) => e.doc),
      );
    }
    return out;
  }
}

/**
 * Fits on a sample, assigns the rest, and writes the model files into `dir` (a folder the caller
 * creates and swaps in: report/outputs.ts `saveSampleFitWithReports`).
 */
export async function fitSampleToFolder(
  documents: readonly CorpusDocument[],
  modelOptions: TopicModelOptions,
  options: SampleFitOptions,
  dir: string,
): Promise<SampleFitResult> {
  const n = documents.length;
  const progress = options.progress ?? modelOptions.progress ?? silentProgress;
  const source = options.embeddings;
  if (source && source.rows !== n) {
    throw new UserError(
      `${source.path ?? "the embeddings"} has ${source.rows} rows but the corpus has ${n} documents; embeddings need one row per document, in corpus order`,
    );
  }
  if (!Number.isInteger(options.sample) || options.sample < 1) {
    throw new UserError(`--sample must be an integer ≥ 1, got ${options.sample}`);
  }
  const texts = documents.map((d) => d.text);
  const included = Uint8Array.from(texts, (t) => (isBlank(t) ? 0 : 1));
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (included[i]) candidates.push(i);

  // 1. the sample, fitted as any corpus
  const model = new TopicModel({ ...modelOptions, progress });
  const seed = model.parameters.seed;
  const sample = sampleRows(candidates, options.sample, seed);
  const inSample = new Int32Array(n).fill(-1);
  sample.forEach((row, s) => {
    inSample[row] = s;
  });
  const sampleEmbeddings: Matrix | undefined = source
    ? { data: readRowsAt(source, sample), rows: sample.length, cols: source.cols }
    : undefined;
  if (sampleEmbeddings && source)
    checkFinite(sampleEmbeddings.data, source.cols, 0, source.path ?? "embeddings");
  await model.fit(
    sample.map((row) => documents[row]),
    { embeddings: sampleEmbeddings, source: options.source },
  );
  const fitted = model.embeddings as Matrix;
  const cols = fitted.cols;
  const timings: StageTiming[] = model.timings.map((t) =>
    t.stage === "represent" ? { ...t, stage: "represent sample" } : t,
  );

  // 2. every document in corpus order: its row copied to embeddings.npy, the unsampled ones assigned
  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float32Array(n);
  const k = model.reduced?.cols ?? model.parameters.reduce.nComponents;
  const reduced: Matrix = { data: new Float32Array(n * k).fill(Number.NaN), rows: n, cols: k };
  const clusterLabels = new Int32Array(n).fill(-2);
  sample.forEach((row, s) => {
    labels[row] = model.labels[s];
    probabilities[row] = model.probabilities[s];
    if (model.reduced) reduced.data.set(model.reduced.data.subarray(s * k, (s + 1) * k), row * k);
    if (model.clusterLabels) clusterLabels[row] = model.clusterLabels[s];
  });
  // the sample's topic centres: what representative documents are ranked by as the batches pass
  const sampleTable = model.topicEmbeddings();
  const centres = normalisedRows(sampleTable.matrix);
  const hasCentre = sampleTable.topicIds.length;
  // sums per sample topic id; outliers get a row even when the sample had none (assigned ones may)
  const sumIds = sampleTable.topicIds.includes(-1)
    ? [...sampleTable.topicIds]
    : [...sampleTable.topicIds, -1];
  const centreRow = new Map(sumIds.map((id, r) => [id, r]));
  const sums = new Float64Array(sumIds.length * cols);
  const counts = new Float64Array(sumIds.length);
  const ranking = new RepresentativeRanking(model.parameters.representativeDocs);

  const toAssign = candidates.length - sample.length;
  const batch = Math.max(1, options.batchSize ?? ASSIGN_BATCH);
  const writer = new NpyRowWriter(join(dir, MODEL_FILES.embeddings), n, cols);
  const stage = progress.stage(
    `assign ${toAssign} documents to the sample's topics (batches of ${batch})`,
    "docs",
  );
  let assigned = 0;
  try {
    for (let start = 0; start < n; start += batch) {
      const count = Math.min(batch, n - start);
      const block = source
        ? source.read(start, count)
        : await embedBlock(model, texts, start, count, inSample, fitted, included);
      if (source) checkFinite(block, cols, start, source.path ?? "embeddings");
      writer.write(block);
      const local: number[] = [];
      for (let r = 0; r < count; r++) if (included[start + r] && inSample[start + r] < 0) local.push(r);
      if (local.length > 0) {
        const matrix: Matrix = { data: block, rows: count, cols };
        const result = await model.transform(
          local.map((r) => texts[start + r]),
          { embeddings: selectRows(matrix, local), expectedRows: toAssign },
        );
        local.forEach((r, q) => {
          const doc = start + r;
          labels[doc] = result.topics[q];
          probabilities[doc] = result.probabilities[q];
          if (result.reduced) reduced.data.set(result.reduced.data.subarray(q * k, (q + 1) * k), doc * k);
        });
        assigned += local.length;
      }
      // topic sums and representative documents, over every non-empty document of the block
      for (let r = 0; r < count; r++) {
        const doc = start + r;
        if (!included[doc]) continue;
        const c = centreRow.get(labels[doc]);
        if (c === undefined) continue;
        counts[c]++;
        if (c >= hasCentre) {
          for (let j = 0; j < cols; j++) sums[c * cols + j] += block[r * cols + j];
          continue;
        }
        let dot = 0;
        let norm = 0;
        for (let j = 0; j < cols; j++) {
          const v = block[r * cols + j];
          sums[c * cols + j] += v;
          dot += v * centres[c * cols + j];
          norm += v * v;
        }
        ranking.offer(labels[doc], doc, dot / (Math.sqrt(norm) || 1));
      }
      stage.update(assigned, toAssign);
    }
    writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  timings.push({ stage: "assign", seconds: stage.end() });

  // 3. topics over the whole corpus, numbered by their size in it
  const represent = progress.stage(`represent topics over all ${n} documents (c-TF-IDF)`);
  const { labels: finalLabels, mapping } = renumberWithMapping(labels);
  const carried = new Map<number, Carried>();
  for (const topic of model.topics) {
    const target = mapping.get(topic.id);
    if (target !== undefined && topic.zeroShotName !== undefined)
      carried.set(target, { zeroShotName: topic.zeroShotName });
  }
  const table = finalTopicTable(sumIds, sums, counts, cols, mapping);
  const rebuilt = await rebuildTopics({
    texts,
    labels: finalLabels,
    included,
    representative: ranking.result(mapping),
    topicEmbeddings: table,
    parameters: model.parameters,
    carried,
    embedTexts: (list) => model.embedTexts(list),
  });
  const clusterTopic = new Map(
    [...model.clusterTopic].map(([cluster, topic]) => [cluster, mapping.get(topic) ?? -1]),
  );
  const outliers = finalLabels.reduce((c, l) => c + (l === -1 ? 1 : 0), 0);
  timings.push({
    stage: "represent",
    seconds: represent.end(
      `${rebuilt.topics.filter((t) => t.id >= 0).length} topics, ${((100 * outliers) / n).toFixed(1)}% outliers`,
    ),
  });
  await model.dispose();

  const folder: ModelFolder = {
    manifest: modelManifest(
      {
        parameters: { ...model.parameters, sample: options.sample },
        documents,
        embeddings: fitted,
        embedderId: model.embedderId,
        timings,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      },
      options.source,
    ),
    topics: rebuilt.topics,
    documents: documentRecords(documents, finalLabels, probabilities),
    reduced,
    representation: rebuilt.representation.toJSON(),
    topicState: topicState(table.topicIds, clusterTopic, []),
    topicEmbeddings: table.matrix,
    clusterLabels,
    stages: model.stages,
    embedder: model.embedderState,
  };
  writeModelFiles(dir, folder);
  return { folder, sampleModel: model, sampleRows: sample };
}

/** A block's rows: the sample's from the fitted matrix, the others embedded now (empty texts: zero rows). */
async function embedBlock(
  model: TopicModel,
  texts: readonly string[],
  start: number,
  count: number,
  inSample: Int32Array,
  fitted: Matrix,
  included: Uint8Array,
): Promise<Float32Array> {
  const { cols } = fitted;
  const block = new Float32Array(count * cols);
  const missing: number[] = [];
  for (let r = 0; r < count; r++) {
    const s = inSample[start + r];
    if (s >= 0) block.set(fitted.data.subarray(s * cols, (s + 1) * cols), r * cols);
    else if (included[start + r]) missing.push(r);
  }
  if (missing.length > 0) {
    const embedded = await model.embedTexts(missing.map((r) => texts[start + r]));
    missing.forEach((r, q) => {
      block.set(embedded.data.subarray(q * cols, (q + 1) * cols), r * cols);
    });
  }
  return block;
}

function normalisedRows(matrix: Matrix): Float64Array {
  const { rows, cols } = matrix;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let j = 0; j < cols; j++) norm += matrix.data[r * cols + j] ** 2;
    const inv = 1 / (Math.sqrt(norm) || 1);
    for (let j = 0; j < cols; j++) out[r * cols + j] = matrix.data[r * cols + j] * inv;
  }
  return out;
}

/** Mean embedding per final topic id, ascending (-1 first when present), from the sums by sample id. */
function finalTopicTable(
  sampleIds: readonly number[],
  sums: Float64Array,
  counts: Float64Array,
  cols: number,
  mapping: ReadonlyMap<number, number>,
): TopicEmbeddingTable {
  const present = sampleIds
    .map((id, r) => ({ id: mapping.get(id) ?? id, r }))
    .filter(({ r }) => counts[r] > 0)
    .sort((a, b) => a.id - b.id);
  const data = new Float32Array(present.length * cols);
  present.forEach(({ r }, row) => {
    for (let j = 0; j < cols; j++) data[row * cols + j] = sums[r * cols + j] / counts[r];
  });
  return { topicIds: present.map((p) => p.id), matrix: { data, rows: present.length, cols } };
}
