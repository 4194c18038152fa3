/**
 * Renderers of `cnet check` results: compiler-style text (1-based
 * line:col, source line, caret underline, notes, summary), the JSON of spec
 * §5 (0-based LSP ranges) and SARIF 2.1.0. Pure functions of their input.
 */
import { LineIndex, type Range } from '../core/text';
import { DIAGNOSTIC_CODES, EDITOR_ONLY_CODES, type Diagnostic, type DiagnosticCode, type Severity } from '../core/diagnostics';
import { RULE_DESCRIPTIONS } from './rules';
import type { Style } from './style';

export interface CheckedFile {
  /** the name as the user wrote it (`<stdin>` for stdin) */
  readonly name: string;
  /** SARIF artifact URI: relative, `/`-separated, percent-encoded */
  readonly uri: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

export function countSeverities(files: readonly CheckedFile[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const d of f.diagnostics) c[d.severity]++;
  return c;
}

// ---------------------------------------------------------------------------
// text

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(files: readonly CheckedFile[], unreadable: number): string {
  const c = countSeverities(files);
  const parts = [
    c.error ? plural(c.error, 'error') : '',
    c.warning ? plural(c.warning, 'warning') : '',
    c.info ? plural(c.info, 'info') : '',
    c.hint ? plural(c.hint, 'hint') : '',
  ].filter(Boolean);
  const found = parts.length ? parts.join(', ') : 'no problems';
  const checked = `${found} in ${plural(files.length, 'file')}`;
  return unreadable ? `${checked}; ${plural(unreadable, 'file')} could not be read` : checked;
}

export function renderCheckText(files: readonly CheckedFile[], unreadable: number, style: Style): string {
  let out = '';
  for (const f of files) out += renderFileText(f, style);
  out += style.bold(summaryLine(files, unreadable)) + '\n';
  return out;
}

function severityLabel(sev: Severity, code: DiagnosticCode, style: Style): string {
  const paint = sev === 'error' ? style.red : sev === 'warning' ? style.yellow : style.cyan;
  return paint(`${sev}[${code}]`);
}

export function renderFileText(file: CheckedFile, style: Style): string {
  if (file.diagnostics.length === 0) return '';
  const index = new LineIndex(file.text);
  const loc = (r: Range) => `${file.name}:${r.start.line + 1}:${r.start.character + 1}`;
  let maxLine = 1;
  for (const d of file.diagnostics) maxLine = Math.max(maxLine, index.positionAt(d.span.start).line + 1);
  const gutter = String(maxLine).length;
  let out = '';
  for (const d of file.diagnostics) {
    const r = index.range(d.span);
    const paint = d.severity === 'error' ? style.red : d.severity === 'warning' ? style.yellow : style.cyan;
    out += `${style.bold(loc(r) + ':')} ${severityLabel(d.severity, d.code, style)}${style.bold(': ' + oneLine(d.message))}\n`;
    out += snippet(index, r, gutter, paint, style);
    for (const rel of d.related ?? []) {
      out += `${style.bold(loc(index.range(rel.span)) + ':')} ${style.cyan('note')}: ${oneLine(rel.message)}\n`;
    }
    for (const fix of d.fixes ?? []) {
      out += `${' '.repeat(gutter + 1)}${style.blue('=')} ${style.bold('help')}: ${oneLine(fix.title)}\n`;
    }
  }
  return out;
}

/** The source line of `r.start` and a caret underline of the range's part on it. */
function snippet(index: LineIndex, r: Range, gutter: number, paint: (s: string) => string, style: Style): string {
  const line = r.start.line;
  const raw = index.lineText(line);
  const startCh = Math.min(r.start.character, raw.length);
  const endCh = r.end.line === line ? Math.min(Math.max(r.end.character, startCh), raw.length) : raw.length;
  const before = displayable(raw.slice(0, startCh));
  const under = displayable(raw.slice(startCh, endCh));
  const num = String(line + 1).padStart(gutter);
  const bar = style.blue('|');
  // Keep tabs as tabs under the text so the caret lines up whatever the tab width.
  const pad = [...before].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  const carets = '^'.repeat(Math.max(1, [...under].length));
  return `${style.blue(num)} ${bar} ${displayable(raw)}\n${' '.repeat(gutter)} ${bar} ${pad}${paint(carets)}\n`;
}

/** Control characters (other than tab) would move the terminal's cursor; show one replacement char each. */
function displayable(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, '\ufffd');
}

function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ');
}

// ---------------------------------------------------------------------------
// JSON (spec §5)

export function renderCheckJson(files: readonly CheckedFile[]): string {
  const out = {
    files: files.map((f) => {
      const index = new LineIndex(f.text);
      return {
        file: f.name,
        diagnostics: f.diagnostics.map((d) => ({
          code: d.code,
          severity: d.severity,
          message: d.message,
          range: index.range(d.span),
        })),
      };
    }),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

// ---------------------------------------------------------------------------
// SARIF 2.1.0

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const sarifLevel = (s: Severity): 'error' | 'warning' | 'note' => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** 1-based lines and columns; `endColumn` is one past the last character, as SARIF counts. */
function sarifRegion(index: LineIndex, span: { start: number; end: number }): SarifRegion {
  const r = index.range(span);
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

export function renderSarif(files: readonly CheckedFile[], unreadable: readonly string[], tool: ToolInfo): string {
  const codes = (Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]).filter((c) => !EDITOR_ONLY_CODES.has(c));
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => ({
    id: code,
    name: code,
    shortDescription: { text: RULE_DESCRIPTIONS[code] },
    defaultConfiguration: { level: sarifLevel(DIAGNOSTIC_CODES[code]) },
  }));
  const results: unknown[] = [];
  files.forEach((f, artifactIndex) => {
    const index = new LineIndex(f.text);
    const physical = (span: { start: number; end: number }) => ({
      artifactLocation: { uri: f.uri, index: artifactIndex },
      region: sarifRegion(index, span),
    });
    for (const d of f.diagnostics) {
      const result: Record<string, unknown> = {
        ruleId: d.code,
        ruleIndex: ruleIndex.get(d.code),
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{ physicalLocation: physical(d.span) }],
      };
      if (d.related?.length) {
        result['relatedLocations'] = d.related.map((rel, id) => ({ id, physicalLocation: physical(rel.span), message: { text: rel.message } }));
      }
      if (d.fixes?.length) {
        result['fixes'] = d.fixes.map((fix) => ({
          description: { text: fix.title },
          artifactChanges: [
            {
              artifactLocation: { uri: f.uri, index: artifactIndex },
              replacements: fix.edits.map((e) => ({ deletedRegion: sarifRegion(index, e.span), insertedContent: { text: e.newText } })),
            },
          ],
        }));
      }
      results.push(result);
    }
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, informationUri: tool.informationUri, rules } },
        columnKind: 'utf16CodeUnits',
        artifacts: files.map((f) => ({ location: { uri: f.uri }, mimeType: 'text/x-cnet', encoding: 'utf-8' })),
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            toolExecutionNotifications: unreadable.map((message) => ({ level: 'error', message: { text: message } })),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
