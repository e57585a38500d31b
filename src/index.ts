/**
 * topicscope's public API. Each stage is usable on its own; `TopicModel` runs them in order.
 *
 *   import { TopicModel, readCorpus, saveModelWithReports } from "topicscope";
 *   const corpus = await readCorpus("reviews.jsonl");
 *   const model = await new TopicModel({ cluster: { minClusterSize: 15 } }).fit(corpus.documents);
 *   console.log(model.topics.map((t) => t.label));
 *   await saveModelWithReports(model, "output/reviews"); // or model.save(dir): the model files only
 */

// stages
export {
  CLUSTERER_METHODS,
  type Clusterer,
  type ClustererMethod,
  type ClustererOptions,
  createClusterer,
  restoreClusterer,
} from "./cluster/index.js";
// corpus
export { loadDemoCorpus } from "./corpus/demo.js";
export { type Corpus, type CorpusReadOptions, readCorpus } from "./corpus/index.js";
// cross-encoders: score text pairs jointly, re-rank search hits
export * as crossencoder from "./crossencoder/index.js";
export { CrossEncoder, rerankHits } from "./crossencoder/index.js";
export {
  type Adapter,
  applyAdapter,
  createEmbedder,
  type Embedder,
  type EmbeddingSpec,
  type EmbedOptions,
  embedDocuments,
  loadAdapter,
  saveAdapter,
} from "./embed/index.js";
// charts and evaluation of a fitted model in memory (the notebooks use these)
export {
  adjustedRandIndex,
  evaluateTopicModel,
  type ModelMetrics,
  normalizedMutualInfo,
  topicDiversity,
} from "./evaluate/index.js";
export { referenceCorpusForModel } from "./evaluate/model-folder.js";
// files
export { readMatrixNpy, writeMatrixNpy } from "./io/npy.js";
export { knn, knnQuery } from "./neighbors/index.js";
export {
  createReducer,
  REDUCER_METHODS,
  type Reducer,
  type ReducerMethod,
  type ReducerOptions,
  restoreReducer,
} from "./reduce/index.js";
// reports
export { renderMarkdownReport } from "./report/markdown.js";
export { type ModelOutputsOptions, saveModelWithReports, writeModelOutputs } from "./report/outputs.js";
export {
  type RepresentOptions,
  representTopics,
  type TopicRepresentation,
  topicLabel,
} from "./represent/index.js";
// SBERT jobs on stored vectors: mining, communities, search, quantization, evaluators
export * as similarity from "./similarity/index.js";
export {
  communityDetection,
  paraphraseMining,
  quantizedSearch,
  quantizeEmbeddings,
  semanticSearch,
} from "./similarity/index.js";
// vector store (LanceDB loads on the first openStore)
export {
  type IndexDocumentsOptions,
  type IndexDocumentsResult,
  indexDocuments,
  type OpenStoreOptions,
  openStore,
  type StoreHit,
  type StoreRow,
  type StoreSearchOptions,
  VectorStore,
} from "./store/index.js";
export { loadModelFolder, MODEL_FILES, type ModelFolder } from "./topics/folder/format.js";
// the default outlier step of fit (outliers: "reduce"), for running the stages by hand
export { absorbOutliers } from "./topics/lifecycle/absorb-outliers.js";
// topic model
export { DEFAULT_PARAMETERS, type FitExtras, TopicModel, type TopicModelOptions } from "./topics/model.js";
export type {
  DocumentRecord,
  ModelManifest,
  Topic,
  TopicModelParameters,
  TopicTerm,
} from "./topics/types.js";
// training adapters on frozen embeddings (SoftmaxLoss, MNRL, CoSENT)
export * as train from "./train/index.js";
export { trainAdapter, trainFromFiles } from "./train/index.js";
export type {
  ClusterPrediction,
  ClusterResult,
  CorpusDocument,
  Matrix,
  ProgressCallback,
  StageState,
} from "./types.js";
export { createMatrix, matrixRow } from "./types.js";
export { UserError } from "./util/errors.js";
export { createProgress, type Progress, silentProgress } from "./util/progress.js";
export { createRng, type Rng } from "./util/rng.js";
export { version } from "./version.js";
export { buildChart, CHART_NAMES, type ChartName } from "./viz/charts.js";
export { buildChartData, type ChartData, type ChartDataOptions } from "./viz/data.js";
export { hierarchyChartData, overTimeChartRows, perClassChartRows } from "./viz/from-model.js";
export { renderSvg, svgToPng } from "./viz/render.js";
