/**
 * Warnings and stage messages go to stderr so stdout stays clean for data; `quiet` silences them.
 * They quote corpus text (ids, labels, file names), so control characters are escaped on the way out.
 */
import { escapeForTerminal } from "./escape.js";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  readonly quiet: boolean;
}

export function createLogger(quiet = false): Logger {
  return {
    quiet,
    info: (message) => {
      if (!quiet) process.stderr.write(`${escapeForTerminal(message, { newlines: true })}\n`);
    },
    warn: (message) => {
      process.stderr.write(`warning: ${escapeForTerminal(message)}\n`);
    },
  };
}

/** A logger that records messages instead of printing them (library default, tests). */
export function createSilentLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { quiet: true, warnings, info: () => {}, warn: (message) => warnings.push(message) };
}
