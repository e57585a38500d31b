/**
 * Stage progress on stderr. Long stages get a bar with rate and ETA when stderr is a terminal, and a
 * plain line every few seconds otherwise (logs, CI); quiet runs print nothing.
 */
import cliProgress from "cli-progress";

export interface StageProgress {
  /** Update the bar: `done` of `total` units; `note` is shown after it (e.g. a training loss). */
  update: (done: number, total: number, note?: string) => void;
  /** Finish the stage; prints its duration. */
  end(summary?: string): number;
}

export interface Progress {
  stage(name: string, unit?: string): StageProgress;
}

/**
 * A stage whose line is printed at its first update (or end), not now: work that may stop with one
 * error line before it really starts (a corpus check) prints nothing else.
 */
export function lazyStage(progress: Progress, name: string, unit?: string): StageProgress {
  let stage: StageProgress | undefined;
  const open = () => {
    stage ??= progress.stage(name, unit);
    return stage;
  };
  return {
    update: (done, total, note) => open().update(done, total, note),
    end: (summary) => open().end(summary),
  };
}

/** No output at all (library default). Stages still return their durations. */
export const silentProgress: Progress = {
  stage: () => {
    const start = performance.now();
    return { update: () => {}, end: () => (performance.now() - start) / 1000 };
  },
};

export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  if (options.quiet) return silentProgress;
  const stream = options.stream ?? process.stderr;
  return {
    stage(name: string, unit = "items") {
      const start = performance.now();
      let bar: cliProgress.SingleBar | null = null;
      let lastLine = start;
      stream.write(`▸ ${name}\n`);
      return {
        update(done: number, total: number, note?: string) {
          if (stream.isTTY) {
            if (bar === null) {
              bar = new cliProgress.SingleBar(
                {
                  stream,
                  format: `  {bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}{note}`,
                  hideCursor: true,
                  clearOnComplete: true,
                },
                cliProgress.Presets.shades_classic,
              );
              bar.start(total, 0, { speed: "0", note: "" });
            }
            const seconds = (performance.now() - start) / 1000;
            bar.setTotal(total);
            bar.update(done, {
              speed: seconds > 0 ? (done / seconds).toFixed(1) : "0",
              note: note ? ` | ${note}` : "",
            });
          } else if (performance.now() - lastLine > 5000 || done === total) {
            lastLine = performance.now();
            const seconds = (performance.now() - start) / 1000;
            stream.write(
              `  ${done}/${total} ${unit} (${(done / Math.max(seconds, 1e-9)).toFixed(1)} ${unit}/s)${note ? ` ${note}` : ""}\n`,
            );
          }
        },
        end(summary?: string) {
          const seconds = (performance.now() - start) / 1000;
          if (bar !== null) (bar as cliProgress.SingleBar).stop();
          stream.write(`  done in ${seconds.toFixed(1)} s${summary ? ` — ${summary}` : ""}\n`);
          return seconds;
        },
      };
    },
  };
}
