/** Fits a model on a read corpus and writes its folder: the shared core of `fit` and `demo`. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Corpus } from "../corpus/index.js";
import { loadPrecomputedEmbeddings } from "../embed/precomputed.js";
import { openNpyRows } from "../io/npy-rows.js";
import {
  type ModelOutputsOptions,
  saveModelWithReports,
  saveSampleFitWithReports,
} from "../report/outputs.js";
import { OUTPUT_FILES } from "../topics/folder/format.js";
import { TopicModel } from "../topics/model.js";
import type { Topic } from "../topics/types.js";
import type { Logger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { isBlank } from "../util/text.js";
import { DEFAULT_CHART_FORMATS } from "../viz/write.js";
import { checkModelOutput } from "./output.js";
import { modelOptions, type PipelineFlags } from "./pipeline-options.js";

export async function fitCorpusToFolder(
  corpus: Corpus,
  flags: PipelineFlags,
  outDir: string,
  logger: Logger,
  /** What the run reads (the corpus path): the output folder may not be or hold it. */
  inputs: readonly string[] = [],
): Promise<TopicModel> {
  checkModelOutput(outDir, { inputs: [...inputs, flags.embeddings], force: flags.force, logger });
  const embeddings = flags.embeddings
    ? loadPrecomputedEmbeddings(flags.embeddings, { rows: corpus.documents.length })
    : undefined;
  // The corpus reader has already reported its warnings (empty documents among them); say each once.
  const progress = createProgress({ quiet: logger.quiet });
  const model = new TopicModel({
    ...modelOptions(flags),
    progress,
    onWarning: sayOnce(corpus.warnings, logger),
  });
  await model.fit(corpus.documents, { embeddings, source: corpus.source });
  const saving = progress.stage(`write ${outDir} (model, charts, reports)`);
  await saveModelWithReports(model, outDir, { force: flags.force, reports: reportOptions(flags) });
  saving.end();
  printFitted(model.topics, outDir, logger);
  return model;
}

/**
 * `fit --sample N`: the pipeline fitted on N documents, every other one assigned in batches, with
 * bounded memory (topics/sample-fit.ts). A sample at least as large as the corpus is the whole
 * corpus: an ordinary fit, with a warning.
 */
export async function fitSampleCorpusToFolder(
  corpus: Corpus,
  flags: PipelineFlags & { sample: number },
  outDir: string,
  logger: Logger,
  /** What the run reads (the corpus path): the output folder may not be or hold it. */
  inputs: readonly string[] = [],
): Promise<void> {
  const nonEmpty = corpus.documents.reduce((count, d) => count + (isBlank(d.text) ? 0 : 1), 0);
  if (flags.sample >= nonEmpty) {
    logger.warn(
      `--sample ${flags.sample} is not smaller than the corpus's ${nonEmpty} non-empty documents: fitting on all of them`,
    );
    await fitCorpusToFolder(corpus, flags, outDir, logger, inputs);
    return;
  }
  checkModelOutput(outDir, { inputs: [...inputs, flags.embeddings], force: flags.force, logger });
  const embeddings = flags.embeddings ? openNpyRows(flags.embeddings) : undefined;
  const progress = createProgress({ quiet: logger.quiet });
  try {
    const result = await saveSampleFitWithReports(
      corpus.documents,
      {
        ...modelOptions(flags),
        progress,
        onWarning: sayOnce(corpus.warnings, logger),
      },
      { sample: flags.sample, embeddings, source: corpus.source, progress },
      outDir,
      { force: flags.force, reports: reportOptions(flags) },
    );
    printFitted(result.folder.topics, outDir, logger);
  } finally {
    embeddings?.close();
  }
}

/**
 * The model's warnings, each once, and none that only extends what the corpus reader already said
 * ("3 of 90 documents are empty" covers the fit's "…; they get topic -1").
 */
function sayOnce(already: readonly string[], logger: Logger): (message: string) => void {
  const said = new Set(already);
  return (message) => {
    if (![...said].some((earlier) => message.startsWith(earlier))) logger.warn(message);
    said.add(message);
  };
}

/** The topics found (the first 15) on stderr, the report's path on stdout. */
function printFitted(topics: readonly Topic[], outDir: string, logger: Logger): void {
  const real = topics.filter((t) => t.id >= 0);
  logger.info(`\n${real.length} topics:`);
  for (const topic of real.slice(0, 15)) {
    logger.info(
      `  ${String(topic.id).padStart(3)}  ${String(topic.size).padStart(5)}  ${topic.words
        .slice(0, 6)
        .map((w) => w.word)
        .join(", ")}`,
    );
  }
  if (real.length > 15) logger.info(`  … and ${real.length - 15} more`);
  const html = resolve(outDir, OUTPUT_FILES.html);
  process.stdout.write(`${existsSync(html) ? html : resolve(outDir, OUTPUT_FILES.markdown)}\n`);
}

/** What the fit writes besides the model: the default outputs, PNG charts with --png. */
export function reportOptions(flags: { png?: boolean }): ModelOutputsOptions {
  return flags.png ? { formats: [...DEFAULT_CHART_FORMATS, "png"] } : {};
}
