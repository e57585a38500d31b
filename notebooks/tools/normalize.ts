/**
 * What "the committed outputs are not stale" compares: each code cell's outputs, with what legitimately
 * changes between runs masked — durations and rates (the machine's load), absolute paths (whose
 * checkout, which temp folder) and kernel bookkeeping (timestamps, execution metadata). Everything
 * else (topic words, sizes, scores, chart SVG) must come out the same, because every random step of
 * the library takes a seed. A code cell tagged `outputs-unchecked` (cell metadata `tags`) is exempt:
 * for cells whose outputs depend on data outside the project (SICK in `../shared/corpora`), which a
 * clean clone does not have; its source must still match and it must still run.
 */

/** The cell tag that exempts a code cell's outputs from the comparison. */
export const UNCHECKED_TAG = "outputs-unchecked";

/** The part of nbformat 4 the check reads. */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NormalizeContext {
  /** Absolute paths to mask, longest first wins (e.g. the repo root, the home folder). */
  paths: readonly { path: string; as: string }[];
}

/**
 * A duration or a rate, number and unit apart as the notebooks print them: "12.3 s", "850 ms",
 * "2.1 min", "3.4 h", "5 days", "1,234 docs/s" (not "1790s").
 */
const DURATION =
  /\b\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?[ \u00a0\u202f](?:ms|s|sec|seconds?|min|minutes?|h|hours?|days?)\b(?![\w/-])/giu;
const RATE = /\b\d[\d,]*(?:\.\d+)?[ \u00a0\u202f]?[a-z]+\/s\b/giu;
const TEMP_PATH = /(?:\/tmp|\/var\/folders)\/[^\s"'<>)]*/gu;

export function normalizeText(text: string, context: NormalizeContext): string {
  let out = text;
  const paths = [...context.paths].sort((a, b) => b.path.length - a.path.length);
  for (const { path, as } of paths) if (path.length > 1) out = out.split(path).join(as);
  return out.replace(TEMP_PATH, "<tmp>").replace(RATE, "<rate>").replace(DURATION, "<time>");
}

function joined(value: unknown): unknown {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value.join("") : value;
}

/** One output as comparable text per MIME type (JSON bundles are compared as canonical JSON). */
export function normalizeOutput(output: NotebookOutput, context: NormalizeContext): Record<string, string> {
  const norm = (text: string) => normalizeText(text, context);
  switch (output.output_type) {
    case "stream":
      return { [`stream/${output.name ?? "stdout"}`]: norm(String(joined(output.text) ?? "")) };
    case "error":
      return { error: norm(`${output.ename}: ${output.evalue}`) };
    default: {
      const result: Record<string, string> = {};
      for (const [mime, value] of Object.entries(output.data ?? {})) {
        // Raster bytes depend on the machine's fonts and the rasteriser's version; the data a PNG
        // chart draws is checked through the notebook's other outputs.
        if (mime === "image/png") {
          result[mime] = "<png>";
          continue;
        }
        const v = joined(value);
        result[mime] = norm(typeof v === "string" ? v : canonicalJson(v));
      }
      return result;
    }
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * Consecutive stream outputs of one name are one stream: kernels split stdout into chunks as it
 * arrives, so chunk boundaries depend on timing.
 */
function mergeStreams(outputs: readonly NotebookOutput[]): NotebookOutput[] {
  const merged: NotebookOutput[] = [];
  for (const output of outputs) {
    const last = merged[merged.length - 1];
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      merged[merged.length - 1] = {
        ...last,
        text: String(joined(last.text) ?? "") + String(joined(output.text) ?? ""),
      };
    } else merged.push(output);
  }
  return merged;
}

export interface CellDifference {
  /** 0-based index among all cells. */
  cell: number;
  /** First lines of the cell's source, to find it. */
  source: string;
  expected: string;
  actual: string;
}

function cellOutputs(cell: NotebookCell, context: NormalizeContext): string {
  const outputs = mergeStreams(cell.outputs ?? []).map((o) => normalizeOutput(o, context));
  return outputs.flatMap((o) => Object.entries(o).map(([mime, text]) => `--- ${mime}\n${text}`)).join("\n");
}

export function isUnchecked(cell: NotebookCell): boolean {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) && tags.includes(UNCHECKED_TAG);
}

/** Code cells whose normalised outputs differ (cells tagged `outputs-unchecked` aside); a changed cell list is one difference at the first change. */
export function compareNotebooks(
  committed: Notebook,
  executed: Notebook,
  context: NormalizeContext,
): CellDifference[] {
  const differences: CellDifference[] = [];
  const count = Math.max(committed.cells.length, executed.cells.length);
  for (let i = 0; i < count; i++) {
    const a = committed.cells[i];
    const b = executed.cells[i];
    const source = String(joined(b?.source ?? a?.source) ?? "")
      .split("\n")
      .slice(0, 2)
      .join("\n");
    if (!a || !b || a.cell_type !== b.cell_type || String(joined(a.source)) !== String(joined(b.source))) {
      differences.push({ cell: i, source, expected: "(another cell)", actual: "(cells differ)" });
      break;
    }
    if (a.cell_type !== "code" || isUnchecked(a) || isUnchecked(b)) continue;
    const expected = cellOutputs(a, context);
    const actual = cellOutputs(b, context);
    if (expected !== actual) differences.push({ cell: i, source, expected, actual });
  }
  return differences;
}

/** The first differing line of two texts with a little context, for a readable failure message. */
export function firstDifference(expected: string, actual: string, context = 2): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const clip = (line: string | undefined) =>
    line === undefined ? "(end)" : line.length > 200 ? `${line.slice(0, 200)}…` : line;
  const lines = [`  at output line ${i + 1}:`];
  for (let j = Math.max(0, i - context); j < i; j++) lines.push(`    ${clip(a[j])}`);
  lines.push(`  - ${clip(a[i])}`, `  + ${clip(b[i])}`);
  return lines.join("\n");
}
