/**
 * Incremental parsing for the editor: the same `Document` as `parse(text)`,
 * reparsing only the top-level regions an edit touched.
 *
 * `parse()` (parser.ts) parses a file region by region; a region starts at a
 * line whose first token is `topology`, `underlay`, `host` or `expect`
 * outside any braces. After an edit, the text before the first changed
 * character and after the last one is the same as before, so the regions
 * wholly before the change are kept as they are, the regions wholly after it
 * are kept with their offsets shifted by the change in length, and only the
 * regions in between (from the one holding the character before the change
 * to the one holding the first unchanged character after it) are lexed and
 * parsed again. The run grows (backwards or forwards) until it starts at a
 * region word and ends outside braces and not half-way through a statement
 * — the same conditions `parse()` splits on — so the result is `parse()`'s.
 * A kept region whose error message names a line number is parsed again
 * when the edit moved it across lines.
 * test/unit/syntax/incremental.test.ts checks the equality on random edits.
 */
import type { Document } from './ast';
import { assemble, braceDepth, lexRegion, parse, parseLexed, type Region } from './parser';
import * as T from './tokens';

export interface ReparseStats {
  /** what the last `parse()` did: 'same' text, a 'full' parse, or an 'incremental' one */
  readonly mode: 'same' | 'full' | 'incremental';
  /** characters lexed and parsed again */
  readonly chars: number;
  /** regions of the new document that were parsed again */
  readonly regions: number;
}

export class IncrementalParser {
  private text?: string;
  private regions?: Region[];
  private doc?: Document;
  stats: ReparseStats = { mode: 'full', chars: 0, regions: 0 };

  parse(text: string): Document {
    if (this.doc && this.text === text) {
      this.stats = { mode: 'same', chars: 0, regions: 0 };
      return this.doc;
    }
    if (this.regions && this.text !== undefined) {
      try {
        return this.update(this.text, this.regions, text);
      } catch {
        /* fall through to a full parse */
      }
    }
    return this.full(text);
  }

  private full(text: string): Document {
    let doc: Document;
    try {
      const regions = parseLexed(text, lexRegion(text, 0, text.length), true);
      doc = assemble(text, regions);
      this.save(text, regions, doc);
    } catch {
      doc = parse(text);
      this.text = this.regions = this.doc = undefined;
    }
    this.stats = { mode: 'full', chars: text.length, regions: this.regions?.length ?? 0 };
    return doc;
  }

  private save(text: string, regions: Region[], doc: Document): void {
    this.text = text;
    this.regions = regions;
    this.doc = doc;
  }

  private update(old: string, regions: Region[], text: string): Document {
    const oldLen = old.length;
    const newLen = text.length;
    const max = Math.min(oldLen, newLen);
    let p = 0;
    while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let s = 0;
    while (s < max - p && old.charCodeAt(oldLen - 1 - s) === text.charCodeAt(newLen - 1 - s)) s++;
    const delta = newLen - oldLen;
    const last = regions.length - 1;

    let a = regionAt(regions, Math.max(0, p - 1));
    let b = Math.max(a, regionAt(regions, Math.max(0, Math.min(oldLen - s, oldLen - 1))));
    let fresh: Region[];
    let runStart: number;
    let runEnd: number;
    for (;;) {
      runStart = regions[a]!.start;
      runEnd = b === last ? newLen : regions[b]!.end + delta;
      const lexed = lexRegion(text, runStart, runEnd);
      const first = lexed.tokens[0];
      if (a > 0 && !(first && regionWord.has(first.tokenType))) {
        // the run's first line no longer starts a region: it belongs to the one before
        a = Math.max(0, a - Math.max(1, b - a));
        continue;
      }
      if (b < last && braceDepth(lexed.tokens) !== 0) {
        b = Math.min(last, b + Math.max(1, b - a));
        continue;
      }
      fresh = parseLexed(text, lexed, b === last, runStart, runEnd);
      if (b < last && fresh[fresh.length - 1]!.atEnd) {
        b = Math.min(last, b + Math.max(1, b - a));
        continue;
      }
      break;
    }

    const out: Region[] = regions.slice(0, a);
    for (const r of fresh) out.push(r);
    if (b < last) {
      let lineDelta: number | undefined;
      const oldAfter = regions[b + 1]!.start;
      for (let i = b + 1; i <= last; i++) {
        const r = regions[i]!;
        if (r.lineDependent) {
          lineDelta ??= countLines(text, 0, oldAfter + delta) - countLines(old, 0, oldAfter);
          if (lineDelta !== 0) {
            const start = r.start + delta;
            const end = i === last ? newLen : r.end + delta;
            for (const q of parseLexed(text, lexRegion(text, start, end), i === last, start, end)) out.push(q);
            continue;
          }
        }
        out.push(delta === 0 ? r : shiftRegion(r, delta));
      }
    }
    const doc = assemble(text, out);
    this.save(text, out, doc);
    this.stats = { mode: 'incremental', chars: runEnd - runStart, regions: fresh.length };
    return doc;
  }
}

const regionWord = new Set([T.Topology, T.Underlay, T.Host, T.Expect]);

/** index of the last region starting at or before `offset` */
function regionAt(regions: readonly Region[], offset: number): number {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regions[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** line breaks in text[from, to) as `lineOf` counts them (`\n`, or a `\r` not followed by `\n`) */
function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

function shiftRegion(r: Region, delta: number): Region {
  return {
    start: r.start + delta,
    end: r.end + delta,
    decls: shift(r.decls, delta),
    comments: shift(r.comments, delta),
    errors: shift(r.errors, delta),
    atEnd: r.atEnd,
    lineDependent: r.lineDependent,
    tokens: r.tokens,
  };
}

/**
 * A deep copy of AST data with every span moved by `delta` (spans are the
 * only `{ start, end }` objects). Spans, the most common objects, are copied
 * by a literal of their own shape; other objects key by key.
 */
function shift<T>(v: T, delta: number): T {
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      out[i] = x !== null && typeof x === 'object' ? shift(x, delta) : x;
    }
    return out as T;
  }
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const start = o['start'];
  if (typeof start === 'number' && isSpan(o)) return { start: start + delta, end: (o['end'] as number) + delta } as T;
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const x = o[k];
    out[k] = x !== null && typeof x === 'object' ? shift(x, delta) : (k === 'start' || k === 'end') && typeof x === 'number' ? x + delta : x;
  }
  return out as T;
}

/** exactly `{ start: number, end: number }` */
function isSpan(o: Record<string, unknown>): boolean {
  if (typeof o['end'] !== 'number') return false;
  let n = 0;
  for (const _ in o) if (++n > 2) return false;
  return true;
}
