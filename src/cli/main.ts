#!/usr/bin/env node
/** The topicscope command line: one binary, one verb per stage or operation (src/cli/<verb>.ts). */
import { Command } from "commander";
import { version } from "../version.js";
import { runProgram } from "./command.js";
import { loadVerbs, type RegisterVerb } from "./verbs.js";

export function buildProgram(verbs: readonly RegisterVerb[]): Command {
  const program = new Command("topicscope")
    .description("Topics in a corpus from sentence embeddings: embed → UMAP → HDBSCAN → c-TF-IDF")
    .version(version, "-V, --version", "print topicscope's version")
    .option("-q, --quiet", "no progress output on stderr")
    .option("--debug", "print stack traces on errors")
    .showHelpAfterError()
    .exitOverride();
  for (const register of verbs) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(await loadVerbs(argv)), argv);
}

await main(process.argv.slice(2));
