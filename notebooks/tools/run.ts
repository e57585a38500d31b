/**
 * `npm run notebooks [-- --check | --write] [name…]`: executes every notebook (or those whose file
 * name contains one of the names) top to bottom, each in a fresh Deno kernel through Jupyter's
 * nbclient (execute.py), and fails when a cell fails.
 *   --check   also fails when a notebook's outputs differ from the committed ones (normalize.ts says
 *             what may differ), printing where;
 *   --write   writes the executed notebooks back (what you commit after changing a notebook).
 * The code cells are type-checked first (typecheck.ts: Deno's kernel does not check types).
 * The kernelspec is written to a private JUPYTER_PATH for the run, so a kernel the user installed
 * (another deno, other flags) plays no part; NO_COLOR keeps ANSI escapes out of the outputs.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareNotebooks, firstDifference, type Notebook } from "./normalize.js";
import { typecheckNotebooks } from "./typecheck.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const notebooksDir = join(repo, "notebooks");
/** Per cell; a notebook should take under ~2 minutes, the timeout only stops a hung kernel. */
const CELL_TIMEOUT_S = 900;

interface Args {
  check: boolean;
  write: boolean;
  names: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { check: false, write: false, names: [] };
  for (const a of argv) {
    if (a === "--check") args.check = true;
    else if (a === "--write") args.write = true;
    else if (a === "--help" || a === "-h") {
      console.log("usage: npm run notebooks [-- --check | --write] [name…]");
      process.exit(0);
    } else if (a.startsWith("-")) {
      console.error(`notebooks: unknown option ${a} (use --check or --write)`);
      process.exit(2);
    } else args.names.push(a);
  }
  return args;
}

function python(): string {
  return process.env.TOPICSCOPE_PYTHON ?? "/usr/bin/python3";
}

/** A kernelspec named like the one `deno jupyter --install` writes, so notebooks open with either. */
function writeKernelSpec(): string {
  const root = mkdtempSync(join(tmpdir(), "topicscope-jupyter-"));
  const dir = join(root, "kernels", "deno");
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [join(repo, "node_modules", ".bin", "deno"), "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    env: { NO_COLOR: "1" },
  };
  writeFileSync(join(dir, "kernel.json"), `${JSON.stringify(spec, null, 1)}\n`);
  return root;
}

interface Outcome {
  name: string;
  seconds: number;
  status: "ok" | "failed" | "stale";
  detail?: string;
}

function execute(
  file: string,
  jupyterPath: string,
  outDir: string,
): { ok: boolean; log: string; out: string } {
  const out = join(outDir, basename(file));
  const result = spawnSync(
    python(),
    [join(notebooksDir, "tools", "execute.py"), file, out, String(CELL_TIMEOUT_S)],
    {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, JUPYTER_PATH: jupyterPath, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const log = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
  return { ok: result.status === 0, log, out };
}

/** The end of execute.py's log: the failing cell and the kernel's error. */
function failureSummary(log: string): string {
  const lines = log.trimEnd().split("\n");
  return lines.slice(-40).join("\n");
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const files = readdirSync(notebooksDir)
    .filter((f) => f.endsWith(".ipynb"))
    .filter((f) => args.names.length === 0 || args.names.some((n) => f.includes(n)))
    .sort()
    .map((f) => join(notebooksDir, f));
  if (files.length === 0) {
    console.error(`notebooks: no notebook matches ${args.names.join(", ")}`);
    process.exit(2);
  }
  const typeErrors = typecheckNotebooks(files, repo);
  if (typeErrors.length > 0) {
    for (const e of typeErrors) console.error(`${e.notebook} cell ${e.cell}, line ${e.line}: ${e.message}`);
    console.error(`notebooks: ${typeErrors.length} type error(s); nothing executed`);
    process.exit(1);
  }
  const jupyterPath = writeKernelSpec();
  const context = {
    paths: [
      { path: repo, as: "<repo>" },
      { path: homedir(), as: "~" },
    ],
  };
  const outcomes: Outcome[] = [];
  try {
    for (const file of files) {
      const name = basename(file);
      const outDir = mkdtempSync(join(tmpdir(), "topicscope-nb-"));
      process.stderr.write(`notebooks: running ${name}…\n`);
      const started = performance.now();
      const run = execute(file, jupyterPath, outDir);
      const seconds = (performance.now() - started) / 1000;
      if (!run.ok || !existsSync(run.out)) {
        outcomes.push({ name, seconds, status: "failed", detail: failureSummary(run.log) });
        rmSync(outDir, { recursive: true, force: true });
        continue;
      }
      let status: Outcome["status"] = "ok";
      let detail: string | undefined;
      if (args.check) {
        const committed = JSON.parse(readFileSync(file, "utf8")) as Notebook;
        const executed = JSON.parse(readFileSync(run.out, "utf8")) as Notebook;
        const differences = compareNotebooks(committed, executed, context);
        if (differences.length > 0) {
          status = "stale";
          detail = differences
            .slice(0, 5)
            .map(
              (d) =>
                `cell ${d.cell + 1} (${d.source.split("\n")[0]}):\n${firstDifference(d.expected, d.actual)}`,
            )
            .join("\n");
          if (differences.length > 5) detail += `\n… and ${differences.length - 5} more cells`;
        }
      }
      if (args.write) copyFileSync(run.out, file);
      rmSync(outDir, { recursive: true, force: true });
      outcomes.push({ name, seconds, status, detail });
    }
  } finally {
    rmSync(jupyterPath, { recursive: true, force: true });
  }

  console.log("\n| notebook | seconds | result |\n|---|---:|---|");
  for (const o of outcomes) console.log(`| ${o.name} | ${o.seconds.toFixed(1)} | ${o.status} |`);
  for (const o of outcomes.filter((x) => x.detail)) {
    console.log(`\n${o.name} ${o.status === "stale" ? "differs from its committed outputs" : "failed"}:`);
    console.log(o.detail);
  }
  const stale = outcomes.some((o) => o.status === "stale");
  if (stale) {
    console.log(
      "\nThe committed outputs are stale: run `npm run notebooks -- --write`, look at the changes, commit them.",
    );
  }
  if (args.write) console.log(`\nwrote ${outcomes.filter((o) => o.status !== "failed").length} notebook(s)`);
  process.exit(outcomes.every((o) => o.status === "ok" || (args.write && o.status === "stale")) ? 0 : 1);
}

main();
