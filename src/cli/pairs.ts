/**
 * `topicscope pairs <corpus | emb.npy> -o pairs.jsonl`: the most similar pairs of documents
 * (sentence-transformers' paraphrase mining), highest score first. Rows carry score, i, j and, when
 * the texts are known, id1, id2, sentence1, sentence2 — the shape `evaluate-pairs` reads back.
 */
import type { Command } from "commander";
import { preview } from "../corpus/index.js";
import { writeFileAtomic } from "../io/atomic.js";
import { MINING_DEFAULTS, paraphraseMining } from "../similarity/index.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger, parseNumber } from "./command.js";
import {
  addCorpusFieldOptions,
  addEmbeddingOptions,
  type CorpusFieldFlags,
  type EmbeddingFlags,
  loadNonBlankVectors,
  vectorsInputFiles,
} from "./embedding-input.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface PairsFlags extends EmbeddingFlags, CorpusFieldFlags {
  output: string;
  force: boolean;
  top: number;
  maxPairs: number;
  threshold?: number;
  corpus?: string;
  show: number;
}

export function register(program: Command): void {
  const command = program
    .command("pairs")
    .description("find the most similar pairs of documents (paraphrase mining), highest score first")
    .argument("<input>", "a corpus (.jsonl, .csv, .tsv, .txt, folder, -) or an embeddings .npy")
    .requiredOption("-o, --output <pairs.jsonl>", "JSON Lines file to write, one pair per line")
    .option(
      "--top <k>",
      "most similar other documents each document offers",
      parseInteger("--top", 1),
      MINING_DEFAULTS.topK,
    )
    .option(
      "--max-pairs <n>",
      "candidate queue size (directed candidates, as sentence-transformers: about half as many pairs)",
      parseInteger("--max-pairs", 1),
      MINING_DEFAULTS.maxPairs,
    )
    .option("--threshold <t>", "keep pairs with cosine ≥ t (in [-1, 1])", parseCosine("--threshold"))
    .option("--corpus <file>", "with a .npy input: the corpus its rows belong to (for ids and texts)")
    .option("--show <n>", "pairs to print (0: none)", parseInteger("--show", 0), 10);
  addEmbeddingOptions(command);
  addCorpusFieldOptions(command);
  addForceOption(command);
  command.action(
    action(async (input: string, flags: PairsFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      checkFileOutput(flags.output, { inputs: vectorsInputFiles(input, flags), force: flags.force, logger });
      const loaded = await loadNonBlankVectors(input, flags, { quiet, logger, leftOutOf: "the pairs" });
      const { rows, nonBlank: matrix } = loaded;
      if (rows.length < 2) {
        throw new UserError(`${input}: pairs need at least 2 non-blank documents, got ${rows.length}`);
      }
      if (cmd.getOptionValueSource("top") === "cli" && flags.top > rows.length - 1) {
        throw new UserError(
          `--top ${flags.top} asks for more similar documents than there are others (${rows.length} non-blank documents): use --top ${rows.length - 1} or less`,
        );
      }
      const stage = createProgress({ quiet }).stage(`mine pairs among ${rows.length} documents`, "rows");
      const pairs = await paraphraseMining(matrix, {
        topK: flags.top,
        maxPairs: flags.maxPairs,
        threshold: flags.threshold,
        onProgress: stage.update,
        logger,
      });
      stage.end(`${pairs.length} pairs`);
      const docs = loaded.documents;
      const lines: string[] = pairs.map((p) => {
        const i = rows[p.i];
        const j = rows[p.j];
        const row: Record<string, unknown> = { score: round(p.score), i, j };
        if (docs) {
          row.id1 = docs[i].id;
          row.id2 = docs[j].id;
          row.sentence1 = docs[i].text;
          row.sentence2 = docs[j].text;
        }
        return JSON.stringify(row);
      });
      writeFileAtomic(flags.output, lines.length > 0 ? `${lines.join("\n")}\n` : "");
      logger.info(`wrote ${pairs.length} pairs to ${flags.output}`);
      const shown = pairs.slice(0, flags.show).map((p) => {
        const i = rows[p.i];
        const j = rows[p.j];
        const name = (r: number) => (docs ? `[${docs[r].id}] ${preview(docs[r].text, 60)}` : `row ${r}`);
        return `${round(p.score).toFixed(4)}  ${name(i)}  ↔  ${name(j)}`;
      });
      // the texts are the corpus's own: shown with their control characters escaped
      if (shown.length > 0)
        process.stdout.write(`${shown.map((line) => escapeForTerminal(line)).join("\n")}\n`);
    }),
  );
}

export function parseCosine(name: string): (value: string) => number {
  const parse = parseNumber(name);
  return (value: string) => {
    const t = parse(value);
    if (t < -1 || t > 1)
      throw new UserError(`${name} must be a cosine similarity in [-1, 1], got '${value}'`);
    return t;
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
