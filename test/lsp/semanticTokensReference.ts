/**
 * Semantic tokens as they were computed before issue 13 (objects, one sort,
 * one push per integer), kept verbatim as the oracle of
 * semantic-tokens-reuse.test.ts: the typed-array path and the reuse of an
 * earlier result must give exactly these integers.
 */
import type * as ast from '../../server/src/core/syntax/ast';
import { lex, tokenStream } from '../../server/src/core/syntax/parser';
import { validSpan, type Snapshot } from '../../server/src/lsp/snapshot';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/lsp/semanticTokens';

type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

interface Tok {
  readonly span: ast.Span;
  readonly type: TokenType;
  readonly mods: number;
}

const mod = (m: TokenModifier) => 1 << TOKEN_MODIFIERS.indexOf(m);

function collectTokens(snap: Snapshot): Tok[] {
  return collect(snap);
}

function collect(snap: Snapshot): Tok[] {
  const out: Tok[] = [];
  const add = (span: ast.Span | undefined, type: TokenType, mods = 0) => {
    if (validSpan(span) && span.end > span.start) out.push({ span, type, mods });
  };
  for (const o of snap.occurrences()) {
    const s = o.symbol;
    let mods = o.decl ? mod('declaration') : 0;
    if (s.kind === 'bridge' && s.isDefault) mods |= mod('defaultLibrary');
    add(o.span, s.kind, mods);
  }
  const addr = (a: ast.AddressLit | undefined) => add(a?.span, 'address');
  const prefix = (p: ast.PrefixLit | undefined) => add(p?.span, 'prefix');
  const port = (p: ast.PortLit) => {
    add(p.port.span, 'port');
    if (p.protocol) add(p.protocol.span, 'enumMember');
  };
  const value = (w: ast.Word | ast.BoolLit | undefined) => add(w?.span, 'enumMember');
  const props = (list: readonly { kind: string; keyword: ast.Span }[]) => {
    for (const p of list as readonly (ast.UnderlayProp | ast.OverlayProp | ast.HostProp | ast.BridgeProp | ast.ContainerProp)[]) {
      add(p.keyword, 'keyword');
      switch (p.kind) {
        case 'mtu':
        case 'subnet-length':
          add(p.value.span, 'number');
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
          add(p.id.span, 'number');
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
          add(p.image.span, 'string');
          break;
        case 'publish':
          addr(p.publish.hostIp);
          add(p.publish.hostPort.span, 'port');
          add(p.publish.containerPort.span, 'port');
          if (p.publish.protocol) add(p.publish.protocol.span, 'enumMember');
          break;
        case 'network':
          if (p.mode === 'host' || p.mode === 'none') add(p.modeSpan, 'enumMember');
          if (p.vlan) add(p.vlan.span, 'number');
          addr(p.ip);
          break;
        case 'overlay':
        case 'link':
          break;
      }
    }
  };
  for (const d of snap.analysis.document.decls) {
    add(d.keyword, 'keyword');
    switch (d.kind) {
      case 'topology':
        add(d.title?.span, 'string');
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
          add(b.keyword, 'keyword');
          props(b.props);
        }
        for (const c of d.containers) {
          add(c.keyword, 'keyword');
          props(c.props);
        }
        break;
      case 'expect':
        add(d.arrow, 'operator');
        if (d.port) port(d.port);
        break;
    }
  }
  // keywords the AST keeps no span for (`on`, `as`, `vlan`/`ip` after `network`, …) and `internet`,
  // from the parse's own token stream (no second lexing); both lists are in source order, merged
  out.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  const extra: Tok[] = [];
  let j = 0;
  const consider = (start: number, end: number, kind: string) => {
    while (j < out.length && out[j]!.span.start < start) j++;
    if (j < out.length && out[j]!.span.start === start) return; // covered
    const span = { start, end };
    if (kind === 'keyword') extra.push({ span, type: 'keyword', mods: 0 });
    else if (kind === 'bool') extra.push({ span, type: 'enumMember', mods: 0 });
    else if (kind === 'identifier' && end - start === 8 && snap.text.startsWith('internet', start)) extra.push({ span, type: 'enumMember', mods: mod('defaultLibrary') });
  };
  const stream = tokenStream(snap.analysis.document);
  if (stream) {
    const d = stream.data;
    for (let i = 0; i < d.length; i += 3) consider(d[i]!, d[i]! + d[i + 1]!, stream.kinds[d[i + 2]!]!);
  } else {
    for (const t of snap.memo('lex', () => lex(snap.text))) consider(t.span.start, t.span.end, t.kind);
  }
  if (!extra.length) return out;
  const merged: Tok[] = [];
  let a = 0;
  let b = 0;
  while (a < out.length || b < extra.length) {
    const x = out[a];
    const y = extra[b];
    if (y === undefined || (x !== undefined && (x.span.start < y.span.start || (x.span.start === y.span.start && x.span.end >= y.span.end)))) {
      merged.push(x!);
      a++;
    } else {
      merged.push(y);
      b++;
    }
  }
  return merged;
}

const TYPE_INDEX = new Map<TokenType, number>(TOKEN_TYPES.map((t, i) => [t, i]));

/**
 * The LSP encoding of the tokens in [from, to): one pass in offset order
 * with a line cursor (no per-token search).
 */
export function referenceEncode(snap: Snapshot, from: number, to: number): number[] {
  const toks = collectTokens(snap);
  const lines = snap.lines;
  const lineCount = lines.lineCount;
  // pushed, not preallocated: a packed array serialises to JSON ten times faster than a holey one
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  let lastEnd = -1;
  let line = 0;
  let lineStart = 0;
  let nextStart = lineCount > 1 ? lines.lineStart(1) : Infinity;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const start = t.span.start;
    const end = t.span.end;
    if (end <= from || start >= to) continue;
    if (start < lastEnd) continue; // overlapping (e.g. an occurrence inside a literal): first wins
    while (start >= nextStart) {
      line++;
      lineStart = nextStart;
      nextStart = line + 1 < lineCount ? lines.lineStart(line + 1) : Infinity;
    }
    if (end >= nextStart) continue; // tokens never span lines in cnet; guard anyway
    const character = start - lineStart;
    data.push(line - prevLine, line === prevLine ? character - prevChar : character, end - start, TYPE_INDEX.get(t.type)!, t.mods);
    prevLine = line;
    prevChar = character;
    lastEnd = end;
  }
  return data;
}

