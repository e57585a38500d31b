/** The identity reducer (`none`): cluster the embeddings themselves. */
import type { Matrix, StageState } from "../types.js";
import type { Reducer, ReducerFactory, ReducerFitOptions } from "./types.js";
import { assertFiniteRows } from "./validate.js";

function createIdentityReducer(): Reducer {
  return {
    name: "none",
    async fit(data: Matrix, fitOptions: ReducerFitOptions = {}): Promise<Matrix> {
      assertFiniteRows(data);
      fitOptions.onProgress?.(1, 1);
      return { data: data.data.slice(), rows: data.rows, cols: data.cols };
    },
    async transform(data: Matrix): Promise<Matrix> {
      assertFiniteRows(data);
      return { data: data.data.slice(), rows: data.rows, cols: data.cols };
    },
    toState: (): StageState => ({ method: "none", options: {} }),
  };
}

export const identityFactory: ReducerFactory = {
  create: () => createIdentityReducer(),
  minimumRows: () => 2,
  restore: async () => createIdentityReducer(),
};
