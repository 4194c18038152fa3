/**
 * `parse(text)`: `.cnet` text → `Document` (AST + comments + syntax errors).
 * `lex(text)`: every token with a coarse kind, for semantic tokens and the
 * formatter.
 *
 * Architecture invariant: parsing never fails. Every error carries a real
 * span inside the text (Chevrotain's virtual tokens and EOF have NaN
 * offsets; they are mapped to the nearest real token here), and an internal
 * failure becomes one more error next to whatever was built.
 */
import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { Comment, Decl, Document, Span, SyntaxError } from './ast';
import { isReal, tokenSpan } from './build';
import { CnetParser, MISSING_RCURLY, show } from './grammar';
import { fastLex, LexCursor } from './lexer';
import * as T from './tokens';
import { keepShape } from '../shapes';

let shared: CnetParser | undefined;
/** One parser instance, re-armed per input (building one analyses the grammar: slow). */
function parser(): CnetParser {
  return (shared ??= new CnetParser());
}

/**
 * The grammar nests blocks three deep (host → bridge/container); a skipped
 * junk `{ … }` recurses once per level. Anything nested deeper than this is
 * cut out of the parser's input as one error, so a runaway region (a paste
 * of a thousand `{`) cannot exhaust the stack and hide the rest of the file.
 */
export const MAX_BLOCK_DEPTH = 32;

function flattenDeepBlocks(tokens: IToken[], errors: SyntaxError[]): IToken[] {
  let depth = 0;
  let max = 0;
  for (const t of tokens) {
    if (t.tokenType === T.LCurly) {
      if (++depth > max) max = depth;
    } else if (t.tokenType === T.RCurly && depth > 0) depth--;
  }
  if (max <= MAX_BLOCK_DEPTH) return tokens;
  depth = 0;
  let cut = -1; // index of the `{` that went too deep
  const out: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly && depth > 0) depth--;
    if (cut >= 0) {
      if (depth <= MAX_BLOCK_DEPTH) {
        errors.push({ message: `blocks nested more than ${MAX_BLOCK_DEPTH} deep: skipped up to the matching \`}\``, span: tokenSpan(tokens[cut]!) });
        cut = -1;
      }
      continue;
    }
    if (depth > MAX_BLOCK_DEPTH) {
      cut = i;
      continue;
    }
    out.push(t);
  }
  if (cut >= 0) errors.push({ message: `blocks nested more than ${MAX_BLOCK_DEPTH} deep and never closed`, span: tokenSpan(tokens[cut]!) });
  return out;
}

/**
 * Parses a `.cnet` text. Never throws: errors are in `Document.errors`.
 *
 * The file is parsed one top-level region at a time (`splitRegions`): a
 * region starts at a line whose first token is `topology`, `underlay`,
 * `host` or `expect` outside any `{ … }`. Every body of the grammar stops
 * at those words, so the parser is at the top level there whatever came
 * before; a region that still ends half-way (an error at its end, where the
 * whole file would have shown the next region's first word) is parsed again
 * together with the next one. This is what lets the editor reparse only the
 * regions an edit touched (`IncrementalParser`, incremental.ts) and get the
 * same `Document` as `parse()`.
 */
export function parse(text: string): Document {
  try {
    return assemble(text, parseRange(text, true));
  } catch (e) {
    return { text, decls: [], comments: [], errors: [internalError(e, text)] };
  }
}

/** The whole text through the parser in one go (no regions): the reference `parse()` is tested against. */
export function parseWhole(text: string): Document {
  try {
    const lexed = lexRegion(text, 0, text.length);
    const r = parseRegion(text, lexed.tokens, lexed.comments, lexed.errors, 0, text.length);
    return { text, decls: r.decls, comments: r.comments, errors: tidy(r.errors, text.length) };
  } catch (e) {
    return { text, decls: [], comments: [], errors: [internalError(e, text)] };
  }
}

