/**
 * Semantic tokens: what only the analysis knows, colour by meaning. Names are
 * typed by what they denote (host, bridge, container, overlay, underlay) with
 * `declaration` on their declaring occurrence; keywords, addresses,
 * prefixes, ports and values come from the AST's own spans. Comments and
 * punctuation are left to the TextMate grammar.
 */
import type { Range, SemanticTokens, SemanticTokensDelta, SemanticTokensLegend } from 'vscode-languageserver';
import type * as ast from '../core/syntax/ast';
import { lex, tokenStream } from '../core/syntax/parser';
import { never, pacer, runSteps, validSpan, type Snapshot } from './snapshot';
import { keepShape } from '../core/shapes';

export const TOKEN_TYPES = ['host', 'bridge', 'container', 'overlay', 'underlay', 'keyword', 'number', 'string', 'address', 'prefix', 'port', 'enumMember', 'operator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/**
 * The tokens of a snapshot, in the order they are encoded: by start, the
 * longer first, occurrences before AST tokens of the same span (a stable
 * sort of occurrences then AST tokens), with the token-stream keywords
 * merged in. Parallel typed arrays, not objects: at 10,000 containers there
 * are ~100k tokens and objects (and sorting them) cost most of the request.
 * `meta` is the type index | mods << 8.
 */
export interface CollectedTokens {
  readonly length: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly meta: Int32Array;
}

const mod = (m: TokenModifier) => 1 << TOKEN_MODIFIERS.indexOf(m);
const TYPE_INDEX = new Map<TokenType, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const T = (t: TokenType): number => TYPE_INDEX.get(t)!;
const KEYWORD = T('keyword');
const ENUM = T('enumMember');
const NUMBER = T('number');
const STRING = T('string');
const ADDRESS = T('address');
const PREFIX = T('prefix');
const PORT = T('port');
const OPERATOR = T('operator');
/** by type index: a keyword or literal type, which a TextMate grammar colours as well (SnapshotOptions.lexicalTokens) */
const LEXICAL: readonly boolean[] = TOKEN_TYPES.map((t) => ['keyword', 'number', 'string', 'address', 'prefix', 'port', 'operator'].includes(t));
const DECLARATION = mod('declaration');
const DEFAULT_LIBRARY = mod('defaultLibrary');

/** a growable column store of (start, end, meta) */
class TokenBuffer {
  length = 0;
  start: Int32Array;
  end: Int32Array;
  meta: Int32Array;
  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.start = new Int32Array(c);
    this.end = new Int32Array(c);
    this.meta = new Int32Array(c);
  }
  push(start: number, end: number, meta: number): void {
    if (this.length === this.start.length) this.grow();
    const n = this.length++;
    this.start[n] = start;
    this.end[n] = end;
    this.meta[n] = meta;
  }
  private grow(): void {
    const c = this.start.length * 2;
    const s = new Int32Array(c);
    s.set(this.start);
    const e = new Int32Array(c);
    e.set(this.end);
    const m = new Int32Array(c);
    m.set(this.meta);
    this.start = s;
    this.end = e;
    this.meta = m;
  }
  /** this buffer's tokens stably sorted by (start ascending, end descending) */
  sorted(): TokenBuffer {
    const n = this.length;
    const s = this.start;
    const e = this.end;
    let ok = true;
    for (let i = 1; i < n && ok; i++) ok = s[i - 1]! < s[i]! || (s[i - 1] === s[i] && e[i - 1]! >= e[i]!);
    if (ok) return this;
    const order: number[] = [];
    for (let i = 0; i < n; i++) order.push(i);
    order.sort((a, b) => s[a]! - s[b]! || e[b]! - e[a]! || a - b);
    const out = new TokenBuffer(n);
    for (const i of order) out.push(s[i]!, e[i]!, this.meta[i]!);
    return out;
  }
}
// a buffer lives only while one request is answered (core/shapes.ts)
keepShape(new TokenBuffer(0));

