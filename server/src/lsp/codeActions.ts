/**
 * Code actions: every core `Fix` of a diagnostic under the cursor becomes a
 * quick fix; an `unreachable` expect that dies NOT_LISTENING gets "expose
 * the port on the target"; and a refactor adds an `expect` pinning the
 * current behaviour of a pair, offered from a container or a `link`.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionContext,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type * as ast from '../core/syntax/ast';
import type { Container, Endpoint, Expectation, Host, Port } from '../core/model/types';
import type { Diagnostic } from '../core/diagnostics';
import { toLspDiagnostic } from './convert';
import { pathAt } from './astPath';
import { endpointName, validSpan, type Snapshot } from './snapshot';

const MAX_PAIR_ACTIONS = 5;

export function codeActions(snap: Snapshot, range: Range, context: CodeActionContext): CodeAction[] {
  const from = snap.offsetAt(range.start);
  const to = snap.offsetAt(range.end);
  const only = context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
  const out: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    for (const d of snap.analysis.diagnostics) {
      if (!validSpan(d.span) || d.span.end < from || d.span.start > to) continue;
      const lsp = toLspDiagnostic(snap, d);
      for (const f of d.fixes ?? []) {
        out.push({
          title: f.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [lsp],
          isPreferred: !!f.preferred,
          edit: { changes: { [snap.uri]: f.edits.filter((e) => validSpan(e.span)).map((e) => ({ range: snap.range(e.span), newText: e.newText })) } },
        });
      }
      if (d.code === 'unreachable') {
        const a = exposeFix(snap, d);
        if (a) out.push({ ...a, diagnostics: [lsp] });
      }
    }
  }

  if (wants(CodeActionKind.Refactor)) out.push(...addExpectActions(snap, from));
  return out;
}

// ---------------------------------------------------------------------------
// "expose the expected port" for an expect that dies NOT_LISTENING

function exposeFix(snap: Snapshot, d: Diagnostic): CodeAction | undefined {
  const ex = snap.topology.expectations.find((e) => e.decl.span.start <= d.span.start && d.span.end <= e.decl.span.end);
  if (!ex || ex.negated || !ex.from || !ex.to) return undefined;
  const r = snap.verdict(ex.from, ex.to, ex.port);
  if ('error' in r || r.verdict.reachable || r.verdict.disposition !== 'NOT_LISTENING') return undefined;
  const port = ex.port ?? (r.verdict.port !== null ? { port: r.verdict.port, protocol: r.verdict.protocol } : undefined);
  if (!port) return undefined;
  const target = ex.to.kind === 'container' ? ex.to.container : ex.to.kind === 'host' ? ex.to.host : undefined;
  if (!target) return undefined;
  const portText = `${port.port}/${port.protocol}`;
  const edit = addToExpose(snap, target, portText);
  if (!edit) return undefined;
  return {
    title: `Expose ${portText} on ${target.kind} ${target.name}`,
    kind: CodeActionKind.QuickFix,
    isPreferred: true,
    edit: { changes: { [snap.uri]: [edit] } },
  };
}

/** Appends to the block's `expose` line, or adds one. */
function addToExpose(snap: Snapshot, target: Container | Host, portText: string): LspTextEdit | undefined {
  const decl = target.decl;
  const expose = (decl.props as readonly { kind: string }[]).find((p): p is ast.ExposeProp => p.kind === 'expose');
  const lastPort = expose?.ports[expose.ports.length - 1];
  if (expose && lastPort) {
    const at = snap.lines.positionAt(lastPort.span.end);
    return { range: { start: at, end: at }, newText: `, ${portText}` };
  }
  return addProperty(snap, decl, `expose ${portText}`);
}

/**
 * Inserts a property into a block: on its own line before the closing brace
 * of a multi-line block, or `; prop` / `prop` inside a one-line block.
 */
