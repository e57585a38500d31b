/**
 * On-disk embedding store: a vector is computed once per (embedder, text) and read back ever after.
 *
 * Layout: `<root>/embeddings/<hash of embedder id>/meta.json` plus `chunks/*.bin`. The embedder id
 * already names the model revision (package version or weight-file hash), pooling, normalisation and
 * token budget, so any change there lands in a different folder. Each chunk file holds the 16-byte
 * SHA-256 prefixes of its texts and their float32 rows; chunks are written with a rename, so a run
 * killed halfway leaves only whole chunks and the next run resumes after the last one.
 *
 * Chunk format (little-endian): "TSEMB\x01\0\0" | u32 count | u32 dim | count × 16-byte key | count × dim f32.
 *
 * Many small chunks (a loop of 2,000 `search` runs writes one vector each) are merged into one when a
 * store is opened with COMPACT_AT of them, so lookups read a few files instead of thousands. Merging
 * writes the new chunk before deleting the old ones; a concurrent reader that loses a file to it just
 * embeds those texts again.
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { cleanLeftovers, writeFileAtomic } from "../io/atomic.js";
import type { Logger } from "../util/log.js";

const MAGIC = Buffer.from("TSEMB\x01\0\0", "latin1");
const HEADER_BYTES = 16;
const KEY_BYTES = 16;
/** A chunk below this size counts as small … */
export const SMALL_CHUNK_BYTES = 1 << 20;
/** … and this many small chunks are merged into one when the store is opened. */
export const COMPACT_AT = 16;

/** `$TOPICSCOPE_CACHE_DIR`, else `$XDG_CACHE_HOME/topicscope`, else `~/.cache/topicscope`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TOPICSCOPE_CACHE_DIR) return env.TOPICSCOPE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "topicscope");
  return join(homedir(), ".cache", "topicscope");
}

/** Cache key of a text: the first 16 bytes of its UTF-8 SHA-256, as hex. */
export function textKey(text: string): string {
  return createHash("sha256")
    .update(text, "utf8")
    .digest("hex")
    .slice(0, KEY_BYTES * 2);
}

function embedderFolder(root: string, embedderId: string): string {
  const hash = createHash("sha256").update(embedderId, "utf8").digest("hex").slice(0, 16);
  return join(root, "embeddings", hash);
}

interface CacheMeta {
  id: string;
  dimension: number;
}

/** Chunk numbers of this process: two stores opened in one millisecond must not share a name. */
let sequence = 0;

export class EmbeddingCache {
  /** Set when a write failed (disk full, read-only): the run goes on without saving more. */
  private writesFailed = false;

  private constructor(
    readonly folder: string,
    readonly embedderId: string,
    readonly dimension: number,
    private readonly logger?: Logger,
  ) {}

  /** Opens (creating if needed) the store of one embedder under `root`. */
  static open(root: string, embedderId: string, dimension: number, logger?: Logger): EmbeddingCache {
    const folder = embedderFolder(root, embedderId);
    const metaPath = join(folder, "meta.json");
    mkdirSync(join(folder, "chunks"), { recursive: true });
    cleanLeftovers(join(folder, "chunks"));
    if (existsSync(metaPath)) {
      const meta = readMeta(metaPath);
      if (meta?.id !== embedderId || meta.dimension !== dimension) {
        // a hash collision, a hand-edited or damaged folder: never serve vectors of another model
        logger?.warn(
          `embedding cache ${folder} belongs to ${meta?.id ?? "an unreadable meta.json"}; clearing it`,
        );
        rmSync(join(folder, "chunks"), { recursive: true, force: true });
        mkdirSync(join(folder, "chunks"), { recursive: true });
      }
    }
    writeFileAtomic(metaPath, `${JSON.stringify({ id: embedderId, dimension }, null, 2)}\n`);
    const cache = new EmbeddingCache(folder, embedderId, dimension, logger);
    cache.compact();
    return cache;
  }

