/**
 * Files too big to build as one string or buffer (a million documents' records, a 1.5 GB embedding
 * matrix), written piece by piece into a temporary sibling and renamed into place when complete, so
 * that a failure never leaves half a file under the real name.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { encodeNpy } from "./npy.js";

export class AtomicFileWriter {
  private readonly temporary: string;
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(readonly path: string) {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    this.temporary = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    this.fd = openSync(this.temporary, "w");
  }

  /** Appends text (buffered into writes of about a megabyte) or bytes. */
  write(contents: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.path}: written after close`);
    if (typeof contents === "string") {
      this.pending.push(contents);
      this.pendingLength += contents.length;
      if (this.pendingLength >= 1 << 20) this.flush();
      return;
    }
    this.flush();
    let done = 0;
    while (done < contents.byteLength) done += writeSync(this.fd, contents, done);
  }

  /** Renames the finished file into place. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      this.flush();
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.temporary, this.path);
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Removes the unfinished file. */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.temporary, { force: true });
  }

  private flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const bytes = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingLength = 0;
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(this.fd, bytes, done);
  }
}

/** Writes `count` lines (`line(i)` without its end) in pieces, atomically. */
export function writeLinesAtomic(path: string, count: number, line: (i: number) => string, end = "\n"): void {
  const writer = new AtomicFileWriter(path);
  try {
    for (let i = 0; i < count; i++) writer.write(`${line(i)}${end}`);
    writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** A rows × cols float32 `.npy` written in blocks of whole rows, in order. */
export class NpyRowWriter {
  private readonly file: AtomicFileWriter;
  private written = 0;

  constructor(
    path: string,
    readonly rows: number,
    readonly cols: number,
  ) {
    this.file = new AtomicFileWriter(path);
    this.file.write(encodeNpy(new Float32Array(0), [rows, cols]));
  }

  /** Appends whole rows (a multiple of `cols` values). */
  write(block: Float32Array): void {
    if (block.length % this.cols !== 0)
      throw new Error(`a block of ${block.length} values is not whole rows`);
    const count = block.length / this.cols;
    if (this.written + count > this.rows) throw new Error(`more than the ${this.rows} rows declared`);
    this.file.write(new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
    this.written += count;
  }

  close(): void {
    if (this.written !== this.rows) {
      this.file.abort();
      throw new Error(`${this.file.path}: ${this.written} rows written of the ${this.rows} declared`);
    }
    this.file.close();
  }

  abort(): void {
    this.file.abort();
  }
}
