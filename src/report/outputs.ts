/**
 * Everything a fitted model folder shows to people, in one call: charts/ (Vega-Lite, SVG, PNG),
 * report.html, topics.csv and documents.csv. `fit` calls it at the end; `topicscope report` and
 * `visualize` call it (or parts of it) on a saved folder, without refitting.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic, writeFolderAtomic } from "../io/atomic.js";
import { openNpyRows, readRowsAt } from "../io/npy-rows.js";
import type { DocumentTermSource } from "../represent/class-counts.js";
import { MODEL_FILES, type ModelFolder, OUTPUT_FILES, readSavedView } from "../topics/folder/format.js";
import { type SaveOptions, saveModelFolder } from "../topics/folder/model-folder.js";
import type { TopicModel, TopicModelOptions } from "../topics/model.js";
import { fitSampleToFolder, type SampleFitOptions, type SampleFitResult } from "../topics/sample-fit.js";
import { type FolderView, topicViewsFromFolder } from "../topics/views/folder-views.js";
import type { TopicsOverTime } from "../topics/views/over-time.js";
import type { TopicsPerClass } from "../topics/views/per-class.js";
import type { CorpusDocument } from "../types.js";
import { CHART_NAMES, CHART_TITLES } from "../viz/charts.js";
import {
  addDocumentsMap,
  buildChartData,
  type ChartData,
  type ChartDataOptions,
  startDocumentsMapLayout,
} from "../viz/data.js";
import { distributionChartData, overTimeChartRows, perClassChartRows } from "../viz/from-model.js";
import { RenderQueue } from "../viz/render-pool.js";
import type { TopicHierarchy } from "../viz/types.js";
import {
  type ChartFormat,
  DEFAULT_CHART_FORMATS,
  startCharts,
  type WriteChartsOptions,
  type WriteChartsResult,
  writeCharts,
} from "../viz/write.js";
import { writeCsvExports } from "./csv.js";
import { writeHtmlReport } from "./html.js";
import { renderMarkdownReport } from "./markdown.js";

/**
 * The views the charts draw, as the model computes them: those the topic-operation verbs saved in
 * the folder (hierarchy.json, topics-over-time.json, topics-per-class.json), else topics over time and
 * per class from the model's c-TF-IDF per bin / class, and one document's approximate topic
 * distribution (BERTopic's approximate_distribution). The hierarchy is drawn only once computed.
 */
export function modelChartInputs(
  modelDir: string | undefined,
  model: ModelFolder,
  distributionDocument?: string,
  documentTerms?: DocumentTermSource,
): Pick<ChartDataOptions, "hierarchy" | "overTime" | "perClass" | "distribution" | "viewsMissing"> {
  const saved = (view: "hierarchy" | "overTime" | "perClass") =>
    modelDir === undefined ? undefined : readSavedView(modelDir, view);
  const hierarchy = saved("hierarchy") as TopicHierarchy | undefined;
  const savedOverTime = saved("overTime") as TopicsOverTime | undefined;
  const savedPerClass = saved("perClass") as TopicsPerClass | undefined;
  const compute: FolderView[] = ["distribution"];
  if (!savedOverTime) compute.push("overTime");
  if (!savedPerClass) compute.push("perClass");
  const views = topicViewsFromFolder(model, { views: compute, distributionDocument, documentTerms });
  const overTime = savedOverTime ?? views.overTime;
  const perClass = savedPerClass ?? views.perClass;
  const distribution = views.distribution;
  return {
    hierarchy,
    overTime: overTime ? overTimeChartRows(overTime) : undefined,
    perClass: perClass ? perClassChartRows(perClass) : undefined,
    distribution: distribution
      ? distributionChartData(
          distribution.distribution,
          0,
          model.documents[distribution.document].id,
          model.documents[distribution.document].text,
        )
      : undefined,
    viewsMissing: views.missing,
  };
}

export interface ModelOutputsOptions extends Omit<ChartDataOptions, "modelDir"> {
  /** Document (by id) whose topic distribution is drawn (default: the top representative of topic 0). */
  distributionDocument?: string;
  formats?: readonly ChartFormat[];
  /** Write report.html (default true). */
  html?: boolean;
  /** Write topics.csv / documents.csv (default true). */
  csv?: boolean;
  /** Write charts/ (default true). */
  charts?: boolean;
  /** Write report.md, linking the SVG charts (default true). */
  markdown?: boolean;
  /** Worker threads drawing charts besides this one: 0 or 1 (default: 1 when a core is idle). */
  renderThreads?: number;
  /** The documents' terms as the model counted them (TopicModel.documentTerms): views skip tokenising. */
  documentTerms?: DocumentTermSource;
  /**
   * A render queue started earlier, whose worker loads Vega while the caller does other work (the
   * model files); the caller closes it. Default: one is started here.
   */
  queue?: RenderQueue;
}

