/** Warnings and stage messages go to stderr so stdout stays clean for data; `quiet` silences them. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  readonly quiet: boolean;
}

export function createLogger(quiet = false): Logger {
  return {
    quiet,
    info: (message) => {
      if (!quiet) process.stderr.write(`${message}\n`);
    },
    warn: (message) => {
      process.stderr.write(`warning: ${message}\n`);
    },
  };
}

/** A logger that records messages instead of printing them (library default, tests). */
export function createSilentLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { quiet: true, warnings, info: () => {}, warn: (message) => warnings.push(message) };
}
