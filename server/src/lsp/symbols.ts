/** Outline (document symbols), folding ranges and selection ranges, from the AST. */
import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type Position,
  type SelectionRange,
} from 'vscode-languageserver';
import type * as ast from '../core/syntax/ast';
import { pathAt } from './astPath';
import { validSpan, type Snapshot } from './snapshot';

export const SYMBOL_KINDS = {
  underlay: SymbolKind.Namespace,
  overlay: SymbolKind.Package,
  host: SymbolKind.Module,
  bridge: SymbolKind.Interface,
  container: SymbolKind.Class,
  expect: SymbolKind.Event,
} as const;

export function documentSymbols(snap: Snapshot): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const sym = (
    kind: keyof typeof SYMBOL_KINDS,
    node: { span: ast.Span; keyword: ast.Span; name?: ast.Word },
    detail: string,
    children?: DocumentSymbol[],
  ): DocumentSymbol => ({
    name: node.name?.text || `(unnamed ${kind})`,
    detail,
    kind: SYMBOL_KINDS[kind],
    range: snap.range(node.span),
    selectionRange: snap.range(node.name && validSpan(node.name.span) ? node.name.span : node.keyword),
    ...(children ? { children } : {}),
  });
  for (const d of snap.analysis.document.decls) {
    switch (d.kind) {
      case 'underlay':
        out.push(sym('underlay', d, `underlay${d.prefix ? ' ' + d.prefix.text : ''}`));
        break;
      case 'overlay': {
        const driver = d.props.find((p): p is ast.DriverProp => p.kind === 'driver');
        out.push(sym('overlay', d, `overlay${driver ? ' ' + driver.driver.text : ''}`));
        break;
      }
      case 'host': {
        // bridges first, then containers, each in source order (as the file reads)
        const children = [
          ...d.bridges.map((b) => {
            const subnet = b.props.find((p): p is ast.SubnetProp => p.kind === 'subnet');
            return sym('bridge', b, `bridge${subnet ? ' ' + subnet.prefix.text : ''}`);
          }),
          ...d.containers.map((c) => sym('container', c, 'container')),
        ].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
        const addr = d.props.find((p): p is ast.AddressProp => p.kind === 'address');
        out.push(sym('host', d, `host${addr ? ' ' + addr.address.text : ''}`, children));
        break;
      }
      case 'expect': {
        const text = snap.text.slice(d.span.start, d.span.end).replace(/^expect\s+/, '').replace(/\s+/g, ' ').trim();
        out.push({
          name: text || 'expect',
          detail: d.negated ? 'expect unreachable' : 'expect reachable',
          kind: SYMBOL_KINDS.expect,
          range: snap.range(d.span),
          selectionRange: snap.range(d.span),
        });
        break;
      }
      case 'topology':
        break;
    }
  }
  return out;
}

export function foldingRanges(snap: Snapshot): FoldingRange[] {
  const out: FoldingRange[] = [];
  const block = (span: ast.Span) => {
    const start = snap.lines.positionAt(span.start).line;
    const end = snap.lines.positionAt(span.end).line;
    // keep the closing brace visible when it sits on its own line
    const closing = snap.text[span.end - 1] === '}' && /^\s*\}/.test(snap.lines.lineText(end)) ? end - 1 : end;
    if (closing > start) out.push({ startLine: start, endLine: closing });
  };
  for (const d of snap.analysis.document.decls) {
    if (d.kind === 'underlay' || d.kind === 'overlay') block(d.span);
    else if (d.kind === 'host') {
      block(d.span);
      for (const b of d.bridges) block(b.span);
      for (const c of d.containers) block(c.span);
    }
  }
  // runs of whole-line comments
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = runEnd = -1;
  };
  for (const c of snap.analysis.document.comments) {
    if (!validSpan(c.span)) continue;
    const pos = snap.lines.positionAt(c.span.start);
    const ownLine = snap.lines.lineText(pos.line).slice(0, pos.character).trim() === '';
    if (!ownLine) {
      flush();
      continue;
    }
    if (runStart >= 0 && pos.line === runEnd + 1) runEnd = pos.line;
    else {
      flush();
      runStart = runEnd = pos.line;
    }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine);
}

export function selectionRanges(snap: Snapshot, positions: readonly Position[]): SelectionRange[] {
  return positions.map((position) => {
    const offset = snap.offsetAt(position);
    const spans: ast.Span[] = [];
    const word = wordAt(snap.text, offset);
    if (word) spans.push(word);
    const path = pathAt(snap.analysis.document, offset);
    if (path.prop) spans.push(path.prop.span);
    if (path.block) spans.push(path.block.span);
    if (path.decl) spans.push(path.decl.span);
    spans.push({ start: 0, end: snap.text.length });
    // keep a strictly growing chain
    const chain: ast.Span[] = [];
    for (const s of spans) {
      const last = chain[chain.length - 1];
      if (!validSpan(s)) continue;
      if (last && (s.start > last.start || s.end < last.end || (s.start === last.start && s.end === last.end))) continue;
      chain.push(s);
    }
    let parent: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) parent = { range: snap.range(chain[i]!), ...(parent ? { parent } : {}) };
    return parent ?? { range: { start: position, end: position } };
  });
}

/** the name, number, address or prefix under the cursor */
function wordAt(text: string, offset: number): ast.Span | undefined {
  const isWord = (c: string | undefined) => !!c && /[A-Za-z0-9_.\-\/:]/.test(c);
  let s = offset;
  let e = offset;
  while (s > 0 && isWord(text[s - 1])) s--;
  while (e < text.length && isWord(text[e])) e++;
  // `->` is punctuation, not part of a word
  while (e > s && text[e - 1] === '-') e--;
  return e > s ? { start: s, end: e } : undefined;
}