/** Whether these options draw chart images (SVG or PNG), i.e. want a render queue. */
function drawsImages(options: ModelOutputsOptions): boolean {
  const formats = options.formats ?? DEFAULT_CHART_FORMATS;
  return options.charts !== false && (formats.includes("svg") || formats.includes("png"));
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
  // Charts are drawn by a worker thread while this one lays out the documents map and writes
  // report.html and the CSVs; this thread then takes the charts still queued (viz/render-pool.ts).
  const formats = options.formats ?? DEFAULT_CHART_FORMATS;
  const images = drawsImages(options);
  const own = images && !options.queue ? new RenderQueue(options.renderThreads) : undefined;
  const queue = images ? (options.queue ?? own) : undefined;
  try {
    const views = modelChartInputs(modelDir, model, options.distributionDocument, options.documentTerms);
    const chartOptions: ChartDataOptions = {
      ...options,
      hierarchy: options.hierarchy ?? views.hierarchy,
      overTime: options.overTime ?? views.overTime,
      perClass: options.perClass ?? views.perClass,
      distribution: options.distribution ?? views.distribution,
      viewsMissing: { ...views.viewsMissing, ...options.viewsMissing },
      modelDir,
    };
    const data = await buildChartData(model, { ...chartOptions, skipLayout: true });
    const started =
      options.charts !== false && queue
        ? startCharts(
            data,
            CHART_NAMES.filter((name) => name !== "documents"),
            queue,
            { formats },
          )
        : undefined;
    if (!options.skipLayout) await addDocumentsMap(data, model, chartOptions);
    // the documents map is drawn by whichever thread is free while this one writes report.html and the CSVs
    const map = started && queue ? startCharts(data, ["documents"], queue, { formats }) : [];
    return await writeOutputFiles(modelDir, model, data, options, {
      formats,
      queue,
      started: started && [...started, ...map],
    });
  } finally {
    await own?.close();
  }
}

async function writeOutputFiles(
  modelDir: string,
  model: ModelFolder,
  data: ChartData,
  options: ModelOutputsOptions,
  charts: Pick<WriteChartsOptions, "formats" | "queue" | "started">,
): Promise<ModelOutputs> {
  const out: ModelOutputs = { data };
  if (options.html !== false) out.report = writeHtmlReport(modelDir, model, data);
  if (options.csv !== false) out.csv = writeCsvExports(modelDir, model.topics, model.documents);
  if (options.charts !== false) out.charts = await writeCharts(modelDir, data, charts);
  if (options.markdown !== false) {
    // link only charts that exist: the ones just written, or (with charts off) those already on disk
    const charts =
      data && out.charts
        ? out.charts.written.filter((c) => c.files.includes(`${c.name}.svg`)).map((c) => c.name)
        : (Object.keys(CHART_TITLES) as (keyof typeof CHART_TITLES)[]).filter((name) =>
            existsSync(join(modelDir, OUTPUT_FILES.charts, `${name}.svg`)),
          );
    out.markdown = join(modelDir, OUTPUT_FILES.markdown);
    writeFileAtomic(
      out.markdown,
      renderMarkdownReport(model, {
        charts: charts.map((name) => ({ title: CHART_TITLES[name], path: `charts/${name}.svg` })),
      }),
    );
  }
  return out;
}

/**
 * `fit --sample`: fits on a sample, assigns the rest in batches (topics/sample-fit.ts) and writes
 * the model and its reports as one folder, swapped in when complete. The reports read the few
 * embedding rows they need (the documents map's fitted sample) from the new embeddings.npy.
 */
export async function saveSampleFitWithReports(
  documents: readonly CorpusDocument[],
  modelOptions: TopicModelOptions,
  sampleOptions: SampleFitOptions,
  dir: string,
  options: { force?: boolean; reports?: boolean | ModelOutputsOptions } = {},
): Promise<SampleFitResult> {
  return writeFolderAtomic(
    dir,
    async (temporary) => {
      const result = await fitSampleToFolder(documents, modelOptions, sampleOptions, temporary);
      const { reports = true } = options;
      if (reports !== false) {
        const rows = openNpyRows(join(temporary, MODEL_FILES.embeddings));
        const saving = sampleOptions.progress?.stage("write charts and reports");
        try {
          await writeModelOutputs(temporary, result.folder, {
            ...(reports === true ? {} : reports),
            embeddingRows: (wanted) => ({
              data: readRowsAt(rows, wanted),
              rows: wanted.length,
              cols: rows.cols,
            }),
          });
        } finally {
          rows.close();
          saving?.end();
        }
      }
      return result;
    },
    { force: options.force },
  );
}

export interface SaveWithReportsOptions extends SaveOptions {
  /** Reports and charts (default true); an object passes options to writeModelOutputs. */
  reports?: boolean | ModelOutputsOptions;
}

/**
 * Saves a model and its reports as one folder, swapped in only when both are complete: what `fit`
 * and the verbs that change a model write. (`TopicModel.save` alone writes the model only.)
 */
export async function saveModelWithReports(
  model: TopicModel,
  dir: string,
  options: SaveWithReportsOptions = {},
): Promise<void> {
  const { reports = true, alsoWrite, ...save } = options;
  const outputs: ModelOutputsOptions | undefined =
    reports === false ? undefined : reports === true ? {} : reports;
  // the chart worker loads Vega, and another lays the documents map out, while this thread writes
  // the model files
  const queue =
    outputs && drawsImages(outputs) ? (outputs.queue ?? new RenderQueue(outputs.renderThreads)) : undefined;
  // the folder is made once: the map's worker starts from it, then it is saved
  const folder = model.toFolder();
  const backgroundLayout =
    outputs && !outputs.skipLayout && !outputs.layout2d && !outputs.backgroundLayout
      ? startDocumentsMapLayout(folder, outputs.seed ?? model.parameters.seed)
      : undefined;
  try {
    await saveModelFolder(dir, folder, {
      ...save,
      alsoWrite: async (temporary) => {
        await alsoWrite?.(temporary, folder);
        if (outputs)
          await writeModelOutputs(temporary, folder, {
            documentTerms: model.documentTerms(),
            backgroundLayout,
            ...outputs,
            queue,
          });
      },
    });
  } finally {
    backgroundLayout?.cancel();
    if (queue !== outputs?.queue) await queue?.close();
  }
}
