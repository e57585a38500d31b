/**
 * Evaluating a saved model folder: where the reference corpus and the labels come from, and what to
 * tell the user when they are missing. The metrics themselves are in evaluate-model.ts.
 */
import { readCorpus } from "../corpus/index.js";
import { createTokenizer } from "../text/tokenizer.js";
import { loadModelFolder } from "../topics/folder/format.js";
import type { TopicModelParameters } from "../topics/types.js";
import { UserError } from "../util/errors.js";
import { type EvaluationOptions, evaluateTopicModel, type ModelMetrics } from "./evaluate-model.js";
import { type ReferenceCorpus, referenceCorpusFromTexts } from "./reference-corpus.js";

/**
 * The token stream coherence is counted on: the c-TF-IDF tokenizer with the model's stop words (and,
 * when the model dropped them, without digit-only tokens), as unigrams (windows slide over words;
 * n-gram topic terms are not in it and count as missing).
 */
export function coherenceTokenizer(
  stopWords: TopicModelParameters["represent"]["stopWords"] = "english",
  dropNumbers = false,
): (text: string) => string[] {
  const tokenizer = createTokenizer({ ngramRange: [1, 1], stopWords, dropNumbers });
  return (text) => tokenizer.terms(text);
}

/** The reference corpus tokenised as the model tokenised its topic words (a folder written before `dropNumbers` existed kept numbers). */
export function referenceCorpusForModel(
  texts: Iterable<string>,
  parameters?: {
    represent: Pick<TopicModelParameters["represent"], "stopWords"> & { dropNumbers?: boolean };
  },
): ReferenceCorpus {
  return referenceCorpusFromTexts(
    texts,
    coherenceTokenizer(parameters?.represent.stopWords, parameters?.represent.dropNumbers === true),
  );
}

export interface EvaluateFolderOptions extends EvaluationOptions {
  /** Corpus file for coherence (and for --labels); default: the documents' text in the model folder. */
  reference?: string;
  /** Text field of the reference corpus (default "text"). */
  textField?: string;
  /** Field with the reference classes: in the reference corpus if given, else in documents.jsonl. */
  labelField?: string;
  onWarning?: (message: string) => void;
}

export async function evaluateModelFolder(
  dir: string,
  options: EvaluateFolderOptions = {},
): Promise<ModelMetrics> {
  const warn = options.onWarning ?? (() => {});
  const folder = loadModelFolder(dir, { embeddings: false, reduced: false });
  const records = folder.documents;
  const assignments = Int32Array.from(records, (r) => r.topic);

  let referenceTexts: string[];
  let referenceSource: string;
  let labels: (string | undefined)[] | undefined;
  let labelSource: string | undefined;

  if (options.reference !== undefined) {
    const corpus = await readCorpus(options.reference, {
      textField: options.textField ?? "text",
      labelField: options.labelField,
    });
    referenceTexts = corpus.documents.map((d) => d.text);
    referenceSource = corpus.source;
    if (options.labelField !== undefined) {
      if (corpus.documents.length !== records.length) {
        throw new UserError(
          `${corpus.source} has ${corpus.documents.length} documents but the model in ${dir} has ${records.length}; labels from --reference must be in the fitted corpus's order (use the corpus the model was fitted on)`,
        );
      }
      labels = corpus.documents.map((d) => d.label);
      labelSource = `${corpus.source} field '${options.labelField}'`;
    }
  } else {
    const withText = records.filter((r) => typeof r.text === "string" && r.text.length > 0).length;
    if (withText === 0) {
      throw new UserError(
        `the model folder ${dir} holds no document text (documents.jsonl has no 'text'); coherence needs a reference corpus: pass --reference <corpus>`,
      );
    }
    referenceTexts = records.map((r) => (typeof r.text === "string" ? r.text : ""));
    referenceSource = `${dir}/documents.jsonl`;
  }

  if (labels === undefined) {
    const field = options.labelField ?? "label";
    const values = records.map((r) => labelValue((r as unknown as Record<string, unknown>)[field]));
    if (values.some((v) => v !== undefined)) {
      labels = values;
      labelSource = `documents.jsonl field '${field}'`;
    } else if (options.labelField !== undefined) {
      throw new UserError(
        `no document in ${dir}/documents.jsonl has the field '${field}'; fit with --label-field ${field}, or pass --reference <corpus> --labels ${field}`,
      );
    }
  }
  if (labels) {
    const missing = labels.filter((l) => l === undefined || l === "").length;
    if (missing > 0) {
      warn(
        `${missing} of ${labels.length} documents have no label (${labelSource}); scoring the other ${labels.length - missing}`,
      );
    }
  }

  const reference = referenceCorpusForModel(referenceTexts, folder.manifest.parameters);
  const metrics = evaluateTopicModel(
    {
      topics: folder.topics,
      assignments,
      labels,
      labelSource,
      reference,
      referenceSource,
      timings: folder.manifest.timings,
      peakRssBytes: folder.manifest.peakRssBytes,
    },
    options,
  );
  if (metrics.coherence && metrics.coherence.missingWords > 0) {
    warn(
      `${metrics.coherence.missingWords} top words never occur in the reference corpus (${referenceSource}); they are left out of coherence, as gensim does`,
    );
  }
  if (metrics.coherence && metrics.coherence.unscoredTopics > 0) {
    warn(
      `${metrics.coherence.unscoredTopics} topics have fewer than two words in the reference corpus; left out of coherence`,
    );
  }
  return metrics;
}

function labelValue(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