export function collectTokens(snap: Snapshot): CollectedTokens {
  return snap.memo('semanticTokens', () => runSteps(collect(snap)));
}

/** a span a token can be made of: valid and not empty */
const ok = (span: ast.Span | undefined): span is ast.Span => validSpan(span) && span.end > span.start;

/** the collection, in steps (it yields when `due()`; see semanticTokensSteps) */
function* collect(snap: Snapshot, due: () => boolean = never): Generator<void, CollectedTokens> {
  const occ = yield* snap.occurrenceSteps(due);
  // occurrences: sorted by (start, end ascending); re-sorted (stably) below only if two share a start
  const names = new TokenBuffer(occ.length);
  for (let i = 0; i < occ.length; i++) {
    const o = occ[i]!;
    const s = o.symbol;
    let mods = o.decl ? DECLARATION : 0;
    if (s.kind === 'bridge' && s.isDefault) mods |= DEFAULT_LIBRARY;
    if (ok(o.span)) names.push(o.span.start, o.span.end, T(s.kind) | (mods << 8));
    if ((i & 1023) === 1023 && due()) yield;
  }
  const lits = new TokenBuffer(occ.length);
  // keywords and literals are left to the client's grammar when it has one (SnapshotOptions.lexicalTokens)
  const lexical = snap.options.lexicalTokens !== false;
  const wanted = (type: number) => lexical || !LEXICAL[type];
  const add = (span: ast.Span | undefined, type: number, mods = 0) => {
    if (ok(span) && wanted(type)) lits.push(span.start, span.end, type | (mods << 8));
  };
  const addr = (a: ast.AddressLit | undefined) => add(a?.span, ADDRESS);
  const prefix = (p: ast.PrefixLit | undefined) => add(p?.span, PREFIX);
  const port = (p: ast.PortLit) => {
    add(p.port.span, PORT);
    if (p.protocol) add(p.protocol.span, ENUM);
  };
  const value = (w: ast.Word | ast.BoolLit | undefined) => add(w?.span, ENUM);
  const props = (list: readonly { kind: string; keyword: ast.Span }[]) => {
    for (const p of list as readonly (ast.UnderlayProp | ast.OverlayProp | ast.HostProp | ast.BridgeProp | ast.ContainerProp)[]) {
      add(p.keyword, KEYWORD);
      switch (p.kind) {
        case 'mtu':
        case 'subnet-length':
          add(p.value.span, NUMBER);
          break;
        case 'uplink':
          value(p.mode);
          break;
        case 'subnet':
          prefix(p.prefix);
          break;
        case 'driver':
          value(p.driver);
          break;
        case 'backend':
          value(p.backend);
          break;
        case 'masquerade':
        case 'internal':
        case 'userland-proxy':
        case 'icc':
          value(p.value);
          break;
        case 'vlan':
          add(p.id.span, NUMBER);
          prefix(p.prefix);
          break;
        case 'address':
        case 'gateway':
        case 'ip':
          addr(p.address);
          break;
        case 'expose':
          p.ports.forEach(port);
          break;
        case 'image':
          add(p.image.span, STRING);
          break;
        case 'publish':
          addr(p.publish.hostIp);
          add(p.publish.hostPort.span, PORT);
          add(p.publish.containerPort.span, PORT);
          if (p.publish.protocol) add(p.publish.protocol.span, ENUM);
          break;
        case 'network':
          if (p.mode === 'host' || p.mode === 'none') add(p.modeSpan, ENUM);
          if (p.vlan) add(p.vlan.span, NUMBER);
          addr(p.ip);
          break;
        case 'overlay':
        case 'link':
          break;
      }
    }
  };
  let walked = 0;
  for (const d of snap.analysis.document.decls) {
    if ((++walked & 127) === 0 && due()) yield;
    add(d.keyword, KEYWORD);
    switch (d.kind) {
      case 'topology':
        add(d.title?.span, STRING);
        break;
      case 'underlay':
        prefix(d.prefix);
        props(d.props);
        break;
      case 'overlay':
        props(d.props);
        break;
      case 'host':
        props(d.props);
        for (const b of d.bridges) {
          add(b.keyword, KEYWORD);
          props(b.props);
        }
        for (const c of d.containers) {
          add(c.keyword, KEYWORD);
          props(c.props);
          if ((++walked & 127) === 0 && due()) yield;
        }
        break;
      case 'expect':
        add(d.arrow, OPERATOR);
        if (d.port) port(d.port);
        break;
    }
  }
  if (due()) yield;
  // a stable sort of names then literals by (start, end descending): each run sorted, then merged (names first on a tie)
  const out = merge(names.sorted(), lits.sorted());
  if (due()) yield;
  // keywords the AST keeps no span for (`on`, `as`, `vlan`/`ip` after `network`, …) and `internet`,
  // from the parse's own token stream (no second lexing); both lists are in source order, merged
  const extra = new TokenBuffer(1024);
  let j = 0;
  const text = snap.text;
  const consider = (start: number, end: number, kind: string) => {
    while (j < out.length && out.start[j]! < start) j++;
    if (j < out.length && out.start[j] === start) return; // covered
    if (kind === 'keyword') {
      if (wanted(KEYWORD)) extra.push(start, end, KEYWORD);
    } else if (kind === 'bool') extra.push(start, end, ENUM);
    else if (kind === 'identifier' && end - start === 8 && text.startsWith('internet', start)) extra.push(start, end, ENUM | (DEFAULT_LIBRARY << 8));
  };
  const stream = tokenStream(snap.analysis.document);
  if (stream) {
    const d = stream.data;
    const kinds = stream.kinds;
    for (let i = 0; i < d.length; i += 3) {
      const k = kinds[d[i + 2]!]!;
      if (k === 'keyword' || k === 'bool' || k === 'identifier') consider(d[i]!, d[i]! + d[i + 1]!, k);
      if (i % 12288 === 12285 && due()) yield;
    }
  } else {
    for (const t of snap.memo('lex', () => lex(snap.text))) consider(t.span.start, t.span.end, t.kind);
  }
  // (no extra token starts where an `out` token does)
  return extra.length ? merge(out, extra) : out;
}

