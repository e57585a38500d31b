/**
 * The Hugging Face ONNX export layout that the pooled-BERT encoder, the cross-encoder and the hub
 * download share (optimum / transformers.js): config and tokenizer files at the top, the graph under
 * onnx/ — one definition, so the three cannot drift apart.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../util/errors.js";

export const ONNX_FOLDER_DTYPES = ["fp32", "q8"] as const;
export type OnnxFolderDtype = (typeof ONNX_FOLDER_DTYPES)[number];

/** Where each dtype's graph sits in the folder. */
export const ONNX_MODEL_FILES: Readonly<Record<OnnxFolderDtype, string>> = {
  fp32: "onnx/model.onnx",
  q8: "onnx/model_quantized.onnx",
};

/** The files besides the graph that every such folder needs. */
export const ONNX_FOLDER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"] as const;

export interface OnnxFolderCheck {
  /** How messages name the folder, e.g. "model folder" or "cross-encoder folder". */
  what: string;
  /** The expected layout, for messages. */
  layout: string;
  /** Appended to the missing-files message, e.g. " (or use --model use-lite)". */
  hint?: string;
}

export interface OnnxFolder {
  dir: string;
  dtype: OnnxFolderDtype;
  onnxFile: string;
}

/**
 * Checks that `folder` is such a folder and settles the dtype (fp32 when its graph is there or q8's is
 * not), naming every missing file at once.
 */
export function checkOnnxFolder(
  folder: string,
  dtype: string | undefined,
  check: OnnxFolderCheck,
): OnnxFolder {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${check.what} ${folder} does not exist; expected a folder with ${check.layout}`);
  }
  let settled: OnnxFolderDtype;
  if (dtype === undefined) {
    const fp32 = existsSync(join(dir, ONNX_MODEL_FILES.fp32));
    settled = fp32 || !existsSync(join(dir, ONNX_MODEL_FILES.q8)) ? "fp32" : "q8";
  } else if ((ONNX_FOLDER_DTYPES as readonly string[]).includes(dtype)) {
    settled = dtype as OnnxFolderDtype;
  } else {
    throw new UserError(`--dtype must be ${ONNX_FOLDER_DTYPES.join(" or ")}, got '${dtype}'`);
  }
  const required = [...ONNX_FOLDER_FILES, ONNX_MODEL_FILES[settled]];
  const missing = required.filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0) {
    throw new UserError(
      `${check.what} ${folder} is missing ${missing.join(", ")}; expected ${check.layout}${check.hint ?? ""}`,
    );
  }
  return { dir, dtype: settled, onnxFile: join(dir, ONNX_MODEL_FILES[settled]) };
}

/** A JSON object from one of the folder's files, or a UserError naming the file. */
export function readJsonObject(path: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error("expected a JSON object");
    }
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
