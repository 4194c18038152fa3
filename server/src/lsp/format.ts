/**
 * Formatting: canonical 2-space indentation by brace depth (a line that
 * continues a list after a trailing `,` one level deeper), single spaces
 * between tokens and around `{ } -> -/-> ,` (and ` : ` in an `expect`),
 * no trailing whitespace, at most one blank line in a row, one final
 * newline. Comments and strings are kept verbatim; whitespace before a
 * trailing comment is kept (aligned comments stay aligned). Only whitespace
 * ever changes and no newline is added or removed inside a statement, so the
 * token stream — hence the meaning — is the same; `formatText` is idempotent.
 * A file with syntax errors is not formatted at all.
 */
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import { lex, type LexedToken } from '../core/syntax/parser';
import type { Snapshot } from './snapshot';

const INDENT = '  ';

interface Piece {
  readonly text: string;
  /** whitespace before it in the source (for trailing comments) */
  readonly gap: string;
  readonly kind: 'word' | 'open' | 'close' | 'semi' | 'comma' | 'arrow' | 'colon' | 'comment' | 'string';
}

/** Splits one line into pieces; strings and comments stay whole. */
function pieces(line: string, inExpect: boolean): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  let gap = '';
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      gap += c;
      i++;
      continue;
    }
    let text: string;
    let kind: Piece['kind'];
    if (c === '#' || (c === '/' && line[i + 1] === '/')) {
      text = line.slice(i).replace(/\s+$/, '');
      kind = 'comment';
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      text = line.slice(i, Math.min(j + 1, line.length));
      kind = 'string';
    } else if (c === '{') [text, kind] = ['{', 'open'];
    else if (c === '}') [text, kind] = ['}', 'close'];
    else if (c === ';') [text, kind] = [';', 'semi'];
    else if (c === ',') [text, kind] = [',', 'comma'];
    else if (line.startsWith('-/->', i)) [text, kind] = ['-/->', 'arrow'];
    else if (line.startsWith('->', i)) [text, kind] = ['->', 'arrow'];
    else if (c === ':' && inExpect) [text, kind] = [':', 'colon'];
    else {
      let j = i;
      while (j < line.length) {
        const d = line[j]!;
        if (' \t{};,"#'.includes(d)) break;
        if (d === '/' && line[j + 1] === '/') break;
        if (j > i && (line.startsWith('->', j) || line.startsWith('-/->', j))) break;
        if (d === ':' && inExpect) break;
        j++;
      }
      if (j === i) j = i + 1; // a lone stray character: keep it as a word
      text = line.slice(i, j);
      kind = 'word';
    }
    out.push({ text, gap, kind });
    gap = '';
    i += text.length;
  }
  return out;
}

/** Joins a line's pieces with canonical spacing. */
function join(ps: readonly Piece[]): string {
  let s = '';
  ps.forEach((p, k) => {
    if (k > 0) {
      const prev = ps[k - 1]!;
      let space = ' ';
      if (p.kind === 'comma' || p.kind === 'semi') space = '';
      else if (p.kind === 'comment') space = p.gap.length > 0 ? p.gap.replace(/\t/g, ' ') : ' ';
      else if (prev.kind === 'word' && p.kind === 'word' && p.gap === '') space = ''; // cannot happen after splitting, kept for safety
      s += space;
    }
    s += p.text;
  });
  return s;
}

const BRACE_DEPTH = (ps: readonly Piece[]) => ps.reduce((d, p) => d + (p.kind === 'open' ? 1 : p.kind === 'close' ? -1 : 0), 0);