function internalError(e: unknown, text: string): SyntaxError {
  const msg = e instanceof Error ? e.message : String(e);
  return { message: `internal parser error: ${msg}`, span: { start: 0, end: Math.min(1, text.length) } };
}

/** Tokens, comments and lexer errors of text[start, end), at absolute offsets. */
export interface Lexed {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly errors: { offset: number; length: number }[];
}

/** Lexes text[start, end) (a run of whole lines) with offsets into `text` (lexer.ts: what `cnetLexer` gives, faster). */
export function lexRegion(text: string, start: number, end: number): Lexed {
  return fastLex(text, start, end);
}

/** One parsed top-level region: its share of the `Document`, at absolute offsets. */
export interface Region {
  /** offset of the region's first line in the text */
  readonly start: number;
  /** offset of the next region's first line (or the end of the text) */
  readonly end: number;
  readonly decls: Decl[];
  readonly comments: Comment[];
  readonly errors: SyntaxError[];
  /** an error at the region's last token (the whole file would have shown the next region's first word there) */
  readonly atEnd: boolean;
  /** an error message names a line number (it must be recomputed when the region moves across lines) */
  readonly lineDependent: boolean;
  /** the region's tokens (comments included, newlines excluded): [start - region start, length, kind] triples */
  readonly tokens: Int32Array;
  /** how its `{`/`}` move the brace depth (`braceProfile`) */
  readonly braces: BraceProfile;
  /** a missing-`}` error found none of the region's own `{` open: after braces left open before it, the message would name one of those */
  readonly outerBrace: boolean;
  /** the brace depth left open before the region when it was parsed */
  readonly depthIn: number;
  /** merged with the region before it because of the braces left open before that one (`parseLexed`) */
  readonly depthMerged: boolean;
}

/**
 * The brace depth through a region's tokens, counted as `flattenDeepBlocks`
 * and `regionStarts` do (a `}` at depth 0 changes nothing). With `sum`,
 * `minSum`, `maxSum` the final, least and greatest prefix sums of +1/-1
 * without the floor at 0, and `maxFrom0` the greatest depth from 0 with the
 * floor, the region entered at depth d leaves at
 * max(d + sum, sum - minSum) and reaches at most max(d + maxSum, maxFrom0).
 */
export interface BraceProfile {
  readonly sum: number;
  readonly minSum: number;
  readonly maxSum: number;
  readonly maxFrom0: number;
}

export function braceProfile(tokens: readonly IToken[]): BraceProfile {
  let sum = 0;
  let minSum = 0;
  let maxSum = 0;
  let depth = 0;
  let maxFrom0 = 0;
  for (const t of tokens) {
    if (t.tokenType === T.LCurly) {
      sum++;
      depth++;
      if (sum > maxSum) maxSum = sum;
      if (depth > maxFrom0) maxFrom0 = depth;
    } else if (t.tokenType === T.RCurly) {
      sum--;
      if (sum < minSum) minSum = sum;
      if (depth > 0) depth--;
    }
  }
  return { sum, minSum, maxSum, maxFrom0 };
}

/** the brace depth after a region entered at depth `d` */
export function depthAfter(d: number, b: BraceProfile): number {
  return Math.max(d + b.sum, b.sum - b.minSum);
}

/**
 * Whether a region parsed on its own is what the whole text would give for
 * it, entered at brace depth `d` (the braces earlier regions left open). The
 * parser itself is at the top level at every region's first word whatever
 * the depth (every body stops at those words; a region ending half-way is
 * merged forward), so the braces left open only matter to what scans the
 * tokens: the missing-`}` message (which names the innermost open `{`) and
 * the cut of blocks nested deeper than MAX_BLOCK_DEPTH.
 */
export function fitsAtDepth(r: Region, d: number): boolean {
  return d === 0 || (!r.outerBrace && Math.max(d + r.braces.maxSum, r.braces.maxFrom0) <= MAX_BLOCK_DEPTH);
}

