/**
 * The pipeline transform (BERTopic's transform with its reducer and clusterer): new embeddings →
 * reducer transform → clusterer predict, with both stages rebuilt through their own modules
 * (`restoreReducer`, `restoreClusterer`) from their saved states and the rows they were fitted on, so
 * a saved and reloaded model predicts exactly what the fitted one did. The reducer is always rebuilt
 * from the layout as saved (float32), also in the fitting process, which is what makes the two
 * identical; the clusterer a fitting process still holds is used as it is.
 */
import { type Clusterer, restoreClusterer } from "../../cluster/index.js";
import { type Reducer, type ReducerTransformOptions, restoreReducer } from "../../reduce/index.js";
import { type ClusterPrediction, type Matrix, selectRows } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { FittedStages, TopicModelParameters } from "../types.js";

export type { FittedStages };

/** The states of a fit recorded before stages.json existed: the parameters are all they hold. */
export function stagesFromParameters(p: TopicModelParameters): FittedStages {
  const { method: reduceMethod, ...reduce } = p.reduce;
  const { method: clusterMethod, ...cluster } = p.cluster;
  return {
    reducer: { method: reduceMethod, options: { ...reduce, seed: p.seed } },
    clusterer: { method: clusterMethod, options: { ...cluster, seed: p.seed } },
  };
}

export interface PipelineSource {
  parameters: TopicModelParameters;
  /** All documents' embeddings (corpus order). */
  embeddings: Matrix;
  /** All documents' reduced coordinates (NaN rows for documents not clustered). */
  reduced: Matrix;
  /** The clusterer's label per document, -2 = not clustered (null: not saved by an older topicscope). */
  clusterLabels: Int32Array | null;
  /** The stages' saved states (default: derived from the parameters, for older folders). */
  stages?: FittedStages;
  /** The fitted clusterer, while the fitting process still holds it. */
  liveClusterer?: Clusterer;
}

/** Why the pipeline path cannot be rebuilt for a model, or undefined when it can. */
export function pipelineUnavailable(
  p: TopicModelParameters,
  clusterLabels: Int32Array | null,
): string | undefined {
  if (p.zeroShotTopics) return "zero-shot models predict by similarity (BERTopic drops their clusterer)";
  if (p.seedTopics)
    return "guided models trained the reducer on seed-nudged vectors, which the model folder does not keep";
  if (!clusterLabels) return "the model folder has no cluster-labels.npy (written by an older topicscope)";
  if (!clusterLabels.some((l) => l !== -2)) return "no document was clustered";
  return undefined;
}

/** Documents the clusterer was given (cluster label -2 = not clustered), in corpus order. */
export function clusteredRows(clusterLabels: Int32Array): number[] {
  return [...clusterLabels.keys()].filter((i) => clusterLabels[i] !== -2);
}

/** The rebuilt reducer + clusterer; build once per model, predict many times. */
export class FittedPipeline {
  private constructor(
    readonly reducer: Reducer,
    readonly clusterer: Clusterer,
    /** Corpus index of each row the stages were fitted on. */
    readonly rows: readonly number[],
    private readonly inputCols: number,
  ) {}

  /**
   * Rebuilds the stages; `instead` names what the user can do when they cannot be rebuilt (a clusterer
   * whose refit does not reproduce the saved labels).
   */
  static async restore(source: PipelineSource, instead: string): Promise<FittedPipeline> {
    const reason = pipelineUnavailable(source.parameters, source.clusterLabels);
    if (reason)
      throw new UserError(`transform method 'pipeline' is not available: ${reason}; use ${instead}`);
    const labels = source.clusterLabels!;
    const rows = clusteredRows(labels);
    const training = selectRows(source.embeddings, rows);
    const layout = selectRows(source.reduced, rows);
    const stages = source.stages ?? stagesFromParameters(source.parameters);
    const reducer = await restoreReducer(stages.reducer, { input: training, output: layout });
    let clusterer = source.liveClusterer;
    if (!clusterer) {
      try {
        clusterer = restoreClusterer(stages.clusterer, {
          points: layout,
          labels: Int32Array.from(rows, (doc) => labels[doc]),
        });
      } catch (error) {
        if (error instanceof UserError) throw new UserError(`${error.message}; use ${instead}`);
        throw error;
      }
    }
    return new FittedPipeline(reducer, clusterer, rows, training.cols);
  }

  async reduce(embeddings: Matrix, options?: ReducerTransformOptions): Promise<Matrix> {
    if (embeddings.cols !== this.inputCols) {
      throw new UserError(`new embeddings are ${embeddings.cols}-d, the model's are ${this.inputCols}-d`);
    }
    return this.reducer.transform(embeddings, options);
  }

  async predict(embeddings: Matrix): Promise<ClusterPrediction> {
    return (await this.predictReduced(embeddings)).prediction;
  }

  /** The clusterer's prediction and the reduced coordinates it was made from. */
  async predictReduced(
    embeddings: Matrix,
    options?: ReducerTransformOptions,
  ): Promise<{ prediction: ClusterPrediction; reduced: Matrix }> {
    if (embeddings.rows === 0) {
      return {
        prediction: { labels: new Int32Array(0), probabilities: new Float32Array(0) },
        reduced: { data: new Float32Array(0), rows: 0, cols: 0 },
      };
    }
    const reduced = await this.reduce(embeddings, options);
    return { prediction: this.clusterer.predict(reduced), reduced };
  }
}
