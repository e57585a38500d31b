/**
 * The JavaScript a report inlines: vega's browser build and vega-interpreter (which evaluates Vega
 * expressions without `new Function`, so the report's Content-Security-Policy can forbid eval).
 * vega-interpreter ships only as an ES module importing vega-util; vega re-exports those helpers, so we
 * rewrite its one import and one export to run as a classic script against the global `vega`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

let cache: { vega: string; interpreter: string } | undefined;

/** A file next to the package's main build (both packages keep their builds in build/). */
function buildFile(pkg: string, file: string): string {
  return readFileSync(join(dirname(require.resolve(pkg)), file), "utf8");
}

export function reportScripts(): { vega: string; interpreter: string } {
  if (cache) return cache;
  const vega = buildFile("vega", "vega.min.js");
  const source = buildFile("vega-interpreter", "vega-interpreter.js");
  const importLine = /^import\s*\{([^}]*)\}\s*from\s*'vega-util';\s*$/m;
  const exportLine = /^export\s*\{\s*expression as expressionInterpreter\s*\};\s*$/m;
  const imported = importLine.exec(source);
  if (!imported || !exportLine.test(source)) {
    throw new Error("vega-interpreter's build changed shape; update src/report/assets.ts");
  }
  const body = source
    .replace(importLine, `const {${imported[1]}} = globalThis.vega;`)
    .replace(exportLine, "globalThis.vega.expressionInterpreter = expression;")
    .replace(/^\/\/# sourceMappingURL=.*$/m, "");
  const interpreter = `(function () {\n"use strict";\n${body}\n})();`;
  for (const [name, text] of [
    ["vega", vega],
    ["vega-interpreter", interpreter],
  ] as const) {
    if (/<\/script|<!--/i.test(text))
      throw new Error(`${name} build contains '</script' or '<!--' and cannot be inlined`);
  }
  cache = { vega, interpreter };
  return cache;
}
