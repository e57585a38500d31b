/**
 * `topicscope rerank <cross-encoder> "<query>" <corpus | hits.jsonl> -k 10`: score the query against
 * every document with a cross-encoder and print the best, as sentence-transformers' `CrossEncoder.rank`.
 * A hits file written by `search --json` is a JSONL corpus, so the bi-encoder's shortlist re-ranks the
 * same way (`--id-field id` keeps its ids).
 */
import { type Command, Option } from "commander";
import { preview, readCorpus } from "../corpus/index.js";
import { CrossEncoder } from "../crossencoder/index.js";
import { writeFileAtomic } from "../io/atomic.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import { addForceOption, checkFileOutput } from "./output.js";

interface RerankFlags {
  k: number;
  batchSize?: number;
  dtype?: string;
  maxLength?: number;
  textField: string;
  idField?: string;
  json: boolean;
  output?: string;
  force: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("rerank")
    .description(
      "re-rank documents for a query with a cross-encoder (reads each query–document pair jointly)",
    )
    .argument(
      "<cross-encoder>",
      "sentence-transformers CrossEncoder ONNX folder (config.json, tokenizer, onnx/model.onnx)",
    )
    .argument("<query>", "what to look for")
    .argument(
      "<corpus>",
      "documents: .jsonl (e.g. the output of search --json), .csv, .tsv, .txt, a folder, or -",
    )
    .option("-k, --k <n>", "number of results", parseInteger("-k", 1), 10)
    .option("--batch-size <n>", "pairs per model call", parseInteger("--batch-size", 1))
    .addOption(
      new Option(
        "--dtype <type>",
        "ONNX weights: fp32 (onnx/model.onnx) or q8 (onnx/model_quantized.onnx)",
      ).choices(["fp32", "q8"]),
    )
    .option(
      "--max-length <n>",
      "tokens per pair, special tokens included (default: the model's)",
      parseInteger("--max-length", 4),
    )
    .option("--text-field <name>", "JSONL field / CSV column holding the text", "text")
    .option("--id-field <name>", "JSONL field / CSV column holding the id (e.g. id for search --json output)")
    .option("--json", "print JSON lines {corpus_id, id, score, text}", false)
    .option("-o, --output <file.jsonl>", "write the ranked JSON lines to a file instead of stdout");
  addForceOption(command, "replace the -o file if it exists").action(
    action(async (folder: string, query: string, source: string, flags: RerankFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      if (flags.output !== undefined) {
        checkFileOutput(flags.output, { inputs: [source, folder], force: flags.force, logger });
      }
      if (query.trim().length === 0) throw new UserError("the query is empty; give the text to look for");
      const corpus = await readCorpus(source, {
        textField: flags.textField,
        idField: flags.idField,
        logger,
      });
      const crossEncoder = await CrossEncoder.load(folder, {
        dtype: flags.dtype,
        maxLength: flags.maxLength,
        onWarning: (m) => logger.warn(m),
      });
      try {
        const texts = corpus.documents.map((d) => d.text);
        const stage = createProgress({ quiet }).stage(
          `cross-encode ${texts.length} query–document pairs`,
          "pairs",
        );
        const ranked = await crossEncoder.rank(query, texts, {
          topK: flags.k,
          batchSize: flags.batchSize,
          onProgress: stage.update,
        });
        stage.end();
        const rows = ranked.map((r) => ({
          corpus_id: r.corpusId,
          id: corpus.documents[r.corpusId].id,
          score: round(r.score),
          text: texts[r.corpusId],
        }));
        if (flags.output !== undefined) {
          writeFileAtomic(flags.output, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
          logger.info(`wrote ${rows.length} results to ${flags.output}`);
          return;
        }
        const lines = rows.map((r) =>
          // JSON escapes control characters itself; a readable line quotes the text as it is
          flags.json
            ? JSON.stringify(r)
            : escapeForTerminal(`${r.score.toFixed(4)}  [${r.id}]  ${preview(r.text, 100)}`),
        );
        process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
      } finally {
        await crossEncoder.dispose();
      }
    }),
  );
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
