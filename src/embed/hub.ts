/**
 * Hugging Face hub models for the pooled-BERT backend: `org/name` is downloaded once into topicscope's
 * cache (`<cache>/models/org/name`, `org/name@<revision>` for another revision) and loaded from there
 * ever after, without touching the network.
 *
 * The download goes through `@huggingface/transformers`' hub code and settings: its `env.remoteHost`
 * and `env.remotePathTemplate` make the URLs (`<endpoint>/<org>/<name>/resolve/<revision>/<file>`),
 * its `AutoConfig` and `AutoTokenizer` loaders fetch and check config.json and the tokenizer (into its
 * file cache, pointed at a staging folder), and `env.fetch` is wrapped to send `HF_TOKEN` to the
 * endpoint in use (transformers.js sends it to huggingface.co only) and to record what the hub
 * answered. The files transformers.js has no loader for — the ONNX weights, which it would open as a
 * session, and sentence-transformers' modules.json / sentence_bert_config.json / pooling config — are
 * fetched with that same `env.fetch` at URLs built from the same settings, streamed to disk with a
 * byte progress callback.
 *
 * Everything lands in a staging folder (`<cache>/models/.partial/<pid>-<random>`) that is renamed into
 * place only when every file is complete, so a failed or interrupted download leaves no half model in
 * the cache. Settings follow huggingface_hub: `HF_ENDPOINT` (default https://huggingface.co),
 * `HF_TOKEN` (or `HUGGING_FACE_HUB_TOKEN`), `HF_HUB_OFFLINE=1` (or `TRANSFORMERS_OFFLINE=1`).
 */
import { randomBytes } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ONNX_FOLDER_FILES, ONNX_MODEL_FILES, type OnnxFolderDtype } from "../onnx/folder.js";
import { UserError } from "../util/errors.js";

export const DEFAULT_ENDPOINT = "https://huggingface.co";
export const DEFAULT_REVISION = "main";

export type HubDtype = OnnxFolderDtype;
export const HUB_ONNX_FILES = ONNX_MODEL_FILES;
const REQUIRED_FILES: readonly string[] = ONNX_FOLDER_FILES;

/** Bytes of one file as it downloads. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  /** Content-Length, or 0 when the server did not send one. */
  total: number;
}

export interface HubOptions {
  /** topicscope's cache root; models live in `<cacheDir>/models`. */
  cacheDir: string;
  /** Branch, tag or commit (default "main"). */
  revision?: string;
  /** Which ONNX weights to fetch (default: fp32, else q8 when the repository has only that). */
  dtype?: HubDtype;
  /** Never touch the network (default: HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE). */
  offline?: boolean;
  /** Environment to read HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE from (default process.env). */
  env?: NodeJS.ProcessEnv;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called once when a download starts (not when the model is already cached). */
  onDownload?: (id: string, endpoint: string) => void;
}

const TRUTHY = new Set(["1", "true", "yes", "on"]);

export function isOfflineEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return [env.HF_HUB_OFFLINE, env.TRANSFORMERS_OFFLINE].some(
    (value) => value !== undefined && TRUTHY.has(value.trim().toLowerCase()),
  );
}

export function hubEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT?.trim() || DEFAULT_ENDPOINT).replace(/\/+$/, "");
}

function hubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim() || undefined;
}

/** Where a hub model lives in the cache: `<cacheDir>/models/org/name`, or `org/name@<revision>`. */
export function hubModelFolder(cacheDir: string, id: string, revision = DEFAULT_REVISION): string {
  const parts = id.split("/");
  if (parts.length !== 2 || parts.some((part) => part === "" || part === "." || part === "..")) {
    throw new UserError(`'${id}' is not a hub model id: expected org/name, as on the hub`);
  }
  const folder = join(cacheDir, "models", ...parts);
  return revision === DEFAULT_REVISION ? folder : `${folder}@${encodeURIComponent(revision)}`;
}

