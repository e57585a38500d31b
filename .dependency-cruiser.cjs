/**
 * The house rule (docs/architecture.md): imports point down the layers only.
 *
 *   cli
 *   viz · report · evaluate                      read a model, never change it
 *   topics · similarity · train · store · crossencoder   the jobs users name
 *   corpus · embed · reduce · cluster · represent        stages: never import each other
 *   neighbors                                    shared kNN (reduce and cluster use it)
 *   util · types · version · io · onnx · text    the base
 *
 * `npm run lint:layers` (part of `npm run lint`, so CI) fails on any import that points up or sideways.
 */
const base = "^src/(util|io|onnx|text)/|^src/(types|version)\\.ts$";
const shared = "^src/neighbors/";
const stages = ["corpus", "embed", "reduce", "cluster", "represent"];
const jobs = ["topics", "similarity", "train", "store", "crossencoder"];
const presentation = ["viz", "report", "evaluate"];
const folder = (names) => `^src/(${names.join("|")})/`;
const upFromStages = `${folder(jobs)}|${folder(presentation)}|^src/cli/|^src/index\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: "base-imports-only-base",
      comment: "util, io, onnx, text, types and version sit at the bottom: they import only each other",
      severity: "error",
      from: { path: base },
      to: { path: "^src/", pathNot: base },
    },
    {
      name: "neighbors-imports-only-base",
      comment: "neighbors is the shared kNN of reduce and cluster: it imports only the base",
      severity: "error",
      from: { path: shared },
      to: { path: "^src/", pathNot: `${base}|${shared}` },
    },
    ...stages.map((stage) => ({
      name: `stage-${stage}-imports-only-below`,
      comment: `${stage} is a stage: it imports the base and neighbors, never another stage or anything above`,
      severity: "error",
      from: { path: `^src/${stage}/` },
      to: {
        path: `${folder(stages.filter((other) => other !== stage))}|${upFromStages}`,
      },
    })),
    {
      name: "jobs-do-not-import-presentation",
      comment: "the model and the SBERT jobs know nothing of reports, charts, evaluation or the CLI",
      severity: "error",
      from: { path: folder(jobs) },
      to: { path: `${folder(presentation)}|^src/cli/|^src/index\\.ts$` },
    },
    {
      name: "presentation-does-not-import-cli",
      severity: "error",
      from: { path: folder(presentation) },
      to: { path: "^src/cli/|^src/index\\.ts$" },
    },
    {
      name: "viz-does-not-import-report",
      comment: "report draws with viz, not the other way round",
      severity: "error",
      from: { path: "^src/viz/" },
      to: { path: "^src/report/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