/** Two runs sorted by (start, end descending) merged into one, `x`'s token first on a tie. */
function merge(x: TokenBuffer, y: TokenBuffer): TokenBuffer {
  const out = new TokenBuffer(x.length + y.length);
  let a = 0;
  let b = 0;
  while (a < x.length && b < y.length) {
    const xs = x.start[a]!;
    const ys = y.start[b]!;
    if (xs < ys || (xs === ys && x.end[a]! >= y.end[b]!)) {
      out.push(xs, x.end[a]!, x.meta[a]!);
      a++;
    } else {
      out.push(ys, y.end[b]!, y.meta[b]!);
      b++;
    }
  }
  for (; a < x.length; a++) out.push(x.start[a]!, x.end[a]!, x.meta[a]!);
  for (; b < y.length; b++) out.push(y.start[b]!, y.end[b]!, y.meta[b]!);
  return out;
}

/**
 * The LSP encoding of the tokens in [from, to), as integers (5 a token):
 * one pass in offset order with a line cursor (no per-token search).
 */
function encode(snap: Snapshot, from: number, to: number): Int32Array {
  return runSteps(encodeSteps(snap, from, to, never));
}

/** `encode` in steps (it yields when `due()`) */
function* encodeSteps(snap: Snapshot, from: number, to: number, due: () => boolean): Generator<void, Int32Array> {
  const toks = collectTokens(snap);
  const lines = snap.lines;
  const lineCount = lines.lineCount;
  const ts = toks.start;
  const te = toks.end;
  const tm = toks.meta;
  const data = new Int32Array(toks.length * 5);
  let k = 0;
  let prevLine = 0;
  let prevChar = 0;
  let lastEnd = -1;
  let line = 0;
  let lineStart = 0;
  let nextStart = lineCount > 1 ? lines.lineStart(1) : Infinity;
  for (let i = 0; i < toks.length; i++) {
    const start = ts[i]!;
    const end = te[i]!;
    if (end <= from || start >= to) continue;
    if (start < lastEnd) continue; // overlapping (e.g. an occurrence inside a literal): first wins
    while (start >= nextStart) {
      line++;
      lineStart = nextStart;
      nextStart = line + 1 < lineCount ? lines.lineStart(line + 1) : Infinity;
    }
    if (end >= nextStart) continue; // tokens never span lines in cnet; guard anyway
    const character = start - lineStart;
    const m = tm[i]!;
    data[k++] = line - prevLine;
    data[k++] = line === prevLine ? character - prevChar : character;
    data[k++] = end - start;
    data[k++] = m & 255;
    data[k++] = m >> 8;
    prevLine = line;
    prevChar = character;
    lastEnd = end;
    if ((i & 4095) === 4095 && due()) yield;
  }
  return data.subarray(0, k);
}

