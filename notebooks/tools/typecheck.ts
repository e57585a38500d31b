/**
 * Type-checks the notebooks' code cells with the project's compiler settings: Deno's kernel runs
 * TypeScript without checking it, so a renamed export or a wrong field would otherwise show up only as
 * a failed cell at run time. Each notebook's code cells are joined into one module next to it
 * (`notebooks/.<name>.tmp.ts`, git-ignored), so relative imports resolve as in the kernel; errors are
 * reported by notebook and cell.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Notebook } from "./normalize.js";

export interface CellLine {
  cell: number;
  line: number;
}

export interface ExtractedModule {
  source: string;
  /** For each line of `source` (0-based), the notebook cell (1-based, all cells) and its line. */
  lines: CellLine[];
}

/** The code cells as one module; a cell's final bare expression stays an expression statement. */
export function extractCode(notebook: Notebook): ExtractedModule {
  const out: string[] = [];
  const lines: CellLine[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    text.split("\n").forEach((line, i) => {
      out.push(line);
      lines.push({ cell: index + 1, line: i + 1 });
    });
    out.push(";");
    lines.push({ cell: index + 1, line: 0 });
  });
  out.push("export {};");
  lines.push({ cell: 0, line: 0 });
  return { source: `${out.join("\n")}\n`, lines };
}

export interface NotebookTypeError {
  notebook: string;
  cell: number;
  line: number;
  message: string;
}

/** Runs tsc once over all notebooks; returns the errors mapped to cells. */
export function typecheckNotebooks(files: readonly string[], repo: string): NotebookTypeError[] {
  const modules = files.map((file) => {
    const extracted = extractCode(JSON.parse(readFileSync(file, "utf8")) as Notebook);
    const path = join(repo, "notebooks", `.${basename(file, ".ipynb")}.tmp.ts`);
    writeFileSync(path, extracted.source);
    return { file, path, extracted };
  });
  try {
    const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--pretty",
        "false",
        ...["--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext"],
        ...["--lib", "ES2022", "--types", "node", "--strict", "--skipLibCheck", "--esModuleInterop"],
        ...["--resolveJsonModule", "--noFallthroughCasesInSwitch", "--noImplicitOverride"],
        ...modules.map((m) => m.path),
      ],
      { cwd: repo, encoding: "utf8" },
    );
    const errors: NotebookTypeError[] = [];
    for (const line of `${result.stdout}${result.stderr}`.split("\n")) {
      const match = /^(.*?)\((\d+),(\d+)\): error (.*)$/.exec(line.trim());
      if (!match) continue;
      const module = modules.find((m) => join(repo, match[1]) === m.path || match[1] === m.path);
      if (!module) {
        errors.push({ notebook: match[1], cell: 0, line: Number(match[2]), message: match[4] });
        continue;
      }
      const at = module.extracted.lines[Number(match[2]) - 1] ?? { cell: 0, line: 0 };
      errors.push({ notebook: basename(module.file), cell: at.cell, line: at.line, message: match[4] });
    }
    if (result.status !== 0 && errors.length === 0) {
      errors.push({
        notebook: "(tsc)",
        cell: 0,
        line: 0,
        message: `${result.stdout}${result.stderr}`.trim(),
      });
    }
    return errors;
  } finally {
    for (const m of modules) rmSync(m.path, { force: true });
  }
}
