/** Core values → LSP values. The only place that maps codes, severities and tags. */
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import type { Diagnostic } from '../core/diagnostics';
import type { PortQuery } from '../core/reach/api';
import type { Snapshot } from './snapshot';
import { advice } from '../core/checks/advice';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export function toLspDiagnostic(snap: Snapshot, d: Diagnostic): LspDiagnostic {
  const tags = new Set<DiagnosticTag>();
  for (const t of d.tags ?? []) tags.add(t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated);
  // spec: an unused declaration is faded out whether or not the check tagged it
  if (d.code === 'unused') tags.add(DiagnosticTag.Unnecessary);
  const related: DiagnosticRelatedInformation[] = (d.related ?? []).map((r) => ({
    location: { uri: snap.uri, range: snap.range(r.span) },
    message: r.message,
  }));
  const out: LspDiagnostic = {
    range: snap.range(d.span),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: 'cnet',
    message: d.message,
  };
  if (related.length) out.relatedInformation = related;
  if (tags.size) out.tags = [...tags];
  return out;
}

/** The analysis' diagnostics plus the editor-only advice (spec §4's codes stay the CLI's contract). */
export function lspDiagnostics(snap: Snapshot): LspDiagnostic[] {
  const out = snap.analysis.diagnostics.map((d) => toLspDiagnostic(snap, d));
  for (const d of advice(snap.topology)) out.push(toLspDiagnostic(snap, d));
  return out;
}

/** `80`, `80/tcp`, `53/udp` → a port query; undefined when malformed or out of range. */
export function parsePort(text: string | undefined): PortQuery | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d{1,5})(?:\s*\/\s*(tcp|udp))?\s*$/i.exec(text);
  if (!m) return undefined;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return { port, protocol: (m[2]?.toLowerCase() ?? 'tcp') as 'tcp' | 'udp' };
}
