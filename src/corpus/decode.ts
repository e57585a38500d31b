/**
 * UTF-8 decoding that never fails: invalid byte sequences become U+FFFD, and the caller learns which
 * pieces were damaged so it can warn once instead of silently changing the user's text.
 */

const REPLACEMENT = "\uFFFD";
const lenientDecoder = new TextDecoder("utf-8", { fatal: false });

export interface DecodedPiece {
  text: string;
  /** True when the bytes held invalid UTF-8 (a U+FFFD that was already in the input does not count). */
  damaged: boolean;
}

/** Decodes bytes as UTF-8 (a leading BOM is dropped), flagging replacement characters we introduced. */
export function decodeUtf8(bytes: Uint8Array): DecodedPiece {
  const text = lenientDecoder.decode(bytes);
  if (!text.includes(REPLACEMENT)) return { text, damaged: false };
  return { text, damaged: countChar(text, REPLACEMENT) > countEncodedReplacements(bytes) };
}

function countChar(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}

/** Occurrences of EF BF BD, the valid encoding of U+FFFD itself. */
function countEncodedReplacements(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) count++;
  }
  return count;
}

/**
 * Splits bytes into lines at LF (a preceding CR is dropped) and decodes each line on its own, so a
 * file larger than V8's maximum string length can still be read and damage is reported per line.
 * A final empty line after the last newline is not returned.
 */
export function decodeLines(bytes: Uint8Array): DecodedPiece[] {
  const lines: DecodedPiece[] = [];
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const n = bytes.length;
  while (start < n) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = n;
    const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
    lines.push(decodeUtf8(bytes.subarray(start, stop)));
    start = end + 1;
  }
  return lines;
}
