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
import { AstBuilder, isReal, tokenSpan } from './build';
import { CnetParser, MISSING_RCURLY, show } from './grammar';
import * as T from './tokens';

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

/** Parses a `.cnet` text. Never throws: errors are in `Document.errors`. */
export function parse(text: string): Document {
  let decls: Decl[] = [];
  let comments: Comment[] = [];
  /** `origin`: where the parser was when it found the error (the span may point before it) */
  const errors: (SyntaxError & { origin?: number })[] = [];
  try {
    const lexed = T.cnetLexer.tokenize(text);
    comments = (lexed.groups['comments'] ?? []).map((t) => ({ text: t.image, span: tokenSpan(t) }));
    const lexErrors: SyntaxError[] = [];
    for (const e of lexed.errors) {
      const bad = text.slice(e.offset, e.offset + e.length);
      const shown = bad.length > 20 ? bad.slice(0, 19) + '…' : bad;
      lexErrors.push({
        message: `unexpected character${bad.length > 1 ? 's' : ''} \`${shown}\``,
        span: { start: e.offset, end: e.offset + Math.max(1, e.length) },
      });
    }

    const p = parser();
    p.arm(flattenDeepBlocks(lexed.tokens, lexErrors));
    const cst = p.document();
    const builder = new AstBuilder();
    decls = builder.document(cst);

    for (const e of builder.errors) errors.push(e);
    for (const e of p.grammarErrors) errors.push({ message: e.message, span: tokenSpan(e.token) });
    let eofReported = false;
    for (const e of p.errors) {
      const placed = placeParserError(e, lexed.tokens, text);
      if (placed.atEof) {
        if (eofReported) continue;
        eofReported = true;
      }
      errors.push({ ...placed.error, origin: isReal(e.token) ? e.token.startOffset : text.length });
    }
    p.arm([]); // do not keep the last document's tokens alive
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
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    errors.push({ message: `internal parser error: ${msg}`, span: { start: 0, end: Math.min(1, text.length) } });
  }
  return { text, decls, comments, errors: tidy(errors, text.length) };
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

function placeParserError(e: IRecognitionException, tokens: IToken[], text: string): Placed {
  const t = e.token;
  const atEof = !t || t.tokenType === EOF || !isReal(t);
  let message = e.message;

  if (message.startsWith(MISSING_RCURLY)) {
    const open = innermostUnclosed(tokens, atEof ? Infinity : t.startOffset);
    if (atEof && open) {
      return { atEof, error: { message: `${blockOf(tokens, open)} is never closed: expected \`}\` before the end of the file`, span: tokenSpan(open) } };
    }
    if (!atEof) {
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

/** "the block of host `core-01`" for the `{` token `open` */
function blockOf(tokens: IToken[], open: IToken): string {
  const i = tokens.indexOf(open);
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
    const t = tokens[j]!;
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
    const lexed = T.cnetLexer.tokenize(text);
    const all = [...lexed.tokens, ...(lexed.groups['comments'] ?? [])].sort((a, b) => a.startOffset - b.startOffset);
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