/** ints[from, to) as a packed array (pushed, not preallocated: a packed array serialises to JSON ten times faster than a holey one) */
function toArray(ints: Int32Array, from = 0, to = ints.length): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(ints[i]!);
  return out;
}

export type FullTokens = SemanticTokens & { resultId: string };
type Edit = SemanticTokensDelta['edits'][number];

/**
 * What a full result was built from, kept beside it (never serialised): its
 * integers, and, when it was derived from an earlier result, the edit from
 * that one (what a `full/delta` against it answers, without comparing again).
 */
interface FullInfo {
  readonly ints: Int32Array;
  readonly base?: { readonly resultId: string; readonly edits: Edit[] };
  /** the `data` array, once made */
  array?: number[];
}
const infos = new WeakMap<FullTokens, FullInfo>();

/**
 * Full tokens of a snapshot, computed once per document version; `resultId`
 * names that version's result. With `base` (an earlier result of the same
 * document, e.g. the last one sent), the integers equal to it at the start
 * and at the end (whole tokens) are copied from its array instead of being
 * pushed one by one, and the splice between them is kept for `full/delta`.
 * The data is the same as without a base (it is this snapshot's own
 * encoding: only its copying changes).
 */
export function semanticTokensFull(snap: Snapshot, base?: FullTokens): FullTokens {
  return snap.memo('semanticTokens/full', () => build(snap, base));
}
let resultCounter = 0;

/** this snapshot's whole encoding, once (the full result and the steps share it) */
const wholeEncoding = (snap: Snapshot): Int32Array => snap.memo('semanticTokens/ints', () => encode(snap, 0, snap.text.length));

/** snapshots whose full result exists */
const built = new WeakSet<Snapshot>();

function build(snap: Snapshot, base: FullTokens | undefined): FullTokens {
  built.add(snap);
  const ints = wholeEncoding(snap);
  const resultId = `${snap.version}.${++resultCounter}`;
  const from = base && infos.get(base);
  if (!base || !from) return result(resultId, ints, () => toArray(ints));
  const a = from.ints;
  const { p, s } = commonEnds(a, ints);
  const insert = toArray(ints, p, ints.length - s);
  const deleteCount = a.length - s - p;
  const edits: Edit[] = p === a.length && p === ints.length ? [] : [{ start: p, deleteCount, data: insert }];
  const old = from.array;
  // the base's array, when it was made (sent), is copied; otherwise the integers are pushed (only if this one is sent)
  const make = !old
    ? () => toArray(ints)
    : insert.length === deleteCount
      ? () => {
          const data = old.slice();
          for (let i = 0; i < insert.length; i++) data[p + i] = insert[i]!;
          return data;
        }
      : () => old.slice(0, p).concat(insert, old.slice(a.length - s));
  return result(resultId, ints, make, { resultId: base.resultId, edits });
}

