/**
 * The SentencePiece (unigram, Viterbi) tokenizer of Universal Sentence Encoder Lite, rewritten to give
 * exactly the ids of `@energetic-ai/embeddings`' Tokenizer (tie-breaking and quirks included; checked
 * against it on whole corpora in test/embed/use-lite-tokenizer.test.ts) but in linear time: the
 * library copies the rest of the input at every position (`symbols.slice(i)`), quadratic in the text
 * length, which makes a 1 MB document take minutes. We also tokenize only a prefix long enough to
 * yield `maxTokens` tokens.
 */

/** Vocabulary entries are [piece, log-probability]; ids below this count are reserved (unk = 0). */
const RESERVED_SYMBOLS = 6;
/** The longest piece in the bundled vocabulary has 16 symbols; a prefix of maxTokens·16 symbols is enough. */
const SEPARATOR = "\u2581";
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Scores closer than this count as a tie: a word's choice is remembered only when every choice in
 * it won by more, far above the rounding that summing from another base (the words before) adds
 * (a few ulps of a sum of at most thousands of log-probabilities, ~1e-11).
 */
const TIE_MARGIN = 1e-7;
/** Words whose pieces are remembered at most (then forgotten all at once): ~20 MB. */
const MAX_REMEMBERED_WORDS = 200_000;

/** A word's pieces, last first. */
interface Segment {
  reversed: readonly number[];
  unknownLetters: number;
}

interface TrieNode {
  children: Map<number, TrieNode>;
  /** Vocabulary id when a piece ends here, else -1. */
  id: number;
}

export class UseLiteTokenizer {
  private readonly root: TrieNode = { children: new Map(), id: -1 };
  private readonly scores: Float64Array;
  /** UTF-16 length of each piece: the library walks back by `piece.length`, so do we. */
  private readonly pieceLengths: Int32Array;
  private readonly longestPiece: number;
  /** Whether no piece holds "▁" after its first symbol: texts can then be cut into words (byWords). */
  private readonly splitsAtSeparator: boolean;
  /** splitsAtSeparator, and no piece holds an astral character: minTokens is a bound. */
  private readonly spacesStartTokens: boolean;
  /** Remembered words after a text's first, and first words (null: left to the lattice; see byWords). */
  private readonly segments = new Map<string, Segment | null>();
  private readonly firstSegments = new Map<string, Segment | null>();

  constructor(vocabulary: ReadonlyArray<readonly [string, number]>) {
    this.scores = new Float64Array(vocabulary.length);
    this.pieceLengths = new Int32Array(vocabulary.length);
    let longest = 1;
    for (let id = 0; id < vocabulary.length; id++) {
      const [piece, score] = vocabulary[id];
      this.scores[id] = score;
      this.pieceLengths[id] = piece.length;
      if (id < RESERVED_SYMBOLS) continue;
      let node = this.root;
      let symbols = 0;
      for (const symbol of piece) {
        const code = symbol.codePointAt(0)!;
        let child = node.children.get(code);
        if (child === undefined) {
          child = { children: new Map(), id: -1 };
          node.children.set(code, child);
        }
        node = child;
        symbols++;
      }
      node.id = id;
      longest = Math.max(longest, symbols);
    }
    this.longestPiece = longest;
    this.splitsAtSeparator = vocabulary.every(
      ([piece], id) => id < RESERVED_SYMBOLS || piece.indexOf(SEPARATOR, 1) < 0,
    );
    this.spacesStartTokens =
      this.splitsAtSeparator &&
      vocabulary.some(([piece], id) => id >= RESERVED_SYMBOLS && piece === SEPARATOR) &&
      vocabulary.every(([piece]) => !/[\uD800-\uDFFF]/.test(piece));
  }

  /**
   * At most the number of ids `encode` gives `text` (whole): one per space, plus one. Every space
   * becomes "▁", every piece holding "▁" starts with it and is known, so each "▁" starts a token that
   * no unknown run swallows — when no piece holds "▁" later in it and no piece is astral (the
   * walk-back then stays aligned), which the constructor checks; otherwise 0 (no bound).
   */
  minTokens(text: string): number {
    if (!this.spacesStartTokens || text.length === 0) return 0;
    let spaces = 0;
    for (let at = text.indexOf(" "); at >= 0; at = text.indexOf(" ", at + 1)) spaces++;
    return spaces + 1;
  }

