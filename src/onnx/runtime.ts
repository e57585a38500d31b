/**
 * The one place where onnxruntime sessions are made, with one thread policy, for every stage that
 * runs a graph (the sentence encoders in src/embed, exact neighbours in src/neighbors).
 *
 * onnxruntime-node is loaded on first use: importing it costs ~100 ms and a verb that never runs a
 * graph should not pay it.
 */
import { availableParallelism, loadavg } from "node:os";
import type { InferenceSession } from "onnxruntime-node";

export type Ort = typeof import("onnxruntime-node");
export type OrtSession = InferenceSession;

let ortModule: Promise<Ort> | undefined;

/**
 * onnxruntime ≥ 1.2x collects "telemetry" on POSIX when its environment is created: among other things
 * it matches regular expressions (GCC's std::regex, which recurses once per character) against the
 * process's command line. A long argument — `topicscope search M "<4,000 words>"` — then recurses past
 * the main thread's 8 MB stack and the process dies with SIGSEGV (exit 139, nothing printed). The
 * variable is read when the first session is created, so it is set here, before onnxruntime is loaded
 * by us or by @huggingface/transformers (which imports this module first). It also keeps onnxruntime
 * from trying to upload anything. test/onnx/long-argv.test.ts spawns a session under a 120 KB argv.
 */
process.env.ORT_DISABLE_TELEMETRY = "1";

export function loadOrt(): Promise<Ort> {
  ortModule ??= import("onnxruntime-node");
  return ortModule;
}

/**
 * Cores a session may use when the caller does not say: the idle ones when at least two are idle,
 * else 0 (callers run one thread). Measured on this 2-core machine: idle, 2 threads doubled embedding
 * throughput (183 → 367 docs/s); busy (load ≈ 8), extra threads made it slower (9.3× → 5.9× the
 * baseline), so they are used only when cores are actually free. Results do not depend on this.
 */
export function idleCoreWorkers(cores = availableParallelism(), load = loadavg()[0]): number {
  const idle = Math.round(cores - load);
  return idle >= 2 ? Math.min(idle, cores) : 0;
}

/**
 * Intra-op threads of a session: the cores idle apart from this process, at least one. The load
 * average counts our own earlier stages too (a fit embeds on both cores, then runs kNN): the process's
 * own average CPU use is taken out so that it does not starve its next stage.
 */
export function defaultThreads(cores = availableParallelism()): number {
  const usage = process.cpuUsage();
  const own = Math.min(cores, (usage.user + usage.system) / 1e6 / Math.max(1, process.uptime()));
  return Math.max(1, idleCoreWorkers(cores, Math.max(0, loadavg()[0] - own)));
}

export interface SessionOptions {
  /** Intra-op threads (default `defaultThreads()`). */
  threads?: number;
}

/** A session over a model file or serialized graph, with the project's thread policy. */
export async function createSession(
  model: string | Uint8Array,
  options: SessionOptions = {},
): Promise<{ ort: Ort; session: OrtSession }> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(model as Uint8Array, {
    intraOpNumThreads: options.threads ?? defaultThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
    // no busy-waiting between runs: on a shared machine spinning threads only burn CPU (measured
    // on AG News kNN: 0.70 → 0.63 s CPU, wall 1.9–2.6 → 1.7–2.2 s)
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  });
  return { ort, session };
}
