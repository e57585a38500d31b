/**
 * What every CLI verb shares: how options turn into numbers, and how failures reach the user
 * (one line on stderr, non-zero exit, a stack trace only with --debug).
 */
import { type Command, CommanderError } from "commander";
import { UserError } from "../util/errors.js";
import { escapeForTerminal } from "../util/escape.js";

/** Flags every verb understands (declared on the root program). */
export interface GlobalFlags {
  quiet?: boolean;
  debug?: boolean;
}

export function globalFlags(command: Command): GlobalFlags {
  return command.optsWithGlobals<GlobalFlags>();
}

/** Wraps a verb's action so that errors print as one clear line and set the exit code. */
export function action<A extends unknown[]>(
  run: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    try {
      await run(...args);
    } catch (error) {
      reportError(error, globalFlags(command).debug === true);
      process.exitCode = error instanceof UserError ? 2 : 1;
    }
  };
}

/** Parses `argv` with the program as the binary does: failures become one line on stderr and an exit code. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
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

/**
 * One line on stderr. Messages often quote the user's input (a JSONL line, a field, a file name), so
 * control and bidi characters are escaped: an error must not retitle the terminal or reorder itself.
 */
export function reportError(error: unknown, debug: boolean): void {
  if (debug && error instanceof Error) {
    process.stderr.write(`${escapeForTerminal(error.stack ?? error.message, { newlines: true })}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const user = error instanceof UserError;
  // a user error is one line by design (a line break in it comes from quoted input); an internal
  // error's first line says what failed, the rest is for --debug
  const line = escapeForTerminal(user ? message : message.split("\n")[0]);
  process.stderr.write(
    `topicscope: ${user ? "error" : "internal error"}: ${line}${user ? "" : " (run with --debug for details)"}\n`,
  );
}

export function parseInteger(name: string, min = Number.MIN_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new UserError(
        `${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""}, got '${value}'`,
      );
    }
    return n;
  };
}

export function parseNumber(name: string, min = -Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) {
      throw new UserError(`${name} must be a number${min > -Infinity ? ` ≥ ${min}` : ""}, got '${value}'`);
    }
    return n;
  };
}

export function parseChoice<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new UserError(`${name} must be one of ${choices.join(", ")}, got '${value}'`);
    }
    return value as T;
  };
}
