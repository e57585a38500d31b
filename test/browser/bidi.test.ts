/**
 * Issue 18, point 6, as a reader sees it: in Chromium, a topic label with a right-to-left override or
 * in a right-to-left script does not reorder the page's own words after it — "(5 documents)" reads
 * left to right after the label — and "\u202Egnp.exe" is shown as "[U+202E]gnp.exe", not "exe.png".
 * Positions are measured on the rendered text, so the test sees what a reader sees.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { writeHtmlReport } from "../../src/report/html.js";
import { buildChartData } from "../../src/viz/data.js";
import { syntheticModel } from "../report/model-fixture.js";

const CHROMIUM = "/usr/bin/chromium";

let work: string;
let context: BrowserContext;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium)`);
  work = mkdtempSync(join(tmpdir(), "topicscope-bidi-"));
  context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
    headless: true,
  });
});

after(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("labels with an override or in Hebrew do not reorder '(5 documents)'", async () => {
  const model = syntheticModel(5, 0);
  const topic = (id: number) => model.topics.find((t) => t.id === id)!;
  topic(0).customLabel = "\u202Egnp.exe";
  topic(1).customLabel = "שלום עולם";
  const data = await buildChartData(model, { skipLayout: true });
  const path = writeHtmlReport(work, model, data, { outPath: join(work, "report.html"), charts: [] });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path).href);
  // for each representative-documents summary: its text, and the x of "5" and of "d" in "(5 documents)"
  const summaries =
    (await page.evaluate(`Array.from(document.querySelectorAll("#representatives summary")).map((s) => {
    const count = s.lastChild;
    const text = count.textContent;
    const at = (i) => { const r = document.createRange(); r.setStart(count, i); r.setEnd(count, i + 1); return r.getBoundingClientRect().x; };
    const label = s.querySelector("bdi");
    return { text: s.textContent, five: at(text.indexOf("(5") + 1), d: at(text.indexOf("documents")), open: at(text.indexOf("(5")),
             labelRight: label ? label.getBoundingClientRect().right : null };
  })`)) as { text: string; five: number; d: number; open: number; labelRight: number | null }[];
  assert.equal(summaries.length, 3);
  for (const s of summaries) {
    assert.ok(s.open < s.five && s.five < s.d, `"(5 documents)" reads left to right: ${JSON.stringify(s)}`);
  }
  assert.equal(summaries[0].text, "[U+202E]gnp.exe (5 documents)");
  assert.equal(summaries[1].text, "שלום עולם (5 documents)");
  for (const s of summaries) {
    assert.ok(
      s.labelRight !== null && s.labelRight <= s.open + 1,
      `the count follows the label: ${JSON.stringify(s)}`,
    );
  }
});
