/**
 * The model folder: what `fit` writes and every later verb reads.
 *
 *   model.json        ModelManifest: parameters, versions, timings
 *   topics.json       Topic[] (id -1 = outliers, when there are any)
 *   documents.jsonl   one DocumentRecord per corpus document, in corpus order
 *   embeddings.npy    n×d float32, corpus order (rows of empty documents are zero)
 *   reduced.npy       n×k float32, corpus order (rows of empty documents are NaN)
 *   representation.json  fitted vocabulary + c-TF-IDF (optional; needed to score new documents)
 *   embedder.json + embedder-<array>.npy  what a corpus-fitted encoder learnt (tfidf: vocabulary,
 *                     idf, projection), needed to embed new documents into the same space (optional)
 *   report.md, charts/, report.html, … (outputs; rebuilt from the above)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EmbedderState } from "../../embed/types.js";
import { writeFileAtomic } from "../../io/atomic.js";
import { readMatrixNpy, writeMatrixNpy } from "../../io/npy.js";
import type { Matrix } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { DocumentRecord, ModelManifest, Topic } from "../types.js";

export const MODEL_FORMAT = "topicscope-model";
export const MODEL_FORMAT_VERSION = 1;

export const MODEL_FILES = {
  manifest: "model.json",
  topics: "topics.json",
  documents: "documents.jsonl",
  embeddings: "embeddings.npy",
  reduced: "reduced.npy",
  representation: "representation.json",
  embedderState: "embedder.json",
} as const;

/** The .npy file of one array of the embedder state. */
export function embedderArrayFile(name: string): string {
  return `embedder-${name}.npy`;
}

export interface ModelFolder {
  manifest: ModelManifest;
  topics: Topic[];
  documents: DocumentRecord[];
  /** Absent when loaded with `{ embeddings: false }`. */
  embeddings?: Matrix;
  reduced?: Matrix;
  /** Parsed representation.json when present (shape owned by src/represent). */
  representation?: unknown;
  /** embedder.json + its arrays, when the encoder was fitted on the corpus (shape owned by src/embed). */
  embedderState?: EmbedderState;
}

export function writeModelFiles(dir: string, model: ModelFolder): void {
  writeFileAtomic(join(dir, MODEL_FILES.manifest), `${JSON.stringify(model.manifest, null, 2)}\n`);
  writeFileAtomic(join(dir, MODEL_FILES.topics), `${JSON.stringify(topicsForDisk(model), null, 2)}\n`);
  writeFileAtomic(
    join(dir, MODEL_FILES.documents),
    model.documents.map((d) => `${JSON.stringify(d)}\n`).join(""),
  );
  if (model.embeddings) writeMatrixNpy(join(dir, MODEL_FILES.embeddings), model.embeddings);
  if (model.reduced) writeMatrixNpy(join(dir, MODEL_FILES.reduced), model.reduced);
  if (model.representation !== undefined) {
    writeFileAtomic(join(dir, MODEL_FILES.representation), JSON.stringify(model.representation));
  }
  if (model.embedderState !== undefined) {
    const { backend, json, arrays } = model.embedderState;
    for (const [name, matrix] of Object.entries(arrays))
      writeMatrixNpy(join(dir, embedderArrayFile(name)), matrix);
    writeFileAtomic(
      join(dir, MODEL_FILES.embedderState),
      JSON.stringify({ backend, arrays: Object.keys(arrays), json }),
    );
  }
}

/** Characters of each representative document's text kept in topics.json. */
export const REPRESENTATIVE_TEXT_LENGTH = 1000;

/**
 * topics.json is read by people and other tools, not only by us: next to the representative
 * documents' indices it carries their ids and (truncated) texts, so a topic can be understood
 * without joining documents.jsonl. Loading ignores the extra field.
 */
