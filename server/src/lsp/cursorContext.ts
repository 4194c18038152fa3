/**
 * Where the cursor is, read from the raw text rather than the AST: while a
 * line is being typed the parser has to recover around it, but braces and
 * statement boundaries still tell exactly which block encloses the cursor
 * and what was typed before it on the same statement.
 */

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

export function cursorContext(text: string, offset: number): CursorContext {
  const end = Math.max(0, Math.min(offset, text.length));
  const blocks: Block[] = [];
  let stmt = '';
  let inert = false;
  let i = 0;
  while (i < end) {
    const ch = text[i]!;
    if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      // comment to end of line
      let j = i;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') j++;
      if (j >= end) {
        inert = true;
        i = end;
        break;
      }
      i = j;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= end) {
        inert = true;
        i = end;
        break;
      }
      stmt += ' "" ';
      i = j + 1;
      continue;
    }
    if (ch === '\n' || ch === '\r' || ch === ';') stmt = '';
    else if (ch === '{') {
      const words = stmt.trim().split(/\s+/).filter(Boolean);
      blocks.push({ kind: words[0] ?? '', name: words[1] });
      stmt = '';
    } else if (ch === '}') {
      blocks.pop();
      stmt = '';
    } else stmt += ch;
    i++;
  }
  let p = stmt.length;
  while (p > 0 && WORD_CHAR.test(stmt[p - 1]!)) p--;
  const partial = stmt.slice(p);
  return { blocks, before: stmt.slice(0, p), partial, partialStart: end - partial.length, inert };
}