/** a region that ends half-way is merged with the next one at most this many times, then with all the rest */
const MAX_MERGES = 8;

const regionWords = new Set<TokenType>([T.Topology, T.Underlay, T.Host, T.Expect]);

/**
 * Indices of the tokens that could start a region (the first token always
 * does): a region word first on its line, whatever the brace depth —
 * `parseLexed` merges a region that does not fit the braces left open
 * before it (`fitsAtDepth`) with the one before.
 */
export function regionStarts(tokens: readonly IToken[]): number[] {
  const out = [0];
  for (let i = 1; i < tokens.length; i++) {
    if (regionWords.has(tokens[i]!.tokenType) && tokens[i - 1]!.tokenType === T.Newline) out.push(i);
  }
  return out;
}

/** brace depth after `tokens` (as `flattenDeepBlocks` counts it), starting from 0 */
export function braceDepth(tokens: readonly IToken[]): number {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === T.LCurly) depth++;
    else if (t.tokenType === T.RCurly && depth > 0) depth--;
  }
  return depth;
}

/**
 * text[from, to) lexed lazily, one region at a time (a region starts at a
 * token that `regionStarts` would pick). A region's tokens, comments and
 * lexer errors are kept until no later region can need them (`release`),
 * so on a large file they die young instead of all living until the end of
 * the parse.
 */
class RegionSource {
  private readonly cursor: LexCursor;
  /** per region: its tokens, comments and lexer errors (undefined once released) */
  private readonly tokens: (IToken[] | undefined)[] = [];
  private readonly comments: (IToken[] | undefined)[] = [];
  private readonly errors: ({ offset: number; length: number }[] | undefined)[] = [];
  /** bounds[k]: the offset of region k's first line (bounds[0] = from) */
  private readonly bounds: number[];
  private done = false;
  private prevNewline = false;
  private released = 0;

  constructor(
    private readonly text: string,
    from: number,
    private readonly to: number,
  ) {
    this.cursor = new LexCursor(text, from, to);
    this.bounds = [from];
    this.open();
  }

  private open(): void {
    const comments: IToken[] = [];
    const errors: { offset: number; length: number }[] = [];
    this.tokens.push([]);
    this.comments.push(comments);
    this.errors.push(errors);
    this.cursor.comments = comments;
    this.cursor.errors = errors;
  }

  /** lexes on until region k is whole (region k + 1 has started) or the text ends */
  private fill(k: number): void {
    while (!this.done && this.tokens.length <= k + 1) {
      const t = this.cursor.next();
      if (t === undefined) {
        this.done = true;
        break;
      }
      const n = this.tokens.length - 1;
      if (this.prevNewline && regionWords.has(t.tokenType)) {
        // a new region from the start of this line: what the lexer found on the line before the word moves with it
        const bound = lineStart(this.text, t.startOffset);
        const oldComments = this.comments[n]!;
        const oldErrors = this.errors[n]!;
        this.bounds.push(bound);
        this.open();
        moveTail(oldComments, this.comments[n + 1]!, (c) => c.startOffset >= bound);
        moveTail(oldErrors, this.errors[n + 1]!, (e) => e.offset >= bound);
        this.tokens[n + 1]!.push(t);
      } else this.tokens[n]!.push(t);
      this.prevNewline = t.tokenType === T.Newline;
    }
  }

  /** whether region k exists */
  has(k: number): boolean {
    this.fill(k);
    return k < this.tokens.length;
  }

  /** where region k starts (the end of the text for k past the last region) */
  bound(k: number): number {
    this.fill(k - 1);
    return k < this.bounds.length ? this.bounds[k]! : this.to;
  }

  /** the number of regions (lexes to the end) */
  count(): number {
    this.fill(Infinity);
    return this.tokens.length;
  }

  tokensOf(k: number, m: number): IToken[] {
    this.fill(m - 1);
    return gather(this.tokens, k, m);
  }

  commentsOf(k: number, m: number): IToken[] {
    this.fill(m - 1);
    return gather(this.comments, k, m);
  }