/** The ONNX file a folder would be loaded with, or undefined when it has none for the dtype. */
function onnxFileIn(folder: string, dtype: HubDtype | undefined): string | undefined {
  const candidates = dtype === undefined ? [HUB_ONNX_FILES.fp32, HUB_ONNX_FILES.q8] : [HUB_ONNX_FILES[dtype]];
  return candidates.find((file) => existsSync(join(folder, file)));
}

function isComplete(folder: string, dtype: HubDtype | undefined): boolean {
  return (
    REQUIRED_FILES.every((file) => existsSync(join(folder, file))) && onnxFileIn(folder, dtype) !== undefined
  );
}

/** An HTTP answer that was not 200, with the hub's X-Error-Code (RepoNotFound, GatedRepo, …). */
class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly errorCode: string | undefined,
  ) {
    super(`HTTP ${status} for ${url}${errorCode ? ` (${errorCode})` : ""}`);
  }
}

/** A download that started and broke off (the server closed the connection, the network went away). */
class InterruptedError extends Error {
  constructor(
    readonly file: string,
    readonly loaded: number,
    readonly total: number,
    readonly reason: string,
  ) {
    super(`download of ${file} interrupted after ${loaded} bytes: ${reason}`);
  }
}

interface Answer {
  url: string;
  status: number;
  errorCode?: string;
}

/** The network error code under a failed fetch (ECONNREFUSED, ENOTFOUND, …), if it is one. */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$|^UND_ERR/.test(code)) return code;
    e = (e as Error & { cause?: unknown }).cause;
  }
  if (error instanceof TypeError && /fetch failed/.test(error.message)) return "fetch failed";
  return undefined;
}