  /** Token ids of `text`, at most `maxTokens` of them (the first ones). Empty input gives no tokens. */
  encode(text: string, maxTokens = Number.POSITIVE_INFINITY): Int32Array {
    const reversed = this.pieces(text, maxTokens);
    const out: number[] = [];
    let previousUnknown = false;
    for (let i = reversed.length - 1; i >= 0; i--) {
      const id = reversed[i];
      if (!(previousUnknown && id === 0)) out.push(id);
      previousUnknown = id === 0;
    }
    return Int32Array.from(out.length > maxTokens ? out.slice(0, maxTokens) : out);
  }

  /**
   * How the model reads a text: its pieces (each character the vocabulary lacks is one unknown piece
   * here; `encode` merges runs of them into one id), how many of them are unknown letters or digits
   * (an unknown newline or symbol costs the model nothing), and the ids `encode` would give, counted
   * up to `maxTokens` + 1. Reads a prefix that grows until it holds that many ids, so a long text costs
   * what a short one does.
   */
  read(text: string, maxTokens: number): { pieces: number; unknownLetters: number; tokens: number } {
    for (let chars = (maxTokens + 1) * 8; ; chars *= 4) {
      const whole = text.length <= chars;
      const { reversed, unknownLetters } = this.viterbi(whole ? text : text.slice(0, chars), Infinity);
      let tokens = 0;
      let previousUnknown = false;
      for (let i = reversed.length - 1; i >= 0; i--) {
        const id = reversed[i];
        if (!(previousUnknown && id === 0)) tokens++;
        previousUnknown = id === 0;
      }
      if (whole || tokens > maxTokens) {
        return { pieces: reversed.length, unknownLetters, tokens: Math.min(tokens, maxTokens + 1) };
      }
    }
  }

  /** The Viterbi pieces of the text's prefix, last piece first. */
  private pieces(text: string, maxTokens: number): number[] {
    return this.viterbi(text, maxTokens).reversed;
  }

  /** Viterbi pieces of the prefix a budget of `maxTokens` needs (last first), and the unknown letters among them. */
  private viterbi(text: string, maxTokens: number): { reversed: number[]; unknownLetters: number } {
    // NFKC can merge a few code units into one; twice the symbol budget keeps enough text after it.
    const budget = Number.isFinite(maxTokens)
      ? maxTokens * this.longestPiece * 2 + 2
      : Number.POSITIVE_INFINITY;
    const prefix = text.length > budget ? text.slice(0, budget) : text;
    const normalized = prefix.normalize("NFKC");
    if (normalized.length === 0) return { reversed: [], unknownLetters: 0 };
    return this.byWords(normalized) ?? this.lattice(SEPARATOR + normalized.replace(/ /g, SEPARATOR));
  }

  /**
   * The same pieces word by word, each word's remembered. No piece holds "▁" after its first symbol
   * (checked when the vocabulary loads), so every piece that covers a word's "▁" starts there: the
   * lattice splits at each "▁" and a word's best pieces do not depend on the words before it. The
   * backtrack walks back by each piece's UTF-16 length (the library's quirk, see `lattice`), which
   * for a piece with an astral character is not its symbol count: a word whose walk-back does not
   * land on its own start would change the walk into the previous word, so such a text (and any
   * vocabulary with "▁" inside a piece) takes the whole lattice. So does a text with a word whose
   * lattice holds a tie: its log-probabilities are summed from another base in the whole lattice, and
   * rounding decides exact ties of the same pieces in another order ("777" as 7 + 77 or 77 + 7).
   */
  private byWords(normalized: string): { reversed: number[]; unknownLetters: number } | undefined {
    if (!this.splitsAtSeparator) return undefined;
    const words = normalized.split(" ");
    const parts: Segment[] = new Array(words.length);
    for (let w = 0; w < words.length; w++) {
      const segment = this.segment(words[w], w === 0);
      if (segment === null) return undefined;
      parts[w] = segment;
    }
    const reversed: number[] = [];
    let unknownLetters = 0;
    for (let w = parts.length - 1; w >= 0; w--) {
      for (const id of parts[w].reversed) reversed.push(id);
      unknownLetters += parts[w].unknownLetters;
    }
    return { reversed, unknownLetters };
  }

