/**
 * Joint tokenisation of a text pair, as a sentence-transformers CrossEncoder sees it: each text is
 * tokenised by the folder's tokenizer (transformers.js reads any tokenizer.json), the two token lists
 * are truncated `longest_first` to the budget left after the special tokens, and the tokenizer's own
 * pair template (its post-processor: `[CLS] A [SEP] B [SEP]` with token types 0…0 1…1 for BERT,
 * `<s> A </s></s> B </s>` for RoBERTa) joins them.
 *
 * We truncate ourselves because transformers.js' `truncation: true` cuts the joined sequence's tail,
 * which drops the final [SEP] and always shortens the second text; Hugging Face's Rust tokenizers —
 * what sentence-transformers runs — split the budget between the two texts (`longestFirst` below).
 */
import { basename, dirname } from "node:path";
import { UserError } from "../util/errors.js";

/** What we use of transformers.js' PreTrainedTokenizer and its @huggingface/tokenizers core. */
interface PostProcessed {
  tokens: string[];
  token_type_ids?: number[];
}
interface CoreTokenizer {
  post_processor: ((a: string[], b: string[] | null, addSpecial: boolean) => PostProcessed) | null;
  token_to_id(token: string): number | undefined;
  get_vocab(withAddedTokens?: boolean): Map<string, number>;
}
interface TransformersTokenizer {
  tokenize(text: string): string[];
  unk_token_id?: number | null;
  _tokenizer: CoreTokenizer;
}

export interface EncodedPair {
  inputIds: number[];
  tokenTypeIds: number[];
}

/**
 * Token counts kept of a pair of lengths (n1, n2) under a budget of `max` tokens, `longest_first`, as
 * Hugging Face tokenizers 0.23 computes them (pinned by test/fixtures/crossencoder/truncation.json):
 * the shorter text is kept whole when the longer one can absorb the cut; otherwise both are cut to
 * half the budget, the odd token going to the longer text — unless the shorter text alone fills the
 * budget, then to the second text.
 */
export function longestFirst(n1: number, n2: number, max: number): [number, number] {
  if (n1 + n2 <= max) return [n1, n2];
  const swap = n1 > n2;
  const short = swap ? n2 : n1;
  if (short >= max) return [Math.floor(max / 2), Math.floor(max / 2) + (max % 2)];
  let keepShort = short;
  let keepLong = Math.max(short, max - short);
  if (keepShort + keepLong > max) {
    keepShort = Math.floor(max / 2);
    keepLong = keepShort + (max % 2);
  }
  return swap ? [keepLong, keepShort] : [keepShort, keepLong];
}

export interface PairTokenizer {
  /** Tokens per pair, special tokens included. */
  readonly maxLength: number;
  /** Special tokens the pair template adds. */
  readonly specialTokens: number;
  encode(a: string, b: string): EncodedPair;
}

/** Loads the folder's tokenizer with transformers.js, offline. */
export async function loadPairTokenizer(folder: string, maxLength: number): Promise<PairTokenizer> {
  const transformers = await import("@huggingface/transformers");
  // nothing may reach for the network by accident: the folder is the whole model
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = `${dirname(folder)}/`;
  let tokenizer: TransformersTokenizer;
  try {
    tokenizer = (await transformers.AutoTokenizer.from_pretrained(basename(folder), {
      local_files_only: true,
    })) as unknown as TransformersTokenizer;
  } catch (error) {
    throw new UserError(
      `cannot load the tokenizer of ${folder}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return createPairTokenizer(tokenizer, maxLength, folder);
}

function createPairTokenizer(
  tokenizer: TransformersTokenizer,
  maxLength: number,
  folder: string,
): PairTokenizer {
  const core = tokenizer._tokenizer;
  if (core === undefined || typeof core.token_to_id !== "function") {
    throw new Error("transformers.js tokenizer without its core tokenizer (_tokenizer): unsupported version");
  }
  const vocab = core.get_vocab(true);
  const unk = tokenizer.unk_token_id ?? 0;
  const join = (a: string[], b: string[]): PostProcessed =>
    core.post_processor ? core.post_processor(a, b, true) : { tokens: [...a, ...b] };
  const specialTokens = join([], []).tokens.length;
  const budget = maxLength - specialTokens;
  if (budget < 2) {
    throw new UserError(
      `cross-encoder ${folder}: max length ${maxLength} leaves no room for text after ${specialTokens} special tokens`,
    );
  }
  // a prefix long enough for the budget (cut at whitespace, grown when it was not enough), so that a
  // 1 MB document costs what a short one does; the budget for one text is at most `budget` tokens
  const tokenizePrefix = (text: string): string[] => {
    let chars = Math.max(256, budget * 8);
    for (;;) {
      let piece = text;
      if (text.length > chars) {
        const space = text.lastIndexOf(" ", chars);
        piece = text.slice(0, space > chars / 2 ? space : chars);
      }
      const tokens = tokenizer.tokenize(piece);
      if (tokens.length >= budget || piece.length === text.length) return tokens;
      chars *= 4;
    }
  };
  return {
    maxLength,
    specialTokens,
    encode(a: string, b: string): EncodedPair {
      const tokensA = tokenizePrefix(a);
      const tokensB = tokenizePrefix(b);
      const [keepA, keepB] = longestFirst(tokensA.length, tokensB.length, budget);
      const joined = join(tokensA.slice(0, keepA), tokensB.slice(0, keepB));
      const inputIds = joined.tokens.map((t) => vocab.get(t) ?? core.token_to_id(t) ?? unk);
      const tokenTypeIds = joined.token_type_ids ?? new Array<number>(inputIds.length).fill(0);
      return { inputIds, tokenTypeIds };
    },
  };
}
