/**
 * The streaming-fit target of issue 16: `fit --embeddings … --sample N` on the planted-topic corpus of
 * bench/synthetic.ts (made under ../cache/scale if missing, never in git), run as a user runs it (the
 * CLI in a child process under /usr/bin/time), printed as one table: wall and CPU seconds, peak RSS
 * of the whole process, the stage times model.json records, and NMI against the planted topics —
 * over the assigned documents (those not in the sample) that got a topic, over them all with
 * outliers as one more class, and over the sample. Targets at 1,000,000 rows: ≤ 15 min, ≤ 8 GB,
 * NMI ≥ 0.9.
 *
 *   npm run bench:million -- [--rows 100000,1000000] [--sample 50000] [--keep]
 *   npm run bench:million -- --evaluate <model folder> [--time <file written by /usr/bin/time -v>]
 *
 * The default sample is a fifth of the corpus, at most 50,000. Model folders go to
 * ../cache/scale/runs/ and are removed after scoring unless --keep.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { normalizedMutualInfo } from "../src/evaluate/clustering.js";
import { readNpy } from "../src/io/npy.js";
import type { ModelManifest } from "../src/topics/types.js";
import { packageRoot } from "../src/version.js";
import { benchCacheDir, printTable } from "./common.js";
import { writeSynthetic } from "./synthetic.js";

const args = process.argv.slice(2);
const value = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

interface Timing {
  wall: number;
  cpu: number;
  rssBytes: number;
}

/** Elapsed, user + system and maximum RSS from `/usr/bin/time -v` output. */
function parseTime(text: string): Timing {
  const field = (label: string) => text.match(new RegExp(`${label}: (.*)`))?.[1]?.trim() ?? "";
  const elapsed = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)")
    .split(":")
    .map(Number)
    .reduce((s, v) => s * 60 + v, 0);
  return {
    wall: elapsed,
    cpu: Number(field("User time \\(seconds\\)")) + Number(field("System time \\(seconds\\)")),
    rssBytes: Number(field("Maximum resident set size \\(kbytes\\)")) * 1024,
  };
}

interface Scores {
  documents: number;
  sample: number;
  topics: number;
  outlierShare: number;
  nmiAssigned: number;
  nmiAssignedWithOutliers: number;
  nmiSample: number;
}

/** Reads documents.jsonl line by line (a million records are not one string). */
async function score(dir: string): Promise<Scores> {
  const clusterLabels = readNpy(join(dir, "cluster-labels.npy")).data;
  const truth: number[][] = [[], [], []];
  const got: number[][] = [[], [], []];
  const topics = new Set<number>();
  let outliers = 0;
  let row = 0;
  const lines = createInterface({ input: createReadStream(join(dir, "documents.jsonl")) });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const doc = JSON.parse(line) as { topic: number; label?: string };
    const planted = Number(String(doc.label).replace(/^topic/, ""));
    const inSample = clusterLabels[row] !== -2;
    if (doc.topic >= 0) topics.add(doc.topic);
    else outliers++;
    if (inSample) {
      truth[2].push(planted);
      got[2].push(doc.topic);
    } else {
      truth[1].push(planted);
      got[1].push(doc.topic);
      if (doc.topic >= 0) {
        truth[0].push(planted);
        got[0].push(doc.topic);
      }
    }
    row++;
  }
  return {
    documents: row,
    sample: truth[2].length,
    topics: topics.size,
    outlierShare: outliers / row,
    nmiAssigned: normalizedMutualInfo(truth[0], got[0]),
    nmiAssignedWithOutliers: normalizedMutualInfo(truth[1], got[1]),
    nmiSample: normalizedMutualInfo(truth[2], got[2]),
  };
}

function stageSeconds(manifest: ModelManifest): string {
  return manifest.timings.map((t) => `${t.stage} ${t.seconds.toFixed(0)}`).join(", ");
}

async function tableRow(
  dir: string,
  timing: Timing | undefined,
  load: string,
): Promise<Record<string, string | number>> {
  const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as ModelManifest;
  const s = await score(dir);
  return {
    rows: s.documents,
    sample: s.sample,
    "wall s": timing ? timing.wall : "",
    "CPU s": timing ? timing.cpu : "",
    "peak RSS GB": timing ? timing.rssBytes / 2 ** 30 : manifest.peakRssBytes / 2 ** 30,
    topics: s.topics,
    "outliers %": 100 * s.outlierShare,
    "NMI assigned": s.nmiAssigned,
    "NMI assigned+outliers": s.nmiAssignedWithOutliers,
    "NMI sample": s.nmiSample,
    load,
    "stages (s, model.json)": stageSeconds(manifest),
  };
}

const table: Record<string, string | number>[] = [];
const existing = value("--evaluate");
if (existing) {
  const timeFile = value("--time");
  const timing = timeFile ? parseTime(readFileSync(timeFile, "utf8")) : undefined;
  table.push(await tableRow(resolve(existing), timing, "?"));
} else {
  const sizes = (value("--rows") ?? "1000000").split(",").map(Number);
  const scaleDir = join(benchCacheDir, "scale");
  const runs = join(scaleDir, "runs");
  mkdirSync(runs, { recursive: true });
  for (const rows of sizes) {
    const sample = Number(value("--sample") ?? Math.min(50000, Math.round(rows / 5)));
    const npy = join(scaleDir, `synthetic-${rows}.npy`);
    const jsonl = join(scaleDir, `synthetic-${rows}.jsonl`);
    if (!existsSync(npy) || !existsSync(jsonl))
      writeSynthetic({ rows, dim: 384, topics: 200, seed: 42 }, scaleDir);
    const out = join(runs, `million-${rows}`);
    const timeFile = join(runs, `million-${rows}.time`);
    const loadBefore = loadavg()[0];
    const run = spawnSync(
      "/usr/bin/time",
      [
        "-v",
        "-o",
        timeFile,
        process.execPath,
        join(packageRoot, "bin", "topicscope.js"),
        "--quiet",
        "fit",
        jsonl,
        "--embeddings",
        npy,
        "--sample",
        String(sample),
        "--label-field",
        "label",
        "--id-field",
        "id",
        "-o",
        out,
        "--force",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    if (run.status !== 0) throw new Error(`fit at ${rows} rows exited with ${run.status}`);
    const load = `${loadBefore.toFixed(1)}–${loadavg()[0].toFixed(1)}`;
    table.push(await tableRow(out, parseTime(readFileSync(timeFile, "utf8")), load));
    if (!args.includes("--keep")) rmSync(out, { recursive: true, force: true });
  }
}
console.log("fit --embeddings … --sample N on the synthetic corpus (384-d, 200 planted topics); 2 cores");
printTable(table);