  /**
   * A word's pieces, remembered. The lattice's "unset" mark is a score of 0, and a few pieces score
   * exactly 0 (":" and others whose log-probability the vocabulary lacks): a text's first word starts
   * from 0 as in the whole lattice, every later word from a negative score as it does there — unless
   * the first word itself scores 0, which leaves the whole text to the lattice.
   */
  private segment(word: string, first: boolean): Segment | null {
    const memory = first ? this.firstSegments : this.segments;
    let segment = memory.get(word);
    if (segment === undefined) {
      const run = this.latticeOf(SEPARATOR + word, first ? 0 : -1);
      segment =
        run.landed && !run.tied && !(first && run.final === 0)
          ? { reversed: run.reversed, unknownLetters: run.unknownLetters }
          : null;
      if (memory.size >= MAX_REMEMBERED_WORDS) memory.clear();
      memory.set(word, segment);
    }
    return segment;
  }

  /** The Viterbi pieces of a whole input ("▁"-joined words), last first. */
  private lattice(input: string): { reversed: number[]; unknownLetters: number } {
    const { reversed, unknownLetters } = this.latticeOf(input);
    return { reversed, unknownLetters };
  }

  /**
   * Viterbi over one input; `landed`: the walk back ended exactly at its start; `tied`: two candidates
   * for some position scored within TIE_MARGIN of each other (a choice rounding could flip).
   */
  private latticeOf(
    input: string,
    /** Score of the empty prefix: 0 at the start of a text, any negative number stands for later. */
    start0 = 0,
  ): {
    reversed: number[];
    unknownLetters: number;
    landed: boolean;
    tied: boolean;
    /** The best score of the whole input. */
    final: number;
  } {
    const symbols: number[] = [];
    for (const symbol of input) symbols.push(symbol.codePointAt(0)!);
    const n = symbols.length;
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    best[0] = start0;
    let tied = false;
    // Forward Viterbi by start position. Every candidate ending at `end` is visited in increasing
    // start order, as the library's `for (startPos in nodes[endPos])` does, and `>=` lets the later
    // (shorter) piece win ties — identical decisions, identical ids.
    for (let start = 0; start < n; start++) {
      const base = best[start];
      let node = this.root.children.get(symbols[start]);
      let matched = false;
      for (let end = start + 1; node !== undefined; end++) {
        if (node.id >= 0) {
          matched = true;
          const score = this.scores[node.id] + base;
          if (best[end] !== 0 && Math.abs(score - best[end]) < TIE_MARGIN) tied = true;
          if (best[end] === 0 || score >= best[end]) {
            best[end] = score;
            words[end] = node.id;
          }
        }
        if (end >= n) break;
        node = node.children.get(symbols[end]);
      }
      if (!matched) {
        // unknown symbol: a one-symbol piece with id 0 and score 0
        const score = base;
        if (best[start + 1] !== 0 && Math.abs(score - best[start + 1]) < TIE_MARGIN) tied = true;
        if (best[start + 1] === 0 || score >= best[start + 1]) {
          best[start + 1] = score;
          words[start + 1] = 0;
        }
      }
    }
    const reversed: number[] = [];
    let unknownLetters = 0;
    let at = n;
    for (; at > 0; at -= this.pieceLengths[words[at]]) {
      reversed.push(words[at]);
      if (words[at] === 0 && LETTER_OR_DIGIT.test(String.fromCodePoint(symbols[at - 1]))) unknownLetters++;
    }
    return { reversed, unknownLetters, landed: at === 0, tied, final: best[n] };
  }
}