/** The canonical form of `text`, line by line (`lines[i]` is input line i's output; null: dropped blank line). */
export function formatLines(text: string): { lines: (string | null)[]; eol: string; source: string[] } {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const source = text.split(/\r\n|\r|\n/);
  const lines: (string | null)[] = [];
  let depth = 0;
  let blanks = 0;
  /** the previous code line ended with `,`: this line continues its list (one level deeper) */
  let continues = false;
  source.forEach((raw, idx) => {
    const trimmed = raw.trim();
    if (trimmed === '') {
      blanks++;
      // no blank line right after an opening brace, none doubled, none at the very start
      const prevOut = lastNonNull(lines);
      const dropped = blanks > 1 || prevOut === undefined || /\{\s*$/.test(prevOut ?? '');
      lines.push(dropped && idx !== source.length - 1 ? null : '');
      return;
    }
    blanks = 0;
    const inExpect = /^expect\b/.test(trimmed);
    const ps = pieces(trimmed, inExpect);
    const leadingCloses = ps.findIndex((p) => p.kind !== 'close');
    const closes = leadingCloses < 0 ? ps.length : leadingCloses;
    const indent = Math.max(0, depth - closes) + (continues && closes === 0 ? 1 : 0);
    // a blank line just before a closing brace goes too
    if (closes > 0) for (let k = lines.length - 1; k >= 0 && lines[k] === ''; k--) lines[k] = null;
    lines.push(INDENT.repeat(indent) + join(ps));
    depth = Math.max(0, depth + BRACE_DEPTH(ps));
    const code = ps.filter((p) => p.kind !== 'comment');
    if (code.length) continues = code[code.length - 1]!.kind === 'comma';
  });
  // exactly one final newline: drop trailing blank lines, the split leaves '' for the final newline
  for (let k = lines.length - 1; k >= 0 && (lines[k] === '' || lines[k] === null); k--) lines[k] = null;
  return { lines, eol, source };
}

function lastNonNull(lines: readonly (string | null)[]): string | undefined {
  for (let k = lines.length - 1; k >= 0; k--) if (lines[k] !== null) return lines[k]!;
  return undefined;
}

export function formatText(text: string): string {
  const { lines, eol } = formatLines(text);
  const kept = lines.filter((l): l is string => l !== null);
  return kept.length ? kept.join(eol) + eol : '';
}

/**
 * The safety net: the core lexer must read the same tokens (comments up to
 * trailing blanks) before and after, so the parse — the meaning — is equal.
 */
export function sameTokens(a: string, b: string, lexedA: readonly LexedToken[] = lex(a)): boolean {
  const ta = lexedA;
  const tb = lex(b);
  if (ta.length !== tb.length) return false;
  for (let i = 0; i < ta.length; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'comment' ? x.text.trimEnd() !== y.text.trimEnd() : x.text !== y.text) return false;
  }
  return true;
}

export function formatDocument(snap: Snapshot, _options?: FormattingOptions): TextEdit[] {
  if (snap.analysis.document.errors.length > 0) return [];
  const out = formatText(snap.text);
  if (out === snap.text || !sameTokens(snap.text, out, snap.memo('lex', () => lex(snap.text)))) return [];
  return [{ range: snap.range({ start: 0, end: snap.text.length }), newText: out }];
}

/** Reformats the lines the range touches; blank-line rules apply only inside it. */
export function formatRange(snap: Snapshot, range: Range, _options?: FormattingOptions): TextEdit[] {
  if (snap.analysis.document.errors.length > 0) return [];
  const { lines, source, eol } = formatLines(snap.text);
  if (!sameTokens(snap.text, lines.filter((l): l is string => l !== null).join(eol), snap.memo('lex', () => lex(snap.text)))) return [];
  const edits: TextEdit[] = [];
  const first = range.start.line;
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  for (let i = first; i <= last && i < source.length; i++) {
    const out = lines[i];
    if (out === null || out === undefined) {
      // drop the blank line together with its line break
      if (i + 1 < source.length)
        edits.push({ range: { start: { line: i, character: 0 }, end: { line: i + 1, character: 0 } }, newText: '' });
      continue;
    }
    if (out !== source[i]) edits.push({ range: { start: { line: i, character: 0 }, end: { line: i, character: source[i]!.length } }, newText: out });
  }
  return edits;
}
