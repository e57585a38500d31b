/** What a corpus reader returns. */
import type { CorpusDocument } from "../types.js";

export interface Corpus {
  documents: CorpusDocument[];
  /** Documents whose text is empty after trimming (kept in place). */
  emptyCount: number;
  warnings: string[];
  /** The path read, or "<stdin>". */
  source: string;
}
