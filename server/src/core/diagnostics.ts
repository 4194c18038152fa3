/**
 * Diagnostics: the one table of stable codes (spec §4) and the shape every
 * layer reports problems in. Spans are offsets; `lsp/` and `cli/` convert
 * them to line/character with `LineIndex`.
 */
import type { Span } from './syntax/ast';

export const DIAGNOSTIC_CODES = {
  syntax: 'error',
  'unknown-name': 'error',
  'duplicate-name': 'error',
  'duplicate-property': 'error',
  'invalid-address': 'error',
  'host-bits-set': 'warning',
  'address-outside-subnet': 'error',
  'reserved-address': 'error',
  'duplicate-address': 'error',
  'subnet-overlap': 'error',
  'subnet-exhausted': 'error',
  'lease-mismatch': 'error',
  'port-conflict': 'error',
  'invalid-port': 'error',
  'publish-ignored': 'warning',
  'invalid-network-mode': 'error',
  'static-ip-default-bridge': 'warning',
  'link-invalid': 'error',
  'link-no-ports': 'warning',
  'icc-ineffective': 'warning',
  'mtu-exceeds-path': 'warning',
  'host-gw-needs-l2': 'error',
  'underlay-partition': 'error',
  'vlan-subnet-mismatch': 'warning',
  unreachable: 'error',
  'unexpectedly-reachable': 'error',
  unused: 'hint',
  /** extension: a number the kernel or a daemon would refuse (mtu, vlan id, subnet-length) */
  'invalid-value': 'error',
  /** extension, editor advice only (never in the CLI's output): a legacy link where a user bridge would do (tagged deprecated) */
  'legacy-link': 'hint',
  /** extension: a phase of cnet itself threw (a bug); reported instead of crashing */
  'internal-error': 'error',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Codes only the language server shows (advice, not part of the CLI's contract). */
export const EDITOR_ONLY_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['legacy-link']);
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A quick fix whose edits are fully determined by the model. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** the fix a user most likely wants (VS Code's `isPreferred`) */
  readonly preferred?: boolean;
}

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export type DiagnosticTag = 'unnecessary' | 'deprecated';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** the offending token, never the whole line */
  readonly span: Span;
  readonly related?: readonly RelatedInfo[];
  readonly fixes?: readonly Fix[];
  readonly tags?: readonly DiagnosticTag[];
}

/** Build a diagnostic with the code's default severity. */
export function diag(
  code: DiagnosticCode,
  span: Span,
  message: string,
  extra: Partial<Pick<Diagnostic, 'related' | 'fixes' | 'tags' | 'severity'>> = {},
): Diagnostic {
  return { code, severity: extra.severity ?? DIAGNOSTIC_CODES[code], message, span, ...extra };
}

/** Stable order: by start offset, then end, then code. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
