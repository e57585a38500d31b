/**
 * The vector store: documents and their embeddings in a LanceDB table, searched in real time and
 * grown incrementally. `openStore` → add / search / delete / count; `indexDocuments` fills a store
 * from a corpus through the embedding cache, resumably. See docs/store.md.
 */
export {
  ANN_MIN_ROWS,
  type AnnSearchOptions,
  DEFAULT_INDEX_KIND,
  DEFAULT_SEARCH,
  INDEX_KINDS,
  type IndexKind,
} from "./ann.js";
export {
  checkUniqueIds,
  DEFAULT_INDEX_BATCH,
  type IndexDocumentsOptions,
  type IndexDocumentsResult,
  indexDocuments,
  type TopicAssigner,
} from "./indexer.js";
export { STORE_FORMAT_VERSION, type StoreMetadata, type StoreRow } from "./schema.js";
export {
  type AddResult,
  DEFAULT_TABLE,
  type IndexStatus,
  type OpenStoreOptions,
  openStore,
  type StoreEmbedding,
  type StoreHit,
  type StoreSearchOptions,
  sqlString,
  VectorStore,
} from "./store.js";
