#!/usr/bin/env node
/** The topicscope command line: one binary, one verb per stage or operation (src/cli/<verb>.ts). */
import { Command, CommanderError } from "commander";
import { UserError } from "../util/errors.js";
import { reportError } from "./command.js";
import { loadVerbs, type RegisterVerb } from "./verbs.js";

export function buildProgram(verbs: readonly RegisterVerb[]): Command {
  const program = new Command("topicscope")
    .description("Topics in a corpus from sentence embeddings: embed → UMAP → HDBSCAN → c-TF-IDF")
    .option("-q, --quiet", "no progress output on stderr")
    .option("--debug", "print stack traces on errors")
    .showHelpAfterError()
    .exitOverride();
  for (const register of verbs) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram(await loadVerbs(argv));
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (unknown option, --help, …)
      process.exitCode = error.exitCode;
      return;
    }
    reportError(error, argv.includes("--debug"));
    process.exitCode = error instanceof UserError ? 2 : 1;
  }
}

await main(process.argv.slice(2));
