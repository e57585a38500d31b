/**
 * The store's table layout and its Arrow encoding. One fixed schema (so a table written by any run,
 * or opened from Python, has the same columns), with the embedding model recorded in the schema's
 * metadata under `topicscope`: a table never mixes vectors of two models.
 *
 * Rows are encoded column by column straight from typed arrays: building Arrow data from JS objects
 * costs more than the write itself at 10k+ rows.
 */
import { createRequire } from "node:module";
import type { FixedSizeList, Float32, Schema, Table } from "apache-arrow";
import { UserError } from "../util/errors.js";

// LanceDB is CommonJS and checks its input with `instanceof` against the CommonJS build of
// apache-arrow; an ESM `import` would load the package's second (ESM) build, whose classes fail
// those checks ("schemas must be equivalent"). So the store builds its Arrow data with the same copy.
const arrow = createRequire(import.meta.url)("apache-arrow") as typeof import("apache-arrow");
const { Field, FixedSizeList: FixedSizeListType, Float32: Float32Type, Int32, makeData, RecordBatch } = arrow;
const { Schema: SchemaType, Struct, Table: TableType, Utf8, vectorFromArray } = arrow;

/** Bumped when the columns or the metadata change meaning. */
export const STORE_FORMAT_VERSION = 1;
export const METADATA_KEY = "topicscope";

/** What a table remembers about the vectors it holds. */
export interface StoreMetadata {
  format: number;
  /** The embedder's id (model + weights + pooling + token budget), e.g. `use-lite@0.2.0;max_tokens=128;normalize`. */
  embedderId: string;
  /** How to build that embedder again (`--model` as given: use-lite, a folder, a hub id). */
  model: string;
  dimension: number;
  /** The topic model whose topics the `topic` column holds, when one was given. */
  topicModel?: string;
}

/** One document in the store. `vector` has the table's dimension; blank texts are not stored. */
export interface StoreRow {
  id: string;
  text: string;
  vector: Float32Array;
  label?: string;
  timestamp?: string;
  /** Topic of the document in the store's topic model (-1 = outlier). */
  topic?: number;
  probability?: number;
}

export const COLUMNS = ["id", "text", "vector", "label", "timestamp", "topic", "probability"] as const;
/** Every column but the vector: what a search returns. */
export const RESULT_COLUMNS = ["id", "text", "label", "timestamp", "topic", "probability"] as const;

export function storeSchema(metadata: StoreMetadata): Schema {
  return new SchemaType(
    [
      new Field("id", new Utf8(), false),
      new Field("text", new Utf8(), false),
      new Field("vector", vectorType(metadata.dimension), false),
      new Field("label", new Utf8(), true),
      new Field("timestamp", new Utf8(), true),
      new Field("topic", new Int32(), true),
      new Field("probability", new Float32Type(), true),
    ],
    new Map([[METADATA_KEY, JSON.stringify(metadata)]]),
  );
}

function vectorType(dimension: number): FixedSizeList<Float32> {
  return new FixedSizeListType(dimension, new Field("item", new Float32Type(), true));
}

/** The metadata of a table's schema, or undefined when the table was not written by topicscope. */
export function readMetadata(metadata: Map<string, string>): StoreMetadata | undefined {
  const raw = metadata.get(METADATA_KEY);
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<StoreMetadata>;
    if (typeof parsed.embedderId !== "string" || typeof parsed.dimension !== "number") return undefined;
    return {
      format: parsed.format ?? 1,
      embedderId: parsed.embedderId,
      model: parsed.model ?? parsed.embedderId,
      dimension: parsed.dimension,
      ...(typeof parsed.topicModel === "string" ? { topicModel: parsed.topicModel } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Checks rows before they are written (dimension, finite non-zero vectors, non-empty unique ids)
 * and throws a UserError naming the first bad row.
 */
export function validateRows(rows: readonly StoreRow[], dimension: number, source = "input"): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (typeof row.id !== "string" || row.id === "") {
      throw new UserError(`${source}: a row has an empty id; every stored document needs one`);
    }
    if (seen.has(row.id)) {
      throw new UserError(`${source}: duplicate id '${row.id}'; ids in a store must be unique`);
    }
    seen.add(row.id);
    if (row.vector.length !== dimension) {
      throw new UserError(
        `${source}: id '${row.id}' has a ${row.vector.length}-d vector; the store holds ${dimension}-d vectors`,
      );
    }
    let norm = 0;
    for (let j = 0; j < dimension; j++) norm += row.vector[j] * row.vector[j];
    if (!Number.isFinite(norm) || norm === 0) {
      throw new UserError(
        `${source}: id '${row.id}' has a ${norm === 0 ? "zero" : "non-finite"} vector (blank texts are not stored)`,
      );
    }
  }
}

/** Rows → one Arrow table with the store's schema (vectors copied into one contiguous buffer). */
export function rowsToArrow(rows: readonly StoreRow[], schema: Schema): Table {
  const n = rows.length;
  const vectorField = schema.fields.find((f) => f.name === "vector")!;
  const dimension = (vectorField.type as FixedSizeList).listSize;
  const values = new Float32Array(n * dimension);
  rows.forEach((row, i) => {
    values.set(row.vector, i * dimension);
  });
  const vectors = makeData({
    type: vectorField.type as FixedSizeList<Float32>,
    length: n,
    nullCount: 0,
    child: makeData({ type: new Float32Type(), length: n * dimension, data: values }),
  });
  const strings = (pick: (row: StoreRow) => string | undefined) =>
    vectorFromArray(
      rows.map((r) => pick(r) ?? null),
      new Utf8(),
    ).data[0];
  const topic = vectorFromArray(
    rows.map((r) => r.topic ?? null),
    new Int32(),
  ).data[0];
  const probability = vectorFromArray(
    rows.map((r) => r.probability ?? null),
    new Float32Type(),
  ).data[0];
  const children = [
    strings((r) => r.id),
    strings((r) => r.text),
    vectors,
    strings((r) => r.label),
    strings((r) => r.timestamp),
    topic,
    probability,
  ];
  const struct = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new TableType([new RecordBatch(schema, struct)]);
}
