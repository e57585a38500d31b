/**
 * The reduce stage: reducers by name (REDUCER_METHODS in methods.ts), each a factory that creates a
 * reducer, says how many rows it needs, and restores a fitted one from its state.
 */
import type { StageState } from "../types.js";
import { UserError } from "../util/errors.js";
import { createSilentLogger } from "../util/log.js";
import { identityFactory } from "./identity.js";
import { REDUCER_METHODS, type ReducerMethod } from "./methods.js";
import { pcaFactory } from "./pca.js";
import type { FittedReduction, Reducer, ReducerFactory, ReducerOptions } from "./types.js";
import { type UmapExtraOptions, umapFactory } from "./umap.js";
import { umapJsFactory } from "./umap-js.js";

export { REDUCER_DESCRIPTIONS, REDUCER_METHODS, type ReducerMethod } from "./methods.js";
export { trustworthiness } from "./trustworthiness.js";
export {
  type FittedReduction,
  REDUCER_METRICS,
  type Reducer,
  type ReducerFitOptions,
  type ReducerMetric,
  type ReducerOptions,
  type ReducerTransformOptions,
} from "./types.js";
export { UMAP_INITS, type UmapInit } from "./umap/fit.js";
export type { UmapExtraOptions } from "./umap.js";

const REDUCERS: Record<ReducerMethod, ReducerFactory> = {
  umap: umapFactory,
  pca: pcaFactory,
  none: identityFactory,
  "umap-js": umapJsFactory,
};

export const DEFAULT_REDUCER_OPTIONS: Readonly<Omit<ReducerOptions, "logger">> = {
  method: "umap",
  nComponents: 5,
  nNeighbors: 15,
  minDist: 0,
  metric: "cosine",
  seed: 42,
};

function factory(method: string): ReducerFactory {
  if (!(REDUCER_METHODS as readonly string[]).includes(method)) {
    throw new UserError(`unknown reducer '${method}'; use ${REDUCER_METHODS.join(", ")}`);
  }
  return REDUCERS[method as ReducerMethod];
}

/** Options over the defaults (an explicit undefined keeps the default), checked. */
export function resolveReducerOptions(
  options: Partial<ReducerOptions> & UmapExtraOptions = {},
): ReducerOptions & UmapExtraOptions {
  const resolved: ReducerOptions & UmapExtraOptions = {
    ...DEFAULT_REDUCER_OPTIONS,
    logger: createSilentLogger(),
  };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  if (!Number.isInteger(resolved.nComponents) || resolved.nComponents < 1) {
    throw new UserError(`nComponents must be an integer ≥ 1, got ${resolved.nComponents}`);
  }
  if (!Number.isInteger(resolved.nNeighbors) || resolved.nNeighbors < 2) {
    throw new UserError(`nNeighbors must be an integer ≥ 2, got ${resolved.nNeighbors}`);
  }
  if (!(resolved.minDist >= 0)) throw new UserError(`minDist must be ≥ 0, got ${resolved.minDist}`);
  if (resolved.nEpochs !== undefined && !(Number.isInteger(resolved.nEpochs) && resolved.nEpochs >= 1)) {
    throw new UserError(`nEpochs must be an integer ≥ 1, got ${resolved.nEpochs}`);
  }
  factory(resolved.method);
  return resolved;
}

export function createReducer(options: Partial<ReducerOptions> & UmapExtraOptions = {}): Reducer {
  const resolved = resolveReducerOptions(options);
  return factory(resolved.method).create(resolved);
}

/** The fewest non-empty documents a fit with these options needs. */
export function reducerMinimumRows(options: Partial<ReducerOptions> = {}): number {
  const resolved = resolveReducerOptions(options);
  return factory(resolved.method).minimumRows(resolved);
}

/** A fitted reducer rebuilt from its state and the rows it was fitted on (see Reducer.toState). */
export async function restoreReducer(
  state: StageState,
  fitted: FittedReduction,
  extra: Pick<ReducerOptions, "logger"> = {},
): Promise<Reducer> {
  const options = resolveReducerOptions({
    ...(state.options as Partial<ReducerOptions>),
    method: state.method as ReducerMethod,
    ...extra,
  });
  if (fitted.input.rows !== fitted.output.rows) {
    throw new Error(
      `restoring ${state.method}: ${fitted.input.rows} input rows but ${fitted.output.rows} output rows`,
    );
  }
  return factory(state.method).restore(state, fitted, options);
}
