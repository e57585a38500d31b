/**
 * The clusterers' names: the one registry every other layer derives its types, CLI choices and help
 * from. A new clusterer adds its name here and its factory in `CLUSTERERS` (index.ts).
 */
export const CLUSTERER_METHODS = ["hdbscan", "dbscan", "optics", "kmeans"] as const;

export type ClustererMethod = (typeof CLUSTERER_METHODS)[number];

export const CLUSTER_METRICS = ["euclidean", "cosine", "manhattan"] as const;
export type ClusterMetric = (typeof CLUSTER_METRICS)[number];

export const CLUSTER_SELECTIONS = ["eom", "leaf"] as const;
export type ClusterSelection = (typeof CLUSTER_SELECTIONS)[number];

/** One line per method for --help. */
export const CLUSTERER_DESCRIPTIONS: Record<ClustererMethod, string> = {
  hdbscan: "HDBSCAN (density, outliers; BERTopic's default)",
  dbscan: "DBSCAN (density-clustering, fixed radius --eps)",
  optics: "OPTICS (density-clustering)",
  kmeans: "k-means (seeded k-means++, no outliers; --n-clusters)",
};
