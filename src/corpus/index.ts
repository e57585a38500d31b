/**
 * Reading a corpus from disk or stdin into `CorpusDocument`s. The format follows the extension
 * (`.jsonl`/`.ndjson`, `.csv`, `.tsv`, `.txt`), a folder of `.txt` files, or `-` for stdin (JSONL when
 * the first non-blank line is a JSON object, else one document per line). Empty documents stay in
 * place with their index; the pipeline gives them topic -1.
 */
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import type { CorpusDocument } from "../types.js";
import { UserError } from "../util/errors.js";
import type { Logger } from "../util/log.js";
import { isBlank } from "../util/text.js";
import {
  type FormatResult,
  looksLikeJsonl,
  readDelimited,
  readJsonl,
  readLines,
  readTextFolder,
  readTsv,
} from "./formats.js";
import type { FieldNames } from "./records.js";

export { type DemoCorpusOptions, loadDemoCorpus } from "./demo.js";
export type { Corpus } from "./types.js";

import type { Corpus } from "./types.js";

export { collapseWhitespace, preview } from "./normalize.js";

export type CorpusFormat = "jsonl" | "csv" | "tsv" | "txt" | "folder";

export interface CorpusReadOptions {
  /** Field (JSONL) or column (CSV/TSV) holding the text; default "text". */
  textField?: string;
  idField?: string;
  labelField?: string;
  timeField?: string;
  /** Force a format instead of guessing it from the extension (or, for "-", from the content). */
  format?: Exclude<CorpusFormat, "folder">;
  /** Read from here when the source is "-" (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Warnings are also sent here as they are found. */
  logger?: Logger;
}

export const SUPPORTED_EXTENSIONS = [".jsonl", ".ndjson", ".csv", ".tsv", ".txt"] as const;

const FORMAT_BY_EXTENSION: Record<string, Exclude<CorpusFormat, "folder">> = {
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
  ".tsv": "tsv",
  ".txt": "txt",
};

export async function readCorpus(source: string, options: CorpusReadOptions = {}): Promise<Corpus> {
  const fields: FieldNames = {
    text: options.textField ?? "text",
    id: options.idField,
    label: options.labelField,
    time: options.timeField,
  };
  let result: FormatResult;
  let name = source;
  if (source === "-") {
    name = "<stdin>";
    const bytes = await readStream(options.stdin ?? process.stdin);
    const format = options.format ?? (looksLikeJsonl(bytes) ? "jsonl" : "txt");
    result = parseBytes(bytes, format, name, fields);
  } else {
    const kind = statSource(source);
    if (kind === "folder") {
      result = readTextFolder(source, source);
    } else {
      const format = options.format ?? FORMAT_BY_EXTENSION[extname(source).toLowerCase()];
      if (format === undefined) {
        throw new UserError(
          `${source}: unknown corpus format '${extname(source) || "(no extension)"}'; use one of ${SUPPORTED_EXTENSIONS.join(", ")}, a folder of .txt files, or - for stdin`,
        );
      }
      result = parseBytes(readBytes(source), format, name, fields);
    }
  }
  return finish(result, name, options.logger);
}

/** Wraps already-loaded documents (e.g. from the library API) into a Corpus with the same checks. */
export function corpusFromDocuments(documents: CorpusDocument[], source: string, logger?: Logger): Corpus {
  return finish({ documents, warnings: [] }, source, logger);
}

function finish(result: FormatResult, source: string, logger: Logger | undefined): Corpus {
  const { documents, warnings } = result;
  if (documents.length === 0) {
    throw new UserError(`${source} has no documents; check the file (and --text-field)`);
  }
  let emptyCount = 0;
  for (const document of documents) if (isBlank(document.text)) emptyCount++;
  if (emptyCount > 0) {
    // each verb says what it does with them (topic -1, a zero row, left out of the pairs)
    warnings.push(`${emptyCount} of ${documents.length} documents are empty`);
  }
  if (logger) for (const warning of warnings) logger.warn(warning);
  return { documents, emptyCount, warnings, source };
}

function parseBytes(
  bytes: Uint8Array,
  format: Exclude<CorpusFormat, "folder">,
  source: string,
  fields: FieldNames,
): FormatResult {
  switch (format) {
    case "jsonl":
      return readJsonl(bytes, source, fields);
    case "csv":
      return readDelimited(bytes, source, fields, ",");
    case "tsv":
      return readTsv(bytes, source, fields);
    case "txt":
      return readLines(bytes, source);
  }
}

function statSource(path: string): "file" | "folder" {
  try {
    return statSync(path).isDirectory() ? "folder" : "file";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new UserError(`corpus not found: ${path} (check the path)`);
    }
    throw new UserError(`cannot read ${path}: ${code ?? String(error)}`);
  }
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === "EACCES" || code === "EPERM" ? " (permission denied; check the file's permissions)" : "";
    throw new UserError(`cannot read ${path}: ${code ?? String(error)}${hint}`);
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