  errorsOf(k: number, m: number): { offset: number; length: number }[] {
    this.fill(m - 1);
    return gather(this.errors, k, m);
  }

  /** regions before k will not be asked for again */
  release(k: number): void {
    for (; this.released < k; this.released++) {
      this.tokens[this.released] = this.comments[this.released] = this.errors[this.released] = undefined;
    }
  }
}

keepShape(new RegionSource('', 0, 0));

function moveTail<X>(from: X[], to: X[], moves: (x: X) => boolean): void {
  let i = from.length;
  while (i > 0 && moves(from[i - 1]!)) i--;
  for (let j = i; j < from.length; j++) to.push(from[j]!);
  from.length = i;
}

function gather<X>(lists: readonly (X[] | undefined)[], k: number, m: number): X[] {
  if (m === k + 1) return lists[k]!;
  const out: X[] = [];
  for (let i = k; i < m; i++) for (const x of lists[i]!) out.push(x);
  return out;
}

/** the first token of text[from, to), if any */
export function firstToken(text: string, from: number, to: number): IToken | undefined {
  return new LexCursor(text, from, to).next();
}

/**
 * Lexes and parses text[from, to) region by region. `last`: `to` is the end of
 * the text (the final region may end in an error; others are merged forward).
 * `depthIn`: the brace depth the regions before `from` left open. A region
 * that does not fit the depth left open before it (`fitsAtDepth`) is parsed
 * again together with the one before it, which gives what one region
 * spanning both would; the first region is the caller's to check (it may
 * have to start the run earlier).
 */
export function parseRange(text: string, last: boolean, from = 0, to = text.length, depthIn = 0): Region[] {
  const src = new RegionSource(text, from, to);
  const out: Region[] = [];
  /** per region of `out`: the index of its first source region */
  const firsts: number[] = [];
  let depth = depthIn;
  let k = 0;
  while (src.has(k)) {
    // regions k .. m-1, merged while a region ends in an error
    let m = k + 1;
    let merges = 0;
    for (;;) {
      const end = src.bound(m);
      let r = parseRegion(text, src.tokensOf(k, m), src.commentsOf(k, m), src.errorsOf(k, m), src.bound(k), end, depth);
      const final = !src.has(m);
      if (r.atEnd && !final) {
        // half-way at the region's end: parse it again with the next region (after MAX_MERGES tries, with all the rest)
        if (++merges < MAX_MERGES) m++;
        else if (last) m = src.count();
        else {
          out.push(r); // the caller must extend the lexed run to the end of the text
          return out;
        }
        continue;
      }
      // braces left open before it change what this region says: one region with the one before
      let first = k;
      while (out.length > 0 && !fitsAtDepth(r, r.depthIn)) {
        const prev = out.pop()!;
        first = firsts.pop()!;
        r = parseRegion(text, src.tokensOf(first, m), src.commentsOf(first, m), src.errorsOf(first, m), prev.start, end, prev.depthIn, true);
      }
      out.push(r);
      firsts.push(first);
      // a region entered at depth 0 is never merged with the ones before it
      if (r.depthIn === 0) src.release(first);
      depth = depthAfter(r.depthIn, r.braces);
      if (r.atEnd && final && !last) return out; // the caller must extend the lexed run
      break;
    }
    k = m;
  }
  return out;
}