/**
 * A full result whose `data` array is made when first read (serialised for a
 * full response, or compared): a `full/delta` answered from the kept splice
 * never makes it. An own enumerable getter, so JSON sends it as a property.
 */
function result(resultId: string, ints: Int32Array, make: () => number[], base?: FullInfo['base']): FullTokens {
  const info: FullInfo = { ints, base };
  let pending: (() => number[]) | undefined = make;
  const r: FullTokens = {
    resultId,
    get data(): number[] {
      if (!info.array) {
        info.array = pending!();
        pending = undefined;
      }
      return info.array;
    },
  };
  infos.set(r, info);
  return r;
}

/** the common prefix and suffix of two encodings, in whole tokens (multiples of 5), not overlapping */
function commonEnds(a: ArrayLike<number>, b: ArrayLike<number>): { p: number; s: number } {
  let p = 0;
  const n = Math.min(a.length, b.length);
  while (p < n && a[p] === b[p]) p++;
  p -= p % 5;
  let s = 0;
  while (s < n - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  s -= s % 5;
  return { p, s };
}

export function semanticTokens(snap: Snapshot, range?: Range): SemanticTokens {
  if (!range) return semanticTokensFull(snap);
  return { data: toArray(encode(snap, snap.offsetAt(range.start), snap.offsetAt(range.end))) };
}

/**
 * `semanticTokens/full/delta`: the edit from `previous` (the result the client
 * holds) to this snapshot's tokens, as one splice of the integer array
 * (common prefix and suffix kept). Whole tokens only: the splice starts and
 * ends on a multiple of 5 so a token's relative line/character are never cut.
 * When this snapshot's result was derived from `previous`, the splice is the
 * one found then (O(changed) here); otherwise the two arrays are compared.
 */
export function semanticTokensDelta(snap: Snapshot, previous: FullTokens): SemanticTokensDelta & { resultId: string } {
  const cur = semanticTokensFull(snap, previous);
  if (previous.resultId === cur.resultId) return { resultId: cur.resultId, edits: [] };
  const known = infos.get(cur)?.base;
  if (known && known.resultId === previous.resultId) return { resultId: cur.resultId, edits: known.edits };
  const a = infos.get(previous)?.ints ?? previous.data;
  const b = infos.get(cur)!.ints;
  const { p, s } = commonEnds(a, b);
  if (p === a.length && p === b.length) return { resultId: cur.resultId, edits: [] };
  return { resultId: cur.resultId, edits: [{ start: p, deleteCount: a.length - s - p, data: toArray(b, p, b.length - s) }] };
}

/**
 * The full tokens of `snap` in steps (occurrences, collection, encoding),
 * for a caller that computes them while the server is idle and yields
 * between steps (issue 13): a request that comes in between is answered
 * first, and the tokens request that follows a build finds them memoised.
 * `base` is read at the last step (the result last sent by then). A step
 * ends once it has run `sliceMs` (`pacer`), so a request waits at most that.
 */
export function* semanticTokensSteps(snap: Snapshot, base: () => FullTokens | undefined, sliceMs = 4): Generator<void, FullTokens> {
  const due = pacer(sliceMs);
  // a request in between may have computed the result: then the rest is not done again
  const collected = yield* collect(snap, due);
  if (built.has(snap)) return semanticTokensFull(snap);
  snap.memo('semanticTokens', () => collected);
  if (due()) yield;
  const ints = yield* encodeSteps(snap, 0, snap.text.length, due);
  if (built.has(snap)) return semanticTokensFull(snap);
  snap.memo('semanticTokens/ints', () => ints);
  yield;
  const from = base();
  const full = semanticTokensFull(snap, from);
  // a client that was last sent full tokens (not a delta) will read this array: made now, not in its request
  if (from && infos.get(from)?.array) {
    yield;
    void full.data;
  }
  return full;
}
