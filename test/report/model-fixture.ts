/**
 * A small synthetic model folder (3 topics + outliers, 8-d embeddings in clear clusters) with hostile
 * document text, timestamps and class labels, for report and chart tests.
 */
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFolder,
  writeModelFiles,
} from "../../src/topics/folder/format.js";
import { DEFAULT_PARAMETERS } from "../../src/topics/parameters.js";
import type { DocumentRecord, ModelManifest, Topic } from "../../src/topics/types.js";
import { createRng } from "../../src/util/rng.js";

export const PLANTED_IMG = "<img src=x onerror=window.__pwned=1>";
export const PLANTED_SCRIPT = "<script>window.__pwned=2</script>";
export const PLANTED_TEXT = `${PLANTED_IMG} ${PLANTED_SCRIPT} </script><a href="javascript:window.__pwned=3">click</a> {{constructor.constructor('window.__pwned=4')()}} "quoted, with comma"\nsecond line`;

export function syntheticModel(perTopic = 20, outliers = 6): ModelFolder {
  const rng = createRng(7);
  const dims = 8;
  const words = [
    ["tax", "budget", "deficit", "spending", "economy"],
    ["match", "goal", "team", "season", "coach"],
    ["film", "actor", "award", "director", "festival"],
  ];
  const documents: DocumentRecord[] = [];
  const rows: number[][] = [];
  for (let t = 0; t < 3; t++) {
    for (let i = 0; i < perTopic; i++) {
      const v = Array.from({ length: dims }, (_, j) => (j === t ? 1 : 0) + 0.15 * rng.nextGaussian());
      rows.push(v);
      const text =
        t === 0 && i === 0 ? PLANTED_TEXT : `${words[t][i % 5]} ${words[t][(i + 1) % 5]} document ${i}`;
      documents.push({
        id: `d${documents.length}`,
        text,
        topic: t,
        probability: 0.5 + 0.5 * rng.next(),
        label: t === 0 && i === 1 ? PLANTED_SCRIPT : ["politics", "sport", "culture"][t],
        timestamp: `2024-0${1 + (i % 6)}-15T00:00:00Z`,
      });
    }
  }
  for (let i = 0; i < outliers; i++) {
    rows.push(Array.from({ length: dims }, () => rng.nextGaussian()));
    documents.push({
      id: `d${documents.length}`,
      text: `stray note ${i}`,
      topic: -1,
      probability: 0,
      timestamp: "2024-03-01T00:00:00Z",
    });
  }
  // one empty document: zero embedding row, outlier
  rows.push(new Array(dims).fill(0));
  documents.push({ id: `d${documents.length}`, text: "", topic: -1, probability: 0 });
  const topics: Topic[] = [
    {
      id: -1,
      size: outliers + 1,
      label: "-1_stray_note",
      words: [{ word: "stray", score: 0.3 }],
      representativeDocs: [],
    },
    ...words.map((w, t) => ({
      id: t,
      size: perTopic,
      label: t === 0 ? `0_${PLANTED_IMG}` : `${t}_${w.slice(0, 3).join("_")}`,
      words: w.map((word, r) => ({ word: t === 0 && r === 1 ? PLANTED_SCRIPT : word, score: 0.4 / (r + 1) })),
      representativeDocs: [t * perTopic, t * perTopic + 1, t * perTopic + 2],
    })),
  ];
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    version: "0.1.0",
    createdAt: "2026-11-27T04:00:00.000Z",
    parameters: { ...DEFAULT_PARAMETERS, embedding: { ...DEFAULT_PARAMETERS.embedding, model: "synthetic" } },
    embedder: { id: "synthetic", dimension: dims },
    corpus: { documents: documents.length, emptyDocuments: 1, source: `synthetic ${PLANTED_IMG}` },
    timings: [
      { stage: "embed", seconds: 1.25 },
      { stage: "reduce", seconds: 0.5 },
    ],
    peakRssBytes: 200 * 2 ** 20,
  };
  const data = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => {
    data.set(r, i * dims);
  });
  const embeddings = { data, rows: rows.length, cols: dims };
  const reduced = { data: new Float32Array(rows.length * 5), rows: rows.length, cols: 5 };
  return { manifest, topics, documents, embeddings, reduced };
}

export function writeSyntheticModel(dir: string, model = syntheticModel()): ModelFolder {
  writeModelFiles(dir, model);
  return model;
}
