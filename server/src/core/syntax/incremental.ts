/**
 * Incremental parsing for the editor (placeholder: a full parse every time).
 */
import type { Document } from './ast';
import { parse } from './parser';

export class IncrementalParser {
  parse(text: string): Document {
    return parse(text);
  }
}
