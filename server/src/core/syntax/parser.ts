// PLACEHOLDER (owned by the parser work): the real Chevrotain parser replaces this file.
import type { Document } from './ast';
/** Parses a `.cnet` text. Never throws: errors are in `Document.errors`. */
export function parse(text: string): Document {
  return { text, decls: [], comments: [], errors: [{ message: 'parser not implemented yet', span: { start: 0, end: 0 } }] };
}
