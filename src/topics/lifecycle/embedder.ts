/**
 * The sentence encoder a TopicModel uses: the caller's embedder, or one created from the model name
 * on first use and released after fit and each operation (an encoder holds hundreds of MB).
 */
import {
  checkCorpus,
  createEmbedder,
  type EmbedDocumentsResult,
  type Embedder,
  type EmbedderState,
  embedWithCache,
} from "../../embed/index.js";
import type { Matrix, ProgressCallback } from "../../types.js";
import { UserError } from "../../util/errors.js";
import type { Progress } from "../../util/progress.js";
import type { TopicModelParameters } from "../types.js";

export interface EmbedderSource {
  /** The caller's encoder: never created, released or cached by us. */
  embedder?: Embedder;
  /** Embedding cache: true (default location), false (off) or a folder. */
  cache?: boolean | string;
  /** What a corpus-fitted encoder (`tfidf`) learnt at fit, restored with a saved model. */
  embedderState?: EmbedderState;
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
    this.owned ??= await createEmbedder({
      ...spec,
      cacheDir: spec.cacheDir ?? this.cacheFolder(),
      state: this.state ?? this.source.embedderState,
      progress: this.progress,
    });
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
  private state: EmbedderState | undefined;

  /** Encoders created from now on start from this fitted state (after fit, or a loaded model's). */
  useState(state: EmbedderState | undefined): void {
    this.state = state;
  }

  private progress: Progress | undefined;

  /**
   * Before the corpus is embedded: gets the encoder (downloading a hub model, with `progress`) and
   * checks what it can read of the corpus — stopping when it cannot read most of it (unless
   * `allowUnknownText`), warning about a few unreadable documents and about documents over its budget.
   */
  async prepare(
    texts: readonly string[],
    warn: (message: string) => void,
    progress?: Progress,
  ): Promise<void> {
    this.progress = progress;
    const embedder = await this.get();
    checkCorpus(embedder, texts, {
      model: this.parameters.model,
      allowUnknownText: this.parameters.allowUnknownText,
      longDocuments: this.parameters.longDocuments,
      warn,
    });
  }

  /** What the encoder learnt from the corpus, for encoders that learn (`tfidf`); saved with the model. */
  fittedState(): EmbedderState | undefined {
    return (this.source.embedder ?? this.owned)?.fittedState?.();
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

  private warnedOfOtherEncoder = false;

  /**
   * Embeds new texts and checks they live in the documents' space: the dimension must match (an
   * error), and an encoder whose id differs from the one that embedded the documents (another version
   * of a model, use-lite-static's piece table before its word table) gets one warning through `warn` —
   * same dimension, possibly another space.
   */
  async embedTexts(
    texts: readonly string[],
    space: EmbeddingSpace,
    warn?: (message: string) => void,
  ): Promise<Matrix> {
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
    const documentsId = space.embedderId;
    if (
      warn &&
      !this.warnedOfOtherEncoder &&
      documentsId !== "" &&
      documentsId !== "precomputed" &&
      embedder.id !== documentsId
    ) {
      this.warnedOfOtherEncoder = true;
      warn(
        `new texts are embedded by ${embedder.id}, the model's documents were embedded by ${documentsId}: their vectors may not be comparable; refit the model, or pass embeddings made by its encoder`,
      );
    }
    return matrix;
  }
}