  /** Merges the small chunks into one when there are COMPACT_AT of them (see the file comment). */
  compact(): void {
    const small = this.chunkFiles().filter((file) => {
      try {
        return statSync(file).size < SMALL_CHUNK_BYTES;
      } catch {
        return false;
      }
    });
    if (small.length < COMPACT_AT) return;
    const keys: string[] = [];
    const seen = new Set<string>();
    const rows: Float32Array[] = [];
    const merged: string[] = [];
    for (const file of small) {
      const chunk = this.readChunk(file);
      if (chunk === undefined) continue;
      merged.push(file);
      for (let r = 0; r < chunk.count; r++) {
        const key = chunk.keys.toString("hex", r * KEY_BYTES, (r + 1) * KEY_BYTES);
        if (seen.has(key)) continue;
        seen.add(key);
        keys.push(key);
        rows.push(chunk.rows.subarray(r * this.dimension, (r + 1) * this.dimension));
      }
    }
    const data = new Float32Array(keys.length * this.dimension);
    rows.forEach((row, i) => {
      data.set(row, i * this.dimension);
    });
    const written = this.append(keys, data);
    if (written === undefined) return;
    for (const file of merged) if (file !== written) rmSync(file, { force: true });
  }

  private chunkFiles(): string[] {
    const dir = join(this.folder, "chunks");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith(".bin"))
      .sort()
      .map((name) => join(dir, name));
  }

  /**
   * Copies the cached row of each key found into `out` (row i ↔ keys[i]); returns 1 for found, 0 for
   * missing. Unreadable chunk files are skipped with a warning (their texts are simply embedded again).
   */
  lookup(keys: readonly string[], out: Float32Array): Uint8Array {
    const dim = this.dimension;
    const found = new Uint8Array(keys.length);
    const wanted = new Map<string, number[]>();
    keys.forEach((key, i) => {
      const list = wanted.get(key);
      if (list) list.push(i);
      else wanted.set(key, [i]);
    });
    for (const file of this.chunkFiles()) {
      if (wanted.size === 0) break;
      const chunk = this.readChunk(file);
      if (chunk === undefined) continue;
      for (let r = 0; r < chunk.count; r++) {
        const key = chunk.keys.toString("hex", r * KEY_BYTES, (r + 1) * KEY_BYTES);
        const targets = wanted.get(key);
        if (targets === undefined) continue;
        const row = chunk.rows.subarray(r * dim, (r + 1) * dim);
        for (const i of targets) {
          out.set(row, i * dim);
          found[i] = 1;
        }
        wanted.delete(key);
      }
    }
    return found;
  }

  private readChunk(file: string): { count: number; keys: Buffer; rows: Float32Array } | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined; // merged away by another run since we listed it: its texts are embedded again
    }
    const count = bytes.length >= HEADER_BYTES ? bytes.readUInt32LE(8) : 0;
    const dim = bytes.length >= HEADER_BYTES ? bytes.readUInt32LE(12) : 0;
    const expected = HEADER_BYTES + count * KEY_BYTES + count * dim * 4;
    if (!bytes.subarray(0, 8).equals(MAGIC) || dim !== this.dimension || bytes.length !== expected) {
      this.logger?.warn(`embedding cache: ignoring damaged chunk ${file}`);
      return undefined;
    }
    const keys = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count * KEY_BYTES);
    const start = HEADER_BYTES + count * KEY_BYTES;
    // copy into an aligned buffer: the chunk's float data need not sit at a multiple of 4 in Node's pool
    const rows = new Float32Array(count * dim);
    new Uint8Array(rows.buffer).set(bytes.subarray(start, start + count * dim * 4));
    return { count, keys, rows };
  }

  /** Stores `keys.length` rows (row-major in `rows`) as one new chunk, atomically; returns its path. */
  append(keys: readonly string[], rows: Float32Array): string | undefined {
    if (keys.length === 0) return undefined;
    if (rows.length !== keys.length * this.dimension) {
      throw new RangeError(`cache append: ${rows.length} values for ${keys.length} × ${this.dimension}`);
    }
    const bytes = Buffer.alloc(HEADER_BYTES + keys.length * KEY_BYTES + rows.byteLength);
    MAGIC.copy(bytes, 0);
    bytes.writeUInt32LE(keys.length, 8);
    bytes.writeUInt32LE(this.dimension, 12);
    keys.forEach((key, i) => {
      bytes.write(key, HEADER_BYTES + i * KEY_BYTES, KEY_BYTES, "hex");
    });
    Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).copy(
      bytes,
      HEADER_BYTES + keys.length * KEY_BYTES,
    );
    // time first so `sort()` reads chunks oldest first; pid + sequence keep concurrent runs apart
    const name = `${Date.now().toString().padStart(14, "0")}-${process.pid}-${sequence++}.bin`;
    if (this.writesFailed) return undefined;
    const path = join(this.folder, "chunks", name);
    try {
      writeFileAtomic(path, bytes);
      return path;
    } catch (error) {
      // the vectors are in memory and the run can finish; only the next run pays
      this.writesFailed = true;
      this.logger?.warn(
        `embedding cache: cannot save to ${this.folder} (${error instanceof Error ? error.message : String(error)}); this run continues without saving`,
      );
      return undefined;
    }
  }
}