function topicsForDisk(model: ModelFolder): (Topic & { representative: { id: string; text: string }[] })[] {
  return model.topics.map((topic) => {
    const { representative: _derived, ...stored } = topic as Topic & { representative?: unknown };
    return {
      ...stored,
      representative: topic.representativeDocs.map((index) => {
        const text = model.documents[index]?.text ?? "";
        return {
          id: model.documents[index]?.id ?? String(index),
          text:
            text.length > REPRESENTATIVE_TEXT_LENGTH
              ? `${text.slice(0, REPRESENTATIVE_TEXT_LENGTH - 1)}…`
              : text,
        };
      }),
    };
  });
}

export interface LoadModelOptions {
  /** Load embeddings.npy (default true). */
  embeddings?: boolean;
  /** Load reduced.npy (default true). */
  reduced?: boolean;
  /** Load embedder.json and its arrays (default true). */
  embedderState?: boolean;
}

export function loadModelFolder(dir: string, options: LoadModelOptions = {}): ModelFolder {
  if (!existsSync(dir))
    throw new UserError(`model folder ${dir} does not exist; create one with 'topicscope fit'`);
  const need = (name: string): string => {
    const path = join(dir, name);
    if (!existsSync(path)) {
      throw new UserError(
        `model folder ${dir} is missing ${name}; refit with 'topicscope fit' or restore the file`,
      );
    }
    return path;
  };
  const manifest = readJson<ModelManifest>(need(MODEL_FILES.manifest));
  if (manifest.format !== MODEL_FORMAT) {
    throw new UserError(
      `${join(dir, MODEL_FILES.manifest)} is not a topicscope model (format '${String(manifest.format)}')`,
    );
  }
  if (manifest.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new UserError(
      `${dir} was written by topicscope ${manifest.version} in model format ${manifest.formatVersion}; this topicscope reads format ${MODEL_FORMAT_VERSION}: refit the model`,
    );
  }
  const topics = readJson<(Topic & { representative?: unknown })[]>(need(MODEL_FILES.topics)).map(
    ({ representative: _derived, ...topic }) => topic,
  );
  const documentsPath = need(MODEL_FILES.documents);
  const documents = readFileSync(documentsPath, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line, i) => {
      try {
        return JSON.parse(line) as DocumentRecord;
      } catch {
        throw new UserError(`${documentsPath}: invalid JSON on line ${i + 1}`);
      }
    });
  const folder: ModelFolder = { manifest, topics, documents };
  if (options.embeddings !== false) {
    folder.embeddings = readMatrixNpy(need(MODEL_FILES.embeddings));
    checkRows(folder.embeddings, documents.length, MODEL_FILES.embeddings, dir);
  }
  if (options.reduced !== false) {
    folder.reduced = readMatrixNpy(need(MODEL_FILES.reduced));
    checkRows(folder.reduced, documents.length, MODEL_FILES.reduced, dir);
  }
  const representationPath = join(dir, MODEL_FILES.representation);
  if (existsSync(representationPath)) folder.representation = readJson<unknown>(representationPath);
  const embedderPath = join(dir, MODEL_FILES.embedderState);
  if (options.embedderState !== false && existsSync(embedderPath)) {
    const saved = readJson<{ backend: string; arrays: string[]; json: Record<string, unknown> }>(
      embedderPath,
    );
    const arrays: Record<string, Matrix> = {};
    for (const name of saved.arrays) arrays[name] = readMatrixNpy(need(embedderArrayFile(name)));
    folder.embedderState = { backend: saved.backend, json: saved.json, arrays };
  }
  return folder;
}

function checkRows(matrix: Matrix, expected: number, name: string, dir: string): void {
  if (matrix.rows !== expected) {
    throw new UserError(
      `${join(dir, name)} has ${matrix.rows} rows but documents.jsonl has ${expected}; the folder is inconsistent: refit`,
    );
  }
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new UserError(`${path}: cannot parse JSON (${(error as Error).message})`);
  }
}
