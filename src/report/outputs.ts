/**
 * Everything a fitted model folder shows to people, in one call: charts/ (Vega-Lite, SVG, PNG),
 * report.html, topics.csv and documents.csv. `fit` calls it at the end; `topicscope report` and
 * `visualize` call it (or parts of it) on a saved folder, without refitting.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { type RepresentationJSON, representationFromJSON } from "../represent/index.js";
import type { ModelFolder } from "../topics/folder/format.js";
import { approximateDistribution } from "../topics/views/distribution.js";
import type { TopicsOverTime } from "../topics/views/over-time.js";
import type { TopicsPerClass } from "../topics/views/per-class.js";
import { UserError } from "../util/errors.js";
import { CHART_TITLES } from "../viz/charts.js";
import { buildChartData, type ChartData, type ChartDataOptions } from "../viz/data.js";
import { distributionChartData, overTimeChartRows, perClassChartRows } from "../viz/from-model.js";
import type { TopicDistributionData, TopicHierarchy } from "../viz/types.js";
import { type ChartFormat, type WriteChartsResult, writeCharts } from "../viz/write.js";
import { writeCsvExports } from "./csv.js";
import { writeHtmlReport } from "./html.js";
import { renderMarkdownReport } from "./markdown.js";

/** Files the topic-operation verbs write into a model folder, and the report draws when present. */
export const OPERATION_FILES = {
  hierarchy: "hierarchy.json",
  overTime: "topics-over-time.json",
  perClass: "topics-per-class.json",
} as const;

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UserError(`${path}: cannot parse JSON (${(error as Error).message})`);
  }
}

export function readHierarchyFile(modelDir: string): TopicHierarchy | undefined {
  const path = join(modelDir, OPERATION_FILES.hierarchy);
  if (!existsSync(path)) return undefined;
  const tree = readJsonFile(path) as Partial<TopicHierarchy>;
  if (!Array.isArray(tree.leaves) || !Array.isArray(tree.merges)) {
    throw new UserError(
      `${path}: expected {"leaves": [...], "merges": [[left, right, distance, count], ...]}`,
    );
  }
  return tree as TopicHierarchy;
}

function readEntries<T>(modelDir: string, file: string): T | undefined {
  const path = join(modelDir, file);
  if (!existsSync(path)) return undefined;
  const table = readJsonFile(path) as { entries?: unknown };
  if (!Array.isArray(table.entries))
    throw new UserError(`${path}: expected an object with an "entries" array; rerun the verb that wrote it`);
  return table as T;
}

/**
 * What the topic-operation verbs saved in the folder (hierarchy.json, topics-over-time.json,
 * topics-per-class.json), in chart shapes, plus one document's approximate topic distribution from
 * representation.json (BERTopic's approximate_distribution) when the folder has it.
 */
export function readSavedChartInputs(
  modelDir: string,
  model: ModelFolder,
  distributionDocument?: string,
): Pick<ChartDataOptions, "hierarchy" | "overTime" | "perClass" | "distribution"> {
  const overTime = readEntries<TopicsOverTime>(modelDir, OPERATION_FILES.overTime);
  const perClass = readEntries<TopicsPerClass>(modelDir, OPERATION_FILES.perClass);
  return {
    hierarchy: readHierarchyFile(modelDir),
    overTime: overTime ? overTimeChartRows(overTime) : undefined,
    perClass: perClass ? perClassChartRows(perClass) : undefined,
    distribution: approximateDistributionOf(model, distributionDocument),
  };
}

function approximateDistributionOf(
  model: ModelFolder,
  documentId?: string,
): TopicDistributionData | undefined {
  if (!model.representation) return undefined;
  const row =
    documentId !== undefined
      ? model.documents.findIndex((d) => d.id === documentId)
      : (model.topics.find((t) => t.id === 0)?.representativeDocs[0] ?? -1);
  if (row < 0 || row >= model.documents.length) return undefined;
  const doc = model.documents[row];
  const representation = representationFromJSON(model.representation as RepresentationJSON);
  const distribution = approximateDistribution(representation, [doc.text]);
  return distributionChartData(distribution, 0, doc.id, doc.text);
}

export interface ModelOutputsOptions extends Omit<ChartDataOptions, "modelDir"> {
  formats?: readonly ChartFormat[];
  /** Write report.html (default true). */
  html?: boolean;
  /** Write topics.csv / documents.csv (default true). */
  csv?: boolean;
  /** Write charts/ (default true). */
  charts?: boolean;
  /** Write report.md, linking the SVG charts (default true). */
  markdown?: boolean;
}

export interface ModelOutputs {
  data: ChartData;
  charts?: WriteChartsResult;
  report?: string;
  markdown?: string;
  csv?: string[];
}

export async function writeModelOutputs(
  modelDir: string,
  model: ModelFolder,
  options: ModelOutputsOptions = {},
): Promise<ModelOutputs> {
  const saved = readSavedChartInputs(modelDir, model, options.distributionDocument);
  const data = await buildChartData(model, {
    ...options,
    hierarchy: options.hierarchy ?? saved.hierarchy,
    overTime: options.overTime ?? saved.overTime,
    perClass: options.perClass ?? saved.perClass,
    distribution: options.distribution ?? saved.distribution,
    modelDir,
  });
  const out: ModelOutputs = { data };
  if (options.charts !== false) out.charts = await writeCharts(modelDir, data, { formats: options.formats });
  if (options.html !== false) out.report = writeHtmlReport(modelDir, model, data);
  if (options.csv !== false) out.csv = writeCsvExports(modelDir, model.topics, model.documents);
  if (options.markdown !== false) {
    // link only charts that exist: the ones just written, or (with charts off) those already on disk
    const charts =
      data && out.charts
        ? out.charts.written.filter((c) => c.files.includes(`${c.name}.svg`)).map((c) => c.name)
        : (Object.keys(CHART_TITLES) as (keyof typeof CHART_TITLES)[]).filter((name) =>
            existsSync(join(modelDir, "charts", `${name}.svg`)),
          );
    out.markdown = join(modelDir, "report.md");
    writeFileAtomic(
      out.markdown,
      renderMarkdownReport(model, {
        charts: charts.map((name) => ({ title: CHART_TITLES[name], path: `charts/${name}.svg` })),
      }),
    );
  }
  return out;
}