function message(error: unknown): string {
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const text = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${text}: ${cause.message}` : text;
}

/** Moves stale staging folders of processes that no longer run out of the way. */
function removeStaleStaging(partial: string): void {
  if (!existsSync(partial)) return;
  for (const entry of readdirSync(partial)) {
    const pid = Number.parseInt(entry.split("-")[0], 10);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === "EPERM";
    }
    if (!alive) rmSync(join(partial, entry), { recursive: true, force: true });
  }
}

/**
 * The local folder of a hub model: the cached copy when complete, else downloaded (unless offline).
 * Errors the user can act on (unknown id, private model, no network, no ONNX export, offline without
 * a copy, an interrupted download) are one-line UserErrors.
 */
export async function ensureHubModel(id: string, options: HubOptions): Promise<string> {
  const env = options.env ?? process.env;
  const revision = options.revision?.trim() || DEFAULT_REVISION;
  const folder = hubModelFolder(options.cacheDir, id, revision);
  if (isComplete(folder, options.dtype)) return folder;
  const endpoint = hubEndpoint(env);
  const offline = options.offline ?? isOfflineEnv(env);
  if (offline) {
    throw new UserError(
      `model '${id}'${revision === DEFAULT_REVISION ? "" : ` (revision ${revision})`} is not in the cache (${folder}) and downloads are off (--offline or HF_HUB_OFFLINE=1): run once online to download it, copy its folder there, or use --model use-lite / --model tfidf`,
    );
  }
  const partial = join(options.cacheDir, "models", ".partial");
  removeStaleStaging(partial);
  const staging = join(partial, `${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(staging, { recursive: true });
  options.onDownload?.(id, endpoint);
  const download = new HubDownload(id, revision, endpoint, hubToken(env), staging, options);
  try {
    const staged = await download.run(folder);
    commit(staged, folder);
    return folder;
  } catch (error) {
    throw await download.explain(error, folder);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Renames the staged model into place; a folder already there (another run, another dtype) gets the missing files only. */
function commit(staged: string, folder: string): void {
  mkdirSync(dirname(folder), { recursive: true });
  if (!existsSync(folder)) {
    try {
      renameSync(staged, folder);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
    }
  }
  const moveMissing = (from: string, to: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) {
        mkdirSync(target, { recursive: true });
        moveMissing(source, target);
      } else if (!existsSync(target)) {
        renameSync(source, target);
      }
    }
  };
  moveMissing(staged, folder);
}

class HubDownload {
  private readonly answers: Answer[] = [];
  private readonly model: string;
  private readonly hfCache: string;

  constructor(
    private readonly id: string,
    private readonly revision: string,
    private readonly endpoint: string,
    private readonly token: string | undefined,
    staging: string,
    private readonly options: HubOptions,
  ) {
    this.model = join(staging, "model");
    this.hfCache = join(staging, "hf");
  }

  /** `fetch` with the token for our endpoint, recording every answer (for the error messages). */
  private readonly fetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    if (this.token && url.startsWith(`${this.endpoint}/`))
      headers.set("Authorization", `Bearer ${this.token}`);
    const response = await globalThis.fetch(url, { ...init, headers });
    this.answers.push({
      url,
      status: response.status,
      errorCode: response.headers.get("x-error-code") ?? undefined,
    });
    return response;
  };

  private url(file: string): string {
    return `${this.endpoint}/${this.id}/resolve/${encodeURIComponent(this.revision)}/${file}`;
  }

  /** Downloads into the staging folder and returns the staged model folder. */
  async run(folder: string): Promise<string> {
    mkdirSync(this.model, { recursive: true });
    const transformers = await import("@huggingface/transformers");
    const env = transformers.env;
    const saved = {
      remoteHost: env.remoteHost,
      remotePathTemplate: env.remotePathTemplate,
      allowRemoteModels: env.allowRemoteModels,
      allowLocalModels: env.allowLocalModels,
      useFSCache: env.useFSCache,
      useCustomCache: env.useCustomCache,
      cacheDir: env.cacheDir,
      fetch: env.fetch,
    };
    env.remoteHost = `${this.endpoint}/`;
    env.remotePathTemplate = "{model}/resolve/{revision}/";
    env.allowRemoteModels = true;
    env.allowLocalModels = false; // never a stray local folder under env.localModelPath
    env.useFSCache = true;
    env.useCustomCache = false;
    env.cacheDir = this.hfCache;
    env.fetch = this.fetch;
    try {
      const hubOptions = {
        revision: this.revision,
        cache_dir: this.hfCache,
        progress_callback: (info: unknown) => this.progress(info),
      };
      await transformers.AutoConfig.from_pretrained(this.id, hubOptions);
      await transformers.AutoTokenizer.from_pretrained(this.id, hubOptions);
    } finally {
      Object.assign(env, saved);
    }
    // transformers.js' file cache keeps main at <id>/<file> and other revisions at <id>/<revision>/<file>
    const fetched = join(
      this.hfCache,
      ...this.id.split("/"),
      ...(this.revision === DEFAULT_REVISION ? [] : [this.revision]),
    );
    for (const file of REQUIRED_FILES) {
      if (!existsSync(join(fetched, file)))
        throw new Error(`transformers.js did not store ${file} in ${fetched}`);
      renameSync(join(fetched, file), join(this.model, file));
    }
    // sentence-transformers' own settings: pooling mode and max_seq_length (optional)
    let poolingConfig = "1_Pooling/config.json";
    if (await this.get("modules.json", true)) {
      const modules = JSON.parse(readFileSync(join(this.model, "modules.json"), "utf8")) as Array<{
        path?: string;
        type?: string;
      }>;
      const pooling = modules.find((m) => m.type?.endsWith(".Pooling"));
      if (pooling?.path) poolingConfig = `${pooling.path}/config.json`;
    }
    await this.get(poolingConfig, true);
    await this.get("sentence_bert_config.json", true);
    // the weights, in the asked precision (or whichever of fp32 / q8 the repository has)
    const existing = onnxFileIn(folder, this.options.dtype);
    if (existing === undefined) {
      const wanted = this.options.dtype
        ? [HUB_ONNX_FILES[this.options.dtype]]
        : [HUB_ONNX_FILES.fp32, HUB_ONNX_FILES.q8];
      let onnx: string | undefined;
      for (const file of wanted) {
        if (await this.get(file, true)) {
          onnx = file;
          break;
        }
      }
      if (onnx === undefined) throw new MissingOnnxError(wanted);
      await this.get(`${onnx}_data`, true); // external weights of models over 2 GB
    }
    return this.model;
  }

  private progress(info: unknown): void {
    const event = info as { status?: string; file?: string; loaded?: number; total?: number };
    if (event.status === "progress" && typeof event.file === "string") {
      this.options.onProgress?.({ file: event.file, loaded: event.loaded ?? 0, total: event.total ?? 0 });
    }
  }

  /** Streams one file into the staged model (temporary name, renamed when whole); false for an allowed 404. */
  private async get(file: string, optional: boolean): Promise<boolean> {
    const response = await this.fetch(this.url(file));
    if (response.status === 404 && optional) {
      await response.body?.cancel();
      return false;
    }
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel();
      throw new HubHttpError(
        response.status,
        this.url(file),
        response.headers.get("x-error-code") ?? undefined,
      );
    }
    const target = join(this.model, file);
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.download`;
    const total = Number(response.headers.get("content-length") ?? 0);
    let loaded = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        loaded += chunk.byteLength;
        this.options.onProgress?.({ file, loaded, total });
        controller.enqueue(chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body.pipeThrough(counter) as WebReadableStream<Uint8Array>),
        createWriteStream(temporary),
      );
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new InterruptedError(file, loaded, total, message(error));
    }
    if (total > 0 && loaded !== total) {
      rmSync(temporary, { force: true });
      throw new InterruptedError(file, loaded, total, `got ${loaded} of ${total} bytes`);
    }
    renameSync(temporary, target);
    return true;
  }

  /** The files of the repository, from the hub's model API (for the "no ONNX export" message). */
  private async listFiles(): Promise<string[] | undefined> {
    try {
      const response = await this.fetch(
        `${this.endpoint}/api/models/${this.id}/revision/${encodeURIComponent(this.revision)}`,
      );
      if (response.status !== 200) return undefined;
      const info = (await response.json()) as { siblings?: Array<{ rfilename?: string }> };
      return info.siblings
        ?.map((s) => s.rfilename)
        .filter((name): name is string => typeof name === "string");
    } catch {
      return undefined;
    }
  }

  /** Turns a failure into the one line the user needs (or rethrows what is not theirs to fix). */
  async explain(error: unknown, folder: string): Promise<Error> {
    const id = `'${this.id}'${this.revision === DEFAULT_REVISION ? "" : ` (revision ${this.revision})`}`;
    if (error instanceof UserError) return error;
    if (error instanceof MissingOnnxError) {
      const files = await this.listFiles();
      const onnx = files?.filter((f) => f.endsWith(".onnx")) ?? [];
      const listing = files
        ? `its files are ${files.slice(0, 20).join(", ")}${files.length > 20 ? `, … (${files.length} in all)` : ""}`
        : "its file list could not be read";
      const hint =
        onnx.length > 0
          ? `; it has other ONNX files (${onnx.join(", ")}) — topicscope reads ${HUB_ONNX_FILES.fp32} (--dtype fp32) or ${HUB_ONNX_FILES.q8} (--dtype q8)`
          : "";
      return new UserError(
        `model ${id} has no ONNX export (${error.files.join(" / ")} not found on ${this.endpoint}; ${listing}${hint}): export it with \`optimum-cli export onnx --model ${this.id} --task feature-extraction <dir>\`, copy the tokenizer and sentence-transformers files next to it, and pass --model <dir>`,
      );
    }
    if (error instanceof InterruptedError) {
      const of = error.total > 0 ? ` of ${formatBytes(error.total)}` : "";
      return new UserError(
        `download of ${id} from ${this.endpoint} was interrupted (${error.file}, after ${formatBytes(error.loaded)}${of}: ${error.reason}); nothing was kept in the cache — run again`,
      );
    }
    const network = networkCode(error);
    if (network !== undefined) {
      return new UserError(
        `cannot reach ${this.endpoint} to download model ${id} (${network}) and it is not in the cache (${folder}): connect to the network (or set HF_ENDPOINT to a reachable mirror), copy the model folder there, or work offline with --model use-lite or --model tfidf`,
      );
    }
    // an HTTP answer: ours (HubHttpError) or the one transformers.js got (ModelFileNotFoundError and others)
    const failed =
      error instanceof HubHttpError
        ? { status: error.status, errorCode: error.errorCode, url: error.url }
        : [...this.answers].reverse().find((a) => a.status >= 400);
    if (failed === undefined) return error instanceof Error ? error : new Error(String(error));
    const { status, errorCode } = failed;
    if (errorCode === "RevisionNotFound") {
      return new UserError(
        `model '${this.id}' has no revision '${this.revision}' on ${this.endpoint}: check --revision (a branch, tag or commit)`,
      );
    }
    if (errorCode === "GatedRepo" || ((status === 401 || status === 403) && errorCode !== "RepoNotFound")) {
      return new UserError(
        this.token
          ? `the token in HF_TOKEN gives no access to model ${id} on ${this.endpoint} (HTTP ${status}): request access on the model's page or use a token that has it (or check the name)`
          : `model ${id} needs authentication on ${this.endpoint} (HTTP ${status}): it is private or gated — set HF_TOKEN to an access token that can read it (or check the name: the hub answers 401 for names that do not exist)`,
      );
    }
    if (status === 404 || errorCode === "RepoNotFound") {
      const what = errorCode === "EntryNotFound" ? `a file of model ${id} (${failed.url})` : `model ${id}`;
      return new UserError(
        `${what} was not found on ${this.endpoint} (HTTP ${status}): check the name (org/name, as on the hub)${this.revision === DEFAULT_REVISION ? "" : " and --revision"}`,
      );
    }
    return new UserError(
      `downloading model ${id} from ${this.endpoint} failed (HTTP ${status} for ${failed.url}); nothing was kept in the cache — try again later`,
    );
  }
}

