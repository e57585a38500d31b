/**
 * The sentence encoder a TopicModel uses: the caller's embedder, or one created from the model name
 * on first use and released after fit and each operation (an encoder holds hundreds of MB).
 */
import {
  createEmbedder,
  type EmbedDocumentsResult,
  type Embedder,
  embedWithCache,
} from "../../embed/index.js";
import type { Matrix, ProgressCallback } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { TopicModelParameters } from "../types.js";

export interface EmbedderSource {
  /** The caller's encoder: never created, released or cached by us. */
  embedder?: Embedder;
  /** Embedding cache: true (default location), false (off) or a folder. */
  cache?: boolean | string;
}

/** The document space new texts must land in. */
export interface EmbeddingSpace {
  embeddings: Matrix | null;
  embedderId: string;
}

export class LazyEmbedder {
  private owned: Embedder | undefined;

  /** Both objects are read at each call, so later changes to them count (as they did in TopicModel). */
  constructor(
    private readonly source: EmbedderSource,
    private readonly parameters: TopicModelParameters["embedding"],
  ) {}

  async get(): Promise<Embedder> {
    if (this.source.embedder) return this.source.embedder;
    const { batchSize: _perCall, ...spec } = this.parameters;
    this.owned ??= await createEmbedder({ ...spec, cacheDir: spec.cacheDir ?? this.cacheFolder() });
    return this.owned;
  }

  /** The embedding cache: the caller's choice, else the spec's cache folder, else the default one. */
  private cache(): boolean | string {
    return this.source.cache ?? this.parameters.cacheDir ?? true;
  }

  private cacheFolder(): string | undefined {
    const cache = this.cache();
    return typeof cache === "string" ? cache : undefined;
  }

  /** Disposes the encoder this object created (a caller's encoder stays). */
  async release(): Promise<void> {
    const owned = this.owned;
    this.owned = undefined;
    await owned?.dispose?.();
  }

  /** The corpus at fit: always through the cache unless it is switched off. */
  async embedDocuments(
    texts: readonly string[],
    onProgress: ProgressCallback,
  ): Promise<EmbedDocumentsResult> {
    const embedder = await this.get();
    return embedWithCache(embedder, texts, {
      batchSize: this.parameters.batchSize,
      cache: this.cache(),
      onProgress,
    });
  }

  /** Embeds new texts and checks they live in the documents' space. */
  async embedTexts(texts: readonly string[], space: EmbeddingSpace): Promise<Matrix> {
    const embedder = await this.get();
    const cacheable = this.source.embedder === undefined;
    const { matrix } = await embedWithCache(embedder, texts, {
      batchSize: this.parameters.batchSize,
      cache: cacheable ? this.cache() : false,
    });
    if (space.embeddings && matrix.cols !== space.embeddings.cols) {
      throw new UserError(
        `${embedder.id} gives ${matrix.cols}-d vectors but the model's document embeddings are ${space.embeddings.cols}-d (${space.embedderId}); use the embedding model that made them${space.embedderId === "precomputed" ? " (--model), or pass precomputed embeddings for new documents" : ""}`,
      );
    }
    return matrix;
  }
}
