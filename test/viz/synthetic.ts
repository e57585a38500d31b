/** A small made-up model for chart tests: k topics in Gaussian blobs, hostile text included. */
import { createRng } from "../../src/util/rng.js";
import type {
  DocumentPoint,
  DocumentsMapData,
  IntertopicMapData,
  TopicClassRow,
  TopicHierarchy,
  TopicSimilarityData,
  TopicSummary,
  TopicTimeRow,
} from "../../src/viz/types.js";

export const HOSTILE =
  "<img src=x onerror=window.__pwned=1> </script><script>window.__pwned=2</script> {{7*7}} javascript:alert(1)";

export interface SyntheticCharts {
  topics: TopicSummary[];
  documents: DocumentsMapData;
  intertopic: IntertopicMapData;
  hierarchy: TopicHierarchy;
  similarity: TopicSimilarityData;
  time: TopicTimeRow[];
  classes: TopicClassRow[];
}

const WORDS = [
  "tax",
  "budget",
  "game",
  "team",
  "music",
  "film",
  "court",
  "law",
  "market",
  "bank",
  "space",
  "nasa",
];

export function syntheticCharts(k: number, perTopic: number, outliers: number, seed = 1): SyntheticCharts {
  const rng = createRng(seed);
  const topics: TopicSummary[] = [];
  for (let id = -1; id < k; id++) {
    const words = Array.from({ length: 10 }, (_, r) => ({
      word: id === 0 && r === 0 ? HOSTILE : `${WORDS[(id + 1 + r) % WORDS.length]}${r}`,
      score: 0.5 / (r + 1) + 0.01 * (id + 1),
    }));
    const label = id === 0 ? `0_${HOSTILE}` : `${id}_${words[0].word}_${words[1].word}_${words[2].word}`;
    topics.push({ id, label, size: id < 0 ? outliers : perTopic + (k - id), words });
  }
  const centers = Array.from({ length: k }, () => [rng.next() * 20, rng.next() * 20]);
  const points: DocumentPoint[] = [];
  for (const t of topics) {
    for (let i = 0; i < t.size; i++) {
      const c = t.id < 0 ? [rng.next() * 20, rng.next() * 20] : centers[t.id];
      const sd = t.id < 0 ? 0 : 0.6;
      points.push({
        x: c[0] + sd * rng.nextGaussian(),
        y: c[1] + sd * rng.nextGaussian(),
        topic: t.id,
        snippet: t.id === 0 && i === 0 ? HOSTILE : `document ${i} of topic ${t.id}`,
      });
    }
  }
  const real = topics.filter((t) => t.id >= 0);
  const intertopic: IntertopicMapData = {
    topics: real.map((t) => ({ ...t, x: centers[t.id][0], y: centers[t.id][1] })),
  };
  const matrix = real.map((a) =>
    real.map((b) => {
      const d = Math.hypot(centers[a.id][0] - centers[b.id][0], centers[a.id][1] - centers[b.id][1]);
      return a.id === b.id ? 1 : Math.max(-0.1, 1 - d / 15);
    }),
  );
  // a caterpillar tree: ((((0,1),2),3),…) with growing distances
  const merges: TopicHierarchy["merges"] = [];
  if (k > 1) merges.push([0, 1, 0.2, 2]);
  for (let i = 2; i < k; i++) merges.push([k + i - 2, i, 0.2 + 0.1 * i, i + 1]);
  const hierarchy: TopicHierarchy = { leaves: real.map((t) => ({ topic: t.id, label: t.label })), merges };
  const time: TopicTimeRow[] = [];
  const classes: TopicClassRow[] = [];
  for (const t of real) {
    for (let m = 0; m < 6; m++) {
      time.push({
        topic: t.id,
        timestamp: `2024-0${m + 1}-01`,
        frequency: 1 + ((t.id * 7 + m * 3) % 11),
        words: "a, b",
      });
    }
    for (const c of ["business", "sport", HOSTILE]) {
      classes.push({ topic: t.id, className: c, frequency: 1 + ((t.id * 5 + c.length) % 9), words: "a, b" });
    }
  }
  return {
    topics,
    documents: { topics, points },
    intertopic,
    hierarchy,
    similarity: { topics: real, matrix },
    time,
    classes,
  };
}
