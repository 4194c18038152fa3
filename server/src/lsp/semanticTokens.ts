/**
 * Semantic tokens: what only the analysis knows, colour by meaning. Names are
 * typed by what they denote (host, bridge, container, overlay, underlay) with
 * `declaration` on their declaring occurrence; keywords, addresses,
 * prefixes, ports and values come from the AST's own spans. Comments and
 * punctuation are left to the TextMate grammar.
 */
import type { Range, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type * as ast from '../core/syntax/ast';
import { lex } from '../core/syntax/parser';
import { validSpan, type Snapshot } from './snapshot';

export const TOKEN_TYPES = ['host', 'bridge', 'container', 'overlay', 'underlay', 'keyword', 'number', 'string', 'address', 'prefix', 'port', 'enumMember', 'operator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

interface Tok {
  readonly span: ast.Span;
  readonly type: TokenType;
  readonly mods: number;
}

const mod = (m: TokenModifier) => 1 << TOKEN_MODIFIERS.indexOf(m);

export function collectTokens(snap: Snapshot): Tok[] {
  return snap.memo('semanticTokens', () => collect(snap));
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
  // keywords the AST keeps no span for (`on`, `as`, `vlan`/`ip` after `network`, …) and `internet`
  const covered = new Set(out.map((t) => t.span.start));
  for (const t of snap.memo('lex', () => lex(snap.text))) {
    if (covered.has(t.span.start)) continue;
    if (t.kind === 'keyword') add(t.span, 'keyword');
    else if (t.kind === 'bool') add(t.span, 'enumMember');
    else if (t.kind === 'identifier' && t.text === 'internet') add(t.span, 'enumMember', mod('defaultLibrary'));
  }
  out.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  return out;
}

export function semanticTokens(snap: Snapshot, range?: Range): SemanticTokens {
  const toks = collectTokens(snap);
  const from = range ? snap.offsetAt(range.start) : 0;
  const to = range ? snap.offsetAt(range.end) : snap.text.length;
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  let lastEnd = -1;
  for (const t of toks) {
    if (t.span.end <= from || t.span.start >= to) continue;
    if (t.span.start < lastEnd) continue; // overlapping (e.g. an occurrence inside a literal): first wins
    const start = snap.lines.positionAt(t.span.start);
    const end = snap.lines.positionAt(t.span.end);
    if (end.line !== start.line) continue; // tokens never span lines in cnet; guard anyway
    const typeIndex = TOKEN_TYPES.indexOf(t.type);
    data.push(start.line - prevLine, start.line === prevLine ? start.character - prevChar : start.character, end.character - start.character, typeIndex, t.mods);
    prevLine = start.line;
    prevChar = start.character;
    lastEnd = t.span.end;
  }
  return { data };
}
