/**
 * A hand-written `.cnet` lexer: one pass over the character codes giving
 * exactly what `cnetLexer.tokenize` (tokens.ts) gives — the same token
 * types, images, offsets, comments and unlexable-character runs — in a
 * fraction of the time (Chevrotain tries patterns one by one and allocates
 * a chopped input per match). `cnetLexer` stays the specification:
 * test/unit/syntax/fast-lexer.test.ts compares the two on every example,
 * every fixture and random or mutated text.
 *
 * It lexes text[start, end) as if that slice were the whole input, with
 * offsets into `text`, so a region is lexed without slicing the text.
 *
 * How each pattern of tokens.ts is read here (first match wins there):
 * - WhiteSpace `[ \t\f\v\u00a0\ufeff\u2028\u2029]+` is skipped; Newline is
 *   `\r\n`, `\r` or `\n`; Comment is `#` or `//` up to the line end.
 * - Ipv6 comes first at a hex digit or `:`; any match has a `:` within its
 *   first five characters, after hex digits only, so the pattern itself
 *   (sticky) runs only there.
 * - Prefix / Address / Integer: digits, then `.digits` groups, then
 *   `/digits` (the greedy reading is the only one that can match).
 * - String / UnterminatedString: `"`, then characters other than `"`, `\`,
 *   `\r`, `\n` or a `\` with any character but a line terminator; a closing
 *   `"` makes a String, otherwise an unterminated one takes a trailing `\`.
 * - Keywords (`longer_alt: Identifier`) win only when the identifier match
 *   is not longer: the word is a keyword exactly when the identifier match
 *   equals it.
 * - A character no pattern matches starts an error run that lasts until a
 *   character where one does (Chevrotain's re-sync).
 */
import type { IToken, TokenType } from 'chevrotain';
import { keepShape } from '../shapes';
import * as T from './tokens';

export interface FastLexed {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  /** unlexable character runs, offsets into the text */
  readonly errors: { offset: number; length: number }[];
}

/** keywords by first character code */
const keywordsByFirst: TokenType[][] = [];
for (const k of T.keywordTokens) (keywordsByFirst[(k.PATTERN as string).charCodeAt(0)] ??= []).push(k);

/** the keyword spelt exactly by text[i, i + length), if any (no slice) */
function keywordAt(text: string, i: number, length: number): TokenType | undefined {
  const list = keywordsByFirst[text.charCodeAt(i)];
  if (list === undefined) return undefined;
  for (const k of list) {
    const w = k.PATTERN as string;
    if (w.length === length && text.startsWith(w, i)) return k;
  }
  return undefined;
}

const ipv6Source = (T.Ipv6.PATTERN as RegExp).source;
const ipv6Sticky = new RegExp(ipv6Source, 'y');
const ipv6Anchored = new RegExp('^(?:' + ipv6Source + ')');

// character classes, by code (0x80 and up handled apart)
const WS = 1;
const DIGIT = 2;
const HEX_LETTER = 4;
const LETTER = 8; // [A-Za-z_]
const cls = new Uint8Array(128);
for (const c of ' \t\f\v') cls[c.charCodeAt(0)] = WS;
for (let c = 48; c <= 57; c++) cls[c] = DIGIT;
for (let c = 65; c <= 90; c++) cls[c] = LETTER;
for (let c = 97; c <= 122; c++) cls[c] = LETTER;
cls[95] = LETTER;
for (const c of 'abcdefABCDEF') cls[c.charCodeAt(0)] = cls[c.charCodeAt(0)]! | HEX_LETTER;

const isWs = (c: number): boolean => (c < 128 ? cls[c] === WS : c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029);
const isWord = (c: number): boolean => c < 128 && (cls[c]! & (DIGIT | LETTER)) !== 0;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => c < 128 && (cls[c]! & (DIGIT | HEX_LETTER)) !== 0;
/** what `.` does not match (no `s` flag) */
const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  // the shape (and property order) of Chevrotain's offset-only tokens
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx!, tokenType } as IToken;
}

/** end of the Ipv6 match at `i`, or -1 */
function ipv6At(text: string, i: number, end: number): number {
  // a `:` after at most four hex digits, or no match is possible
  let j = i;
  const lim = Math.min(end, i + 4);
  while (j < lim && isHex(text.charCodeAt(j))) j++;
  if (j >= end || text.charCodeAt(j) !== 58) return -1;
  ipv6Sticky.lastIndex = i;
  const m = ipv6Sticky.exec(text);
  if (m === null) return -1;
  const stop = i + m[0].length;
  if (stop <= end) return stop;
  // the match runs past the slice: what the slice alone gives
  const m2 = ipv6Anchored.exec(text.slice(i, end));
  return m2 === null ? -1 : i + m2[0].length;
}

/** whether some pattern matches at `i` (the re-sync test after an unlexable character) */
function matchesAt(text: string, i: number, end: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) {
    if (cls[c] !== 0) return true;
    switch (c) {
      case 10: case 13: case 35: case 47: case 34: case 58: case 44: case 59: case 123: case 125:
        return true;
      case 45: {
        // `->` or `-/->`
        const d = i + 1 < end ? text.charCodeAt(i + 1) : -1;
        return d === 62 || (d === 47 && i + 3 < end && text.charCodeAt(i + 2) === 45 && text.charCodeAt(i + 3) === 62);
      }
      default:
        return false;
    }
  }
  return isWs(c);
}

/**
 * A resumable lexer over text[start, end): `next()` gives the next token,
 * putting the comments and unlexable-character runs it passes on the way
 * into `comments` and `errors` (which the caller may swap between calls).
 */