class MissingOnnxError extends Error {
  constructor(readonly files: string[]) {
    super(`no ONNX export: ${files.join(", ")} not found`);
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** A downloaded hub model in the cache. */
export interface CachedHubModel {
  /** org/name, with @revision for another revision than main. */
  id: string;
  folder: string;
  bytes: number;
}

/** The hub models in `<cacheDir>/models` (what `cache info` lists; `cache clear` leaves them). */
export function listHubModels(cacheDir: string): CachedHubModel[] {
  const root = join(cacheDir, "models");
  const out: CachedHubModel[] = [];
  const size = (path: string): number =>
    readdirSync(path, { withFileTypes: true }).reduce(
      (sum, entry) =>
        sum + (entry.isDirectory() ? size(join(path, entry.name)) : statSync(join(path, entry.name)).size),
      0,
    );
  if (!existsSync(root)) return out;
  for (const org of readdirSync(root, { withFileTypes: true })) {
    if (!org.isDirectory() || org.name.startsWith(".")) continue;
    for (const name of readdirSync(join(root, org.name), { withFileTypes: true })) {
      const folder = join(root, org.name, name.name);
      if (!name.isDirectory() || !existsSync(join(folder, "config.json"))) continue;
      const [base, revision] = name.name.split("@");
      const id = `${org.name}/${base}${revision ? `@${decodeURIComponent(revision)}` : ""}`;
      out.push({ id, folder, bytes: size(folder) });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