/** Parses one region's tokens. */
export function parseRegion(
  text: string,
  tokens: IToken[],
  commentTokens: readonly IToken[],
  lexErrorsRaw: readonly { offset: number; length: number }[],
  start: number,
  end: number,
  depthIn = 0,
  depthMerged = false,
): Region {
  /** `origin`: where the parser was when it found the error (the span may point before it) */
  const errors: (SyntaxError & { origin?: number })[] = [];
  const comments = commentTokens.map((t) => ({ text: t.image, span: tokenSpan(t) }));
  const lexErrors: SyntaxError[] = [];
  for (const e of lexErrorsRaw) {
    const bad = text.slice(e.offset, e.offset + e.length);
    const shown = bad.length > 20 ? bad.slice(0, 19) + '…' : bad;
    lexErrors.push({
      message: `unexpected character${bad.length > 1 ? 's' : ''} \`${shown}\``,
      span: { start: e.offset, end: e.offset + Math.max(1, e.length) },
    });
  }
  let decls: Decl[] = [];
  let atEnd = false;
  const lineDep = { used: false, outerBrace: false };
  const p = parser();
  try {
    p.arm(flattenDeepBlocks(tokens, lexErrors));
    decls = p.document();
    for (const e of p.builder.errors) errors.push(e);
    for (const e of p.grammarErrors) errors.push({ message: e.message, span: tokenSpan(e.token) });
    let eofReported = false;
    for (const e of p.errors) {
      const placed = placeParserError(e, tokens, text, lineDep);
      if (placed.atEof) {
        atEnd = true;
        if (eofReported) continue;
        eofReported = true;
      }
      errors.push({ ...placed.error, origin: isReal(e.token) ? e.token.startOffset : text.length });
    }
  } finally {
    p.arm([]); // do not keep the last document's tokens alive
  }
  // A bad character is the cause of whatever else goes wrong later on its line.
  const brokenLines = new Map<number, number>();
  for (const e of lexErrors) {
    const ls = lineStart(text, e.span.start);
    if (!brokenLines.has(ls)) brokenLines.set(ls, e.span.start);
  }
  if (brokenLines.size) {
    for (let i = errors.length - 1; i >= 0; i--) {
      const at = errors[i]!.origin ?? errors[i]!.span.start;
      const first = brokenLines.get(lineStart(text, at));
      if (first !== undefined && first < at) errors.splice(i, 1);
    }
  }
  errors.push(...lexErrors);
  return {
    start,
    end,
    decls,
    comments,
    errors: errors.map((e) => ({ message: e.message, span: e.span })),
    atEnd,
    lineDependent: lineDep.used,
    tokens: compactTokens(tokens, commentTokens, start),
    braces: braceProfile(tokens),
    outerBrace: lineDep.outerBrace,
    depthIn,
    depthMerged,
  };
}

const KINDS: readonly TokenKind[] = ['keyword', 'identifier', 'address', 'prefix', 'integer', 'string', 'comment', 'operator', 'punctuation', 'bool'];
const KIND_INDEX = new Map<TokenKind, number>(KINDS.map((k, i) => [k, i]));

/** KIND_INDEX of kindOf by tokenTypeIdx (-1: no kind), Ipv6 apart (its kind depends on its text) */
const kindByType: number[] = [];
for (const t of T.allTokens) {
  const k = t === T.Ipv6 ? undefined : kindOf(t, '');
  kindByType[t.tokenTypeIdx!] = k === undefined ? -1 : KIND_INDEX.get(k)!;
}

function kindIndex(t: IToken): number {
  if (t.tokenType === T.Ipv6) return KIND_INDEX.get(kindOf(t.tokenType, t.image)!)!;
  return kindByType[t.tokenTypeIdx] ?? KIND_INDEX.get(kindOf(t.tokenType, t.image) ?? 'keyword')!;
}

function compactTokens(tokens: readonly IToken[], comments: readonly IToken[], base: number): Int32Array {
  let kept = comments.length;
  for (const t of tokens) if (t.tokenType !== T.Newline) kept++;
  const out = new Int32Array(kept * 3);
  let n = 0;
  let ci = 0;
  const put = (t: IToken) => {
    const kind = kindIndex(t);
    if (kind < 0) return;
    out[n++] = t.startOffset - base;
    out[n++] = t.image.length;
    out[n++] = kind;
  };
  for (const t of tokens) {
    while (ci < comments.length && comments[ci]!.startOffset < t.startOffset) put(comments[ci++]!);
    put(t);
  }
  while (ci < comments.length) put(comments[ci++]!);
  return n === out.length ? out : out.slice(0, n);
}