export interface CacheModelInfo {
  id: string;
  dimension: number;
  folder: string;
  chunks: number;
  vectors: number;
  /** Texts whose readings (token count, unknown share) are stored, when any are. */
  readings?: number;
  bytes: number;
}

/**
 * Appended to an embedder's id for the store of its texts' readings (embed/readings.ts), which lives
 * beside its vectors and is reported with them.
 */
export const READINGS_SUFFIX = "#readings";

export interface CacheInfo {
  location: string;
  bytes: number;
  models: CacheModelInfo[];
}

/** What the cache at `root` holds, per embedder. */
export function cacheInfo(root: string): CacheInfo {
  const models: CacheModelInfo[] = [];
  const base = join(root, "embeddings");
  if (existsSync(base)) {
    for (const name of readdirSync(base).sort()) {
      const folder = join(base, name);
      const metaPath = join(folder, "meta.json");
      if (!existsSync(metaPath)) continue;
      const meta = readMeta(metaPath);
      if (meta === undefined) continue;
      let chunks = 0;
      let vectors = 0;
      let bytes = statSync(metaPath).size;
      const chunkDir = join(folder, "chunks");
      for (const file of existsSync(chunkDir) ? readdirSync(chunkDir) : []) {
        const size = statSync(join(chunkDir, file)).size;
        bytes += size;
        if (!file.endsWith(".bin") || size < HEADER_BYTES) continue;
        chunks++;
        vectors += readHeaderCount(join(chunkDir, file));
      }
      models.push({ id: meta.id, dimension: meta.dimension, folder, chunks, vectors, bytes });
    }
  }
  // a readings store is reported with its embedder's vectors
  const listed: CacheModelInfo[] = [];
  for (const store of models.filter((m) => !m.id.endsWith(READINGS_SUFFIX))) listed.push(store);
  for (const store of models.filter((m) => m.id.endsWith(READINGS_SUFFIX))) {
    const id = store.id.slice(0, -READINGS_SUFFIX.length);
    let model = listed.find((m) => m.id === id);
    if (!model) {
      model = { id, dimension: 0, folder: store.folder, chunks: 0, vectors: 0, bytes: 0 };
      listed.push(model);
    }
    model.readings = store.vectors;
    model.bytes += store.bytes;
  }
  return { location: root, bytes: listed.reduce((sum, m) => sum + m.bytes, 0), models: listed };
}

/** meta.json, or undefined when it is unreadable (then the store is treated as another model's). */
function readMeta(path: string): CacheMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(path, "utf8")) as Partial<CacheMeta> | null;
    return typeof meta?.id === "string" && typeof meta.dimension === "number"
      ? { id: meta.id, dimension: meta.dimension }
      : undefined;
  } catch {
    return undefined;
  }
}

function readHeaderCount(file: string): number {
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  return header.subarray(0, 8).equals(MAGIC) ? header.readUInt32LE(8) : 0;
}

/** Deletes every cached embedding under `root`; returns the bytes freed. */
export function clearCache(root: string): number {
  const { bytes } = cacheInfo(root);
  rmSync(join(root, "embeddings"), { recursive: true, force: true });
  return bytes;
}
