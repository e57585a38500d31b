/**
 * `topicscope communities <corpus | emb.npy>`: groups of near-duplicates (sentence-transformers'
 * community detection): every document with at least --min-size documents at cosine ≥ --threshold
 * proposes a community; they are kept largest first without overlap. Prints each community's size,
 * its central document and a few members; `-o` writes them all as JSON.
 */
import type { Command } from "commander";
import { preview } from "../corpus/index.js";
import { writeFileAtomic } from "../io/atomic.js";
import { COMMUNITY_DEFAULTS, communityDetection } from "../similarity/index.js";
import type { CorpusDocument } from "../types.js";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";
import { createLogger } from "../util/log.js";
import { createProgress } from "../util/progress.js";
import { action, globalFlags, parseInteger } from "./command.js";
import {
  addCorpusFieldOptions,
  addEmbeddingOptions,
  type CorpusFieldFlags,
  type EmbeddingFlags,
  loadNonBlankVectors,
  vectorsInputFiles,
} from "./embedding-input.js";
import { addForceOption, checkFileOutput } from "./output.js";
import { parseCosine } from "./pairs.js";

interface CommunitiesFlags extends EmbeddingFlags, CorpusFieldFlags {
  output?: string;
  force: boolean;
  threshold: number;
  minSize: number;
  corpus?: string;
  show: number;
  members: number;
}

export function register(program: Command): void {
  const command = program
    .command("communities")
    .description("find groups of near-duplicate documents (community detection), largest first")
    .argument("<input>", "a corpus (.jsonl, .csv, .tsv, .txt, folder, -) or an embeddings .npy")
    .option(
      "--threshold <t>",
      "cosine similarity at which two documents are close",
      parseCosine("--threshold"),
      COMMUNITY_DEFAULTS.threshold,
    )
    .option(
      "--min-size <n>",
      "smallest community",
      parseInteger("--min-size", 1),
      COMMUNITY_DEFAULTS.minCommunitySize,
    )
    .option("-o, --output <communities.json>", "write every community (indices, ids, texts) as JSON")
    .option("--corpus <file>", "with a .npy input: the corpus its rows belong to (for ids and texts)")
    .option("--show <n>", "communities to print", parseInteger("--show", 0), 10)
    .option("--members <n>", "member texts to print per community", parseInteger("--members", 0), 3);
  addEmbeddingOptions(command);
  addCorpusFieldOptions(command);
  addForceOption(command, "replace the -o file if it exists");
  command.action(
    action(async (input: string, flags: CommunitiesFlags, cmd: Command) => {
      const quiet = globalFlags(cmd).quiet === true;
      const logger = createLogger(quiet);
      if (flags.output !== undefined) {
        checkFileOutput(flags.output, {
          inputs: vectorsInputFiles(input, flags),
          force: flags.force,
          logger,
        });
      }
      const loaded = await loadNonBlankVectors(input, flags, { quiet, logger, leftOutOf: "the communities" });
      const { rows, nonBlank: matrix } = loaded;
      if (rows.length === 0) throw new UserError(`${input}: every document is blank`);
      const stage = createProgress({ quiet }).stage(`communities among ${rows.length} documents`, "rows");
      const found = (
        await communityDetection(matrix, {
          threshold: flags.threshold,
          minCommunitySize: flags.minSize,
          onProgress: stage.update,
          logger,
        })
      ).map((c) => c.map((r) => rows[r]));
      const covered = found.reduce((s, c) => s + c.length, 0);
      stage.end(`${found.length} communities, ${covered} of ${loaded.matrix.rows} documents`);
      const docs = loaded.documents;
      if (flags.output) {
        const member = (index: number) =>
          docs ? { index, id: docs[index].id, text: docs[index].text } : { index };
        const json = {
          input,
          threshold: flags.threshold,
          minCommunitySize: flags.minSize,
          documents: loaded.matrix.rows,
          communities: found.map((c) => ({ size: c.length, central: member(c[0]), members: c.map(member) })),
        };
        writeFileAtomic(flags.output, `${JSON.stringify(json, null, 1)}\n`);
        logger.info(`wrote ${found.length} communities to ${flags.output}`);
      }
      process.stdout.write(summary(found, docs, flags));
    }),
  );
}

function summary(found: number[][], docs: CorpusDocument[] | undefined, flags: CommunitiesFlags): string {
  if (found.length === 0) {
    return `no community of ${flags.minSize} or more documents at cosine ≥ ${flags.threshold}\n`;
  }
  const name = (r: number) => (docs ? `[${docs[r].id}] ${preview(docs[r].text, 80)}` : `row ${r}`);
  const lines: string[] = [];
  found.slice(0, flags.show).forEach((c, t) => {
    lines.push(`community ${t + 1}: ${c.length} documents — ${name(c[0])}`);
    for (const r of c.slice(1, 1 + flags.members)) lines.push(`    ${name(r)}`);
  });
  if (found.length > flags.show) lines.push(`… and ${found.length - flags.show} more (-o writes them all)`);
  // member texts are the corpus's own: shown with their control characters escaped
  return `${lines.map((line) => escapeForTerminal(line)).join("\n")}\n`;
}