/** The `Document` of a text from its regions, in order. */
export function assemble(text: string, regions: readonly Region[]): Document {
  const decls: Decl[] = [];
  const comments: Comment[] = [];
  const errors: SyntaxError[] = [];
  for (const r of regions) {
    for (const d of r.decls) decls.push(d);
    for (const c of r.comments) comments.push(c);
    for (const e of r.errors) errors.push(e);
  }
  const doc: Document = { text, decls, comments, errors: tidy(errors, text.length) };
  streams.set(doc, regions);
  return doc;
}

const streams = new WeakMap<Document, readonly Region[]>();

/** A document's tokens, as `parse()` lexed them. */
export interface TokenStream {
  /** [start, length, kind index into `kinds`] triples, in source order (comments included, newlines excluded) */
  readonly data: Int32Array;
  readonly kinds: readonly TokenKind[];
}

/**
 * The tokens `parse()` (or the incremental parser) lexed for `doc`, without
 * lexing again; undefined for a document that did not come from them.
 */
export function tokenStream(doc: Document): TokenStream | undefined {
  const regions = streams.get(doc);
  if (!regions) return undefined;
  let total = 0;
  for (const r of regions) total += r.tokens.length;
  const data = new Int32Array(total);
  let n = 0;
  for (const r of regions) {
    const t = r.tokens;
    for (let i = 0; i < t.length; i += 3) {
      data[n++] = t[i]! + r.start;
      data[n++] = t[i + 1]!;
      data[n++] = t[i + 2]!;
    }
  }
  return { data, kinds: KINDS };
}

/** Sorted by position; one error per start offset; spans clamped into the text. */
function tidy(errors: SyntaxError[], length: number): SyntaxError[] {
  const clamp = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.min(length, n)) : 0);
  const fixed = errors.map((e) => {
    const start = clamp(e.span.start);
    return { message: e.message, span: { start, end: Math.max(start, clamp(e.span.end)) } };
  });
  fixed.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const out: SyntaxError[] = [];
  for (const e of fixed) {
    const last = out[out.length - 1];
    if (last && last.span.start === e.span.start) continue;
    out.push(e);
  }
  return out;
}

interface Placed {
  readonly error: SyntaxError;
  readonly atEof: boolean;
}

function placeParserError(e: IRecognitionException, tokens: IToken[], text: string, lineDep: { used: boolean; outerBrace: boolean }): Placed {
  const t = e.token;
  const atEof = !t || t.tokenType === EOF || !isReal(t);
  let message = e.message;

  if (message.startsWith(MISSING_RCURLY)) {
    const open = innermostUnclosed(tokens, atEof ? Infinity : t.startOffset);
    if (!open) lineDep.outerBrace = true;
    if (atEof && open) {
      return { atEof, error: { message: `${blockOf(tokens, open)} is never closed: expected \`}\` before the end of the file`, span: tokenSpan(open) } };
    }
    if (!atEof) {
      if (open) lineDep.used = true;
      const where = open ? ` (${blockOf(tokens, open)} opened on line ${lineOf(text, open.startOffset)})` : '';
      return { atEof, error: { message: `expected \`}\` before ${show(t)} to close ${open ? 'the block' : 'a block'}${where}`, span: tokenSpan(t) } };
    }
  }
  if (!atEof && t.tokenType === T.Ipv6) {
    return { atEof, error: { message: `IPv6 is not supported: \`${t.image}\` (cnet models IPv4 networks only)`, span: tokenSpan(t) } };
  }
  if (!atEof && / name\b/.test(message) && tokenMatcher(t, T.Keyword)) {
    message += ` (\`${t.image}\` is a keyword and cannot be used as a name)`;
  }
  // At a line end, a brace or the end of the file, point at what came before:
  // "expected a number after `mtu`" is about the `mtu`.
  const pointBefore = atEof || tokenMatcher(t, T.Sep) || t.tokenType === T.RCurly || t.tokenType === T.LCurly;
  if (!pointBefore) return { atEof, error: { message, span: tokenSpan(t) } };
  const prev = (e as { previousToken?: IToken }).previousToken;
  if (isReal(prev) && !tokenMatcher(prev, T.Newline)) return { atEof, error: { message, span: tokenSpan(prev) } };
  const before = lastRealBefore(tokens, atEof ? text.length : t.startOffset);
  if (before) return { atEof, error: { message, span: tokenSpan(before) } };
  if (!atEof) return { atEof, error: { message, span: tokenSpan(t) } };
  return { atEof, error: { message, span: { start: text.length, end: text.length } } };
}

