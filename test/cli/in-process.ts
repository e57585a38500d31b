/**
 * Runs verbs in this process through the error handling the binary uses (a child process costs ~2 s
 * of start-up each), capturing stdout, stderr and the exit code.
 */
import { Command } from "commander";
import { runProgram } from "../../src/cli/command.js";
import type { RegisterVerb } from "../../src/cli/verbs.js";
import type { CliResult } from "./helpers.js";

export async function runInProcess(verbs: readonly RegisterVerb[], args: string[]): Promise<CliResult> {
  const program = new Command("topicscope").option("-q, --quiet").option("--debug").exitOverride();
  for (const register of verbs) register(program);
  let stdout = "";
  let stderr = "";
  // let the test reporter flush what it has queued, or the capture below would swallow it
  await new Promise((resolve) => setTimeout(resolve, 20));
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await runProgram(program, args);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { status, stdout, stderr };
}
