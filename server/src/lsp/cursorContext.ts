/**
 * Where the cursor is, read from the raw text rather than the AST: while a
 * line is being typed the parser has to recover around it, but braces and
 * statement boundaries still tell exactly which block encloses the cursor
 * and what was typed before it on the same statement.
 */
import type { Document } from '../core/syntax/ast';
import { lastStartingBy } from './astPath';

export interface Block {
  /** first word of the header: host, bridge, container, underlay, overlay, … */
  readonly kind: string;
  /** second word of the header, the declared name */
  readonly name?: string;
}

export interface CursorContext {
  /** enclosing blocks, outermost first */
  readonly blocks: readonly Block[];
  /** the current statement's text before the word being typed (comments removed) */
  readonly before: string;
  /** the word being typed (may be empty) */
  readonly partial: string;
  /** offset where `partial` starts */
  readonly partialStart: number;
  /** true inside a comment or string (nothing to complete) */
  readonly inert: boolean;
}

const WORD_CHAR = /[A-Za-z0-9_.\-]/;

/**
 * Where `cursorContext` may start instead of the top of the text: the start
 * of the last top-level declaration at or before `offset`, when the parse
 * found no error before it (so every brace before it is closed, and it is
 * outside any comment or string); else 0. A completion in the middle of a
 * 10,000-container file then reads one host block, not half a megabyte.
 */
export function scanStart(doc: Document, offset: number): number {
  const decls = doc.decls;
  const found = lastStartingBy(decls, offset);
  if (found < 0) return 0;
  const start = decls[found]!.span.start;
  for (const e of doc.errors) if (e.span.start <= start) return 0;
  return start;
}

/**
 * One pass over the text before the cursor (from `from`, a top-level
 * statement start: see `scanStart`). The statement text is not built
 * character by character: only where a statement starts is tracked, and its
 * text (strings shown as `""`) is read back for a block header and for the
 * statement under the cursor.
 */
export function cursorContext(text: string, offset: number, from = 0): CursorContext {
  const end = Math.max(0, Math.min(offset, text.length));
  const blocks: Block[] = [];
  let i = Math.max(0, Math.min(from, end));
  let stmtStart = i;
  let stmtEnd = end;
  let inert = false;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */ || (c === 47 /* / */ && text.charCodeAt(i + 1) === 47)) {
      // comment to end of line
      let j = i;
      while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      if (j >= end) {
        inert = true;
        stmtEnd = i;
        break;
      }
      i = j;
      continue;
    }
    if (c === 34 /* " */) {
      const j = stringEnd(text, i);
      if (j >= end) {
        inert = true;
        stmtEnd = i;
        break;
      }
      i = j + 1;
      continue;
    }
    if (c === 10 || c === 13 || c === 59 /* ; */) stmtStart = i + 1;
    else if (c === 123 /* { */) {
      const words = statement(text, stmtStart, i).trim().split(/\s+/).filter(Boolean);
      blocks.push({ kind: words[0] ?? '', name: words[1] });
      stmtStart = i + 1;
    } else if (c === 125 /* } */) {
      blocks.pop();
      stmtStart = i + 1;
    }
    i++;
  }
  const stmt = statement(text, stmtStart, stmtEnd);
  let p = stmt.length;
  while (p > 0 && WORD_CHAR.test(stmt[p - 1]!)) p--;
  const partial = stmt.slice(p);
  return { blocks, before: stmt.slice(0, p), partial, partialStart: end - partial.length, inert };
}

/** index of the closing `"` of the string opened at `i` (or of the line end, or the text's end, when unterminated) */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 /* \\ */ ? 2 : 1;
  return j;
}

/** the statement text[from, to) as the cursor sees it: each complete string as ` "" ` (it holds no comment) */
function statement(text: string, from: number, to: number): string {
  let out = '';
  let k = from;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== 34) continue;
    out += text.slice(k, i) + ' "" ';
    i = stringEnd(text, i);
    k = i + 1;
  }
  return k < to ? out + text.slice(k, to) : out;
}