export class LexCursor {
  private i: number;
  comments: IToken[] = [];
  errors: { offset: number; length: number }[] = [];

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
  ) {
    this.i = start;
  }

  /** the next token, or undefined at the end */
  next(): IToken | undefined {
    const text = this.text;
    const end = this.end;
    let i = this.i;
    while (i < end) {
      const c = text.charCodeAt(i);
      const k = c < 128 ? cls[c]! : 0;
      // Ipv6 first where it can start
      if ((k & (DIGIT | HEX_LETTER)) !== 0 || c === 58) {
        const stop = ipv6At(text, i, end);
        if (stop >= 0) {
          this.i = stop;
          return token(text.slice(i, stop), i, T.Ipv6);
        }
      }
      if ((k & LETTER) !== 0) {
        let j = i + 1;
        while (j < end && isWord(text.charCodeAt(j))) j++;
        for (;;) {
          const s = j < end ? text.charCodeAt(j) : -1;
          if ((s === 45 || s === 46) && j + 1 < end && isWord(text.charCodeAt(j + 1))) {
            j += 2;
            while (j < end && isWord(text.charCodeAt(j))) j++;
          } else break;
        }
        this.i = j;
        const kw = keywordAt(text, i, j - i);
        return kw !== undefined ? token(kw.PATTERN as string, i, kw) : token(text.slice(i, j), i, T.Identifier);
      }
      if (k === DIGIT) {
        let j = i + 1;
        while (j < end && isDigit(text.charCodeAt(j))) j++;
        let groups = 0;
        while (j + 1 < end && text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
          j += 2;
          while (j < end && isDigit(text.charCodeAt(j))) j++;
          groups++;
        }
        let type: TokenType = groups > 0 ? T.Address : T.Integer;
        if (groups > 0 && j + 1 < end && text.charCodeAt(j) === 47 && isDigit(text.charCodeAt(j + 1))) {
          j += 2;
          while (j < end && isDigit(text.charCodeAt(j))) j++;
          type = T.Prefix;
        }
        this.i = j;
        return token(text.slice(i, j), i, type);
      }
      if (k === WS) {
        i++;
        while (i < end && isWs(text.charCodeAt(i))) i++;
        continue;
      }
      switch (c) {
        case 10:
          this.i = i + 1;
          return token('\n', i, T.Newline);
        case 13:
          if (i + 1 < end && text.charCodeAt(i + 1) === 10) {
            this.i = i + 2;
            return token('\r\n', i, T.Newline);
          }
          this.i = i + 1;
          return token('\r', i, T.Newline);
        case 35: // #
        case 47: {
          // / (a comment when doubled)
          if (c === 47 && !(i + 1 < end && text.charCodeAt(i + 1) === 47)) {
            this.i = i + 1;
            return token('/', i, T.Slash);
          }
          let j = i + 1;
          while (j < end) {
            const d = text.charCodeAt(j);
            if (d === 10 || d === 13) break;
            j++;
          }
          this.comments.push(token(text.slice(i, j), i, T.Comment));
          i = j;
          continue;
        }
        case 34: {
          // "
          let j = i + 1;
          let closed = false;
          while (j < end) {
            const d = text.charCodeAt(j);
            if (d === 34) {
              closed = true;
              j++;
              break;
            }
            if (d === 10 || d === 13) break;
            if (d === 92) {
              if (j + 1 < end && !isLineTerminator(text.charCodeAt(j + 1))) {
                j += 2;
                continue;
              }
              j++; // the trailing `\` an unterminated string takes
              break;
            }
            j++;
          }
          this.i = j;
          return token(text.slice(i, j), i, closed ? T.StringTok : T.UnterminatedString);
        }
        case 45: {
          // -
          if (i + 1 < end && text.charCodeAt(i + 1) === 62) {
            this.i = i + 2;
            return token('->', i, T.Arrow);
          }
          if (i + 3 < end && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 45 && text.charCodeAt(i + 3) === 62) {
            this.i = i + 4;
            return token('-/->', i, T.NotArrow);
          }
          break;
        }
        case 58:
          this.i = i + 1;
          return token(':', i, T.Colon);
        case 44:
          this.i = i + 1;
          return token(',', i, T.Comma);
        case 59:
          this.i = i + 1;
          return token(';', i, T.Semicolon);
        case 123:
          this.i = i + 1;
          return token('{', i, T.LCurly);
        case 125:
          this.i = i + 1;
          return token('}', i, T.RCurly);
        default:
          if (c >= 128 && isWs(c)) {
            i++;
            while (i < end && isWs(text.charCodeAt(i))) i++;
            continue;
          }
      }
      // nothing matches here: an error run up to where something does
      const from = i;
      i++;
      while (i < end && !matchesAt(text, i, end)) i++;
      this.errors.push({ offset: from, length: i - from });
    }
    this.i = i;
    return undefined;
  }
}

/** Lexes text[start, end) as `cnetLexer.tokenize(text.slice(start, end))` would, at offsets into `text`. */
export function fastLex(text: string, start = 0, end = text.length): FastLexed {
  const cursor = new LexCursor(text, start, end);
  const tokens: IToken[] = [];
  for (let t = cursor.next(); t !== undefined; t = cursor.next()) tokens.push(t);
  return { tokens, comments: cursor.comments, errors: cursor.errors };
}

// the cursor's map and a token's (shapes.ts)
keepShape(new LexCursor('', 0, 0));
keepShape(token('', 0, T.Identifier));