/** the last non-newline token starting before `offset` (binary search; tokens are sorted) */
function lastRealBefore(tokens: IToken[], offset: number): IToken | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0; i--) if (!tokenMatcher(tokens[i]!, T.Newline)) return tokens[i];
  return undefined;
}

/** the innermost `{` still open just before `offset` (tokens are sorted) */
function innermostUnclosed(tokens: IToken[], offset: number): IToken | undefined {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.startOffset >= offset) break;
    if (t.tokenType === T.LCurly) stack.push(t);
    else if (t.tokenType === T.RCurly) stack.pop();
  }
  return stack[stack.length - 1];
}

const blockKeywords = new Set<TokenType>([T.Underlay, T.Overlay, T.Host, T.Bridge, T.Container]);

/**
 * "the block of host `core-01`" for the `{` token `open`. The look back
 * stops at a line-first region word: what comes before one is another
 * region, whether the tokens are a region's or the whole file's.
 */
function blockOf(tokens: IToken[], open: IToken): string {
  const i = tokens.indexOf(open);
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
    const t = tokens[j]!;
    if (t.tokenType === T.Newline && j + 1 < i && regionWords.has(tokens[j + 1]!.tokenType)) break;
    if (blockKeywords.has(t.tokenType)) {
      const name = tokens[j + 1];
      return name && name !== open && tokenMatcher(name, T.Name) ? `the block of ${t.image} \`${name.image}\`` : `the ${t.image} block`;
    }
  }
  return 'this block';
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

// ---------------------------------------------------------------------------
// lex()

export type TokenKind = 'keyword' | 'identifier' | 'address' | 'prefix' | 'integer' | 'string' | 'comment' | 'operator' | 'punctuation' | 'bool';

export interface LexedToken {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
}

function kindOf(type: TokenType, image: string): TokenKind | undefined {
  switch (type) {
    case T.Newline:
      return undefined;
    case T.Comment:
      return 'comment';
    case T.Identifier:
      return 'identifier';
    case T.Address:
      return 'address';
    case T.Prefix:
      return 'prefix';
    case T.Ipv6:
      return image.includes('/') ? 'prefix' : 'address';
    case T.Integer:
      return 'integer';
    case T.StringTok:
    case T.UnterminatedString:
      return 'string';
    case T.True:
    case T.False:
      return 'bool';
    case T.Arrow:
    case T.NotArrow:
      return 'operator';
    case T.Colon:
    case T.Comma:
    case T.Semicolon:
    case T.Slash:
    case T.LCurly:
    case T.RCurly:
      return 'punctuation';
    default:
      return 'keyword';
  }
}

/**
 * Every token of `text` in source order, comments included, newlines
 * excluded. Characters the lexer cannot read are skipped (parse() reports them).
 */
export function lex(text: string): LexedToken[] {
  try {
    const lexed = fastLex(text);
    const all = [...lexed.tokens, ...lexed.comments].sort((a, b) => a.startOffset - b.startOffset);
    const out: LexedToken[] = [];
    for (const t of all) {
      const kind = kindOf(t.tokenType, t.image);
      if (kind) out.push({ kind, text: t.image, span: tokenSpan(t) });
    }
    return out;
  } catch {
    return [];
  }
}
