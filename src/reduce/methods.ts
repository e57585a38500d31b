/**
 * The reducers' names: the one registry every other layer derives its types, CLI choices and help
 * from. A new reducer adds its name here and its factory in `REDUCERS` (index.ts).
 */
export const REDUCER_METHODS = ["umap", "pca", "none", "umap-js"] as const;

export type ReducerMethod = (typeof REDUCER_METHODS)[number];

/** One line per method for --help. */
export const REDUCER_DESCRIPTIONS: Record<ReducerMethod, string> = {
  umap: "UMAP, our typed-array port of umap-learn (BERTopic's default)",
  pca: "PCA (linear, fast)",
  none: "identity (cluster the embeddings themselves)",
  "umap-js": "UMAP from the umap-js package (its own NN-descent, random init)",
};