function addProperty(snap: Snapshot, decl: ast.ContainerDecl | ast.HostDecl, prop: string): LspTextEdit | undefined {
  const text = snap.text;
  const close = decl.span.end - 1;
  if (text[close] !== '}') return undefined;
  const open = text.indexOf('{', decl.keyword.end);
  if (open < 0 || open > close) return undefined;
  const openLine = snap.lines.positionAt(open).line;
  const closePos = snap.lines.positionAt(close);
  if (closePos.line > openLine) {
    const indent = /^\s*/.exec(snap.lines.lineText(openLine))![0];
    const inner = indent + '  ';
    const beforeClose = snap.lines.lineText(closePos.line).slice(0, closePos.character);
    if (beforeClose.trim() === '') {
      const at = { line: closePos.line, character: 0 };
      return { range: { start: at, end: at }, newText: `${inner}${prop}\n` };
    }
    return { range: { start: closePos, end: closePos }, newText: `\n${inner}${prop}\n${indent}` };
  }
  const body = text.slice(open + 1, close);
  if (body.trim() === '') return { range: snap.range({ start: open + 1, end: close }), newText: ` ${prop} ` };
  const lastProp = decl.props[decl.props.length - 1];
  const end = lastProp ? lastProp.span.end : open + 1 + body.trimEnd().length;
  const at = snap.lines.positionAt(end);
  return { range: { start: at, end: at }, newText: `; ${prop}` };
}

// ---------------------------------------------------------------------------
// refactor: add an `expect` for a pair, pinning what happens today

function addExpectActions(snap: Snapshot, offset: number): CodeAction[] {
  const topo = snap.topology;
  const pairs: [Container, Container][] = [];
  const path = pathAt(snap.analysis.document, offset);
  const occ = snap.occurrenceAt(offset);
  if (path.prop?.kind === 'link' && path.block?.kind === 'container') {
    const consumer = topo.containers.find((c) => c.decl === path.block);
    const target = consumer?.links.find((l) => l.decl === path.prop)?.target;
    if (consumer && target) pairs.push([consumer, target]);
  } else if (occ?.symbol.kind === 'container') {
    const c = occ.symbol;
    const seen = new Set<Container>([c]);
    const add = (t: Container | undefined) => {
      if (t && !seen.has(t) && pairs.length < MAX_PAIR_ACTIONS) {
        seen.add(t);
        pairs.push([c, t]);
      }
    };
    for (const l of c.links) add(l.target);
    // peers on the same segments, in declaration order
    for (const a of c.attachments) for (const peer of a.segment.attachments) add(peer.container);
  }
  const existing = new Set(topo.expectations.map((e) => expectKey(e)));
  const out: CodeAction[] = [];
  for (const [a, b] of pairs) {
    const port: Port | undefined = b.expose[0];
    const from: Endpoint = { kind: 'container', container: a };
    const to: Endpoint = { kind: 'container', container: b };
    const q = port ? { port: port.port, protocol: port.protocol } : undefined;
    if (existing.has(`${a.name}>${b.name}>${q ? q.port + '/' + q.protocol : ''}`)) continue;
    const r = snap.verdict(from, to, q);
    if ('error' in r) continue;
    const line = `expect ${a.name} ${r.verdict.reachable ? '->' : '-/->'} ${b.name}${q ? ` : ${q.port}/${q.protocol}` : ''}`;
    out.push({
      title: `Add \`${line}\` (what holds today)`,
      kind: CodeActionKind.Refactor,
      edit: { changes: { [snap.uri]: [insertExpect(snap, line)] } },
    });
  }
  return out;
}

function expectKey(e: Expectation): string {
  return `${e.from ? endpointName(e.from) : '?'}>${e.to ? endpointName(e.to) : '?'}>${e.port ? e.port.port + '/' + e.port.protocol : ''}`;
}

/** after the last `expect`, else at the end of the file after a blank line */
function insertExpect(snap: Snapshot, line: string): LspTextEdit {
  const decls = snap.analysis.document.decls;
  let last: ast.ExpectDecl | undefined;
  for (const d of decls) if (d.kind === 'expect') last = d;
  if (last) {
    const at = snap.lines.positionAt(snap.lines.lineEnd(snap.lines.positionAt(last.span.end).line));
    return { range: { start: at, end: at }, newText: `\n${line}` };
  }
  const text = snap.text;
  const end = snap.lines.positionAt(text.length);
  const sep = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return { range: { start: end, end }, newText: `${sep}${line}\n` };
}
