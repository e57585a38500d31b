/** The chart render queue: a worker thread and the calling thread draw the same SVGs; a dying worker loses nothing. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildChart } from "../../src/viz/charts.js";
import { buildChartData } from "../../src/viz/data.js";
import { renderSvg } from "../../src/viz/render.js";
import { RenderQueue } from "../../src/viz/render-pool.js";
import { syntheticModel } from "../report/model-fixture.js";

/** Vega numbers gradients per thread (gradient_1, gradient_2, …): the only part that may differ. */
const same = (svg: string) => svg.replace(/gradient_\d+/g, "gradient");

async function specs() {
  const data = await buildChartData(syntheticModel(6, 2), { skipLayout: true });
  return (["topic-sizes", "topic-words", "intertopic", "similarity"] as const).map((name) => {
    const built = buildChart(name, data, "static");
    if ("missing" in built) throw new Error(built.missing);
    return built.spec;
  });
}

describe("RenderQueue", () => {
  test("a worker thread and this thread together draw exactly the SVGs of renderSvg, PNGs when asked", async () => {
    const list = await specs();
    const expected = await Promise.all(list.map((spec) => renderSvg(spec)));
    const queue = new RenderQueue(1);
    try {
      const charts = list.map((spec, i) => queue.render(spec, i === 0 ? 2 : undefined));
      await queue.drain();
      const drawn = await Promise.all(charts);
      assert.deepEqual(
        drawn.map((c) => same(c.svg)),
        expected.map(same),
      );
      assert.deepEqual([...(drawn[0].png ?? []).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      assert.equal(drawn[1].png, undefined);
    } finally {
      await queue.close();
    }
  });

  test("the worker goes on to the next chart while this thread is busy (it needs no reply to be read)", async () => {
    const list = await specs();
    const queue = new RenderQueue(1);
    try {
      const charts = list.map((spec) => queue.render(spec));
      await Promise.resolve(); // the batch leaves with the microtasks
      // this thread stays busy, its event loop blocked, as while it lays out the documents map
      const deadline = Date.now() + 60_000;
      while (queue.claimedByWorker() < list.length && Date.now() < deadline) {
        // busy
      }
      assert.equal(queue.claimedByWorker(), list.length);
      await queue.drain();
      const expected = await Promise.all(list.map((spec) => renderSvg(spec)));
      assert.deepEqual(
        (await Promise.all(charts)).map((c) => same(c.svg)),
        expected.map(same),
      );
    } finally {
      await queue.close();
    }
  });

  test("a worker that dies hands its charts to this thread", async () => {
    const list = await specs();
    const dying = new URL("../fixtures/viz/dying-render-worker.mjs", import.meta.url);
    const queue = new RenderQueue(1, dying);
    try {
      const charts = list.map((spec) => queue.render(spec));
      // give the worker time to take a job and die with it
      await new Promise((resolve) => setTimeout(resolve, 300));
      await queue.drain();
      const drawn = await Promise.all(charts);
      const expected = await Promise.all(list.map((spec) => renderSvg(spec)));
      assert.deepEqual(
        drawn.map((c) => same(c.svg)),
        expected.map(same),
      );
    } finally {
      await queue.close();
    }
  });
});
