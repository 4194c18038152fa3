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
import { assemble, depthAfter, firstToken, fitsAtDepth, parse, parseRange, type Region } from './parser';
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
      const regions = parseRange(text, true);
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
    const p = commonPrefix(old, text, max);
    const s = commonSuffix(old, text, max - p);
    const delta = newLen - oldLen;
    const last = regions.length - 1;

    let a = regionAt(regions, Math.max(0, p - 1));
    let b = Math.max(a, regionAt(regions, Math.max(0, Math.min(oldLen - s, oldLen - 1))));
    let fresh: Region[];
    let runStart: number;
    let runEnd: number;
    /** the regions after the run, as they are kept (to be moved, their depth updated), once the run is settled */
    let after: (Region | Moved)[];
    for (;;) {
      runStart = regions[a]!.start;
      runEnd = b === last ? newLen : regions[b]!.end + delta;
      const first = firstToken(text, runStart, runEnd);
      const growBack = () => (a = Math.max(0, a - Math.max(1, b - a)));
      const growOn = (to = b + 1) => (b = Math.min(last, Math.max(to, b + Math.max(1, b - a))));
      if (a > 0 && !(first && regionWord.has(first.tokenType))) {
        // the run's first line no longer starts a region: it belongs to the one before
        growBack();
        continue;
      }
      // the regions before the run are unchanged, and so is the brace depth they leave open
      const depthIn = regions[a]!.depthIn;
      fresh = parseRange(text, b === last, runStart, runEnd, depthIn);
      if (a > 0 && !fitsAtDepth(fresh[0]!, depthIn)) {
        // the braces left open before the run change what it says: it joins the region before
        growBack();
        continue;
      }
      if (b < last && fresh[fresh.length - 1]!.atEnd) {
        growOn();
        continue;
      }
      const kept = this.keep(old, text, regions, b, fresh, delta);
      if (typeof kept === 'number') {
        // a kept region does not fit the brace depth the new text leaves open before it
        growOn(kept);
        continue;
      }
      after = kept;
      break;
    }

    const out: Region[] = regions.slice(0, a);
    for (const r of fresh) out.push(r);
    // only now that the run is settled: moving is in place, and keep() may run more than once
    for (const r of after) out.push(r instanceof Moved ? moveRegion(r.region, delta, r.depthIn) : r);
    const doc = assemble(text, out);
    this.save(text, out, doc);
    this.stats = { mode: 'incremental', chars: runEnd - runStart, regions: fresh.length };
    return doc;
  }

  /**
   * The regions after the run (index b + 1 on) in the new text: shifted by
   * `delta`, entered at the brace depth the new text leaves open before
   * them, reparsed when an error names a line number and the edit moved
   * them across lines. A number: the index of the first one that must be
   * parsed again with the run (it does not fit its new depth, or it was
   * merged for its old one).
   */
  private keep(old: string, text: string, regions: readonly Region[], b: number, fresh: readonly Region[], delta: number): (Region | Moved)[] | number {
    const last = regions.length - 1;
    const out: (Region | Moved)[] = [];
    if (b >= last) return out;
    const newLen = text.length;
    const lastFresh = fresh[fresh.length - 1]!;
    let depth = depthAfter(lastFresh.depthIn, lastFresh.braces);
    let lineDelta: number | undefined;
    const oldAfter = regions[b + 1]!.start;
    for (let i = b + 1; i <= last; i++) {
      const r = regions[i]!;
      if (depth !== r.depthIn && (r.depthMerged || !fitsAtDepth(r, depth))) return i;
      if (r.lineDependent) {
        lineDelta ??= countLines(text, 0, oldAfter + delta) - countLines(old, 0, oldAfter);
        if (lineDelta !== 0) {
          const start = r.start + delta;
          const end = i === last ? newLen : r.end + delta;
          const again = parseRange(text, i === last, start, end, depth);
          // the same tokens at a depth the region fits: it cannot need the region before it
          if (!fitsAtDepth(again[0]!, depth)) throw new Error('a reparsed region no longer fits its depth');
          for (const q of again) {
            out.push(q);
            depth = depthAfter(q.depthIn, q.braces);
          }
          continue;
        }
      }
      out.push(delta === 0 && depth === r.depthIn ? r : new Moved(r, depth));
      depth = depthAfter(depth, r.braces);
    }
    return out;
  }
}

const regionWord = new Set([T.Topology, T.Underlay, T.Host, T.Expect]);

/**
 * Chunk of the prefix and suffix comparisons: two equal substrings compare
 * as memory (V8), where a loop of `charCodeAt` over the unchanged half of a
 * 1 MB file took 6 ms per edit.
 */
const CHUNK = 4096;

/** length of the longest common prefix of a and b, at most `max` */
export function commonPrefix(a: string, b: string, max: number): number {
  let p = 0;
  while (p + CHUNK <= max && a.substring(p, p + CHUNK) === b.substring(p, p + CHUNK)) p += CHUNK;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** length of the longest common suffix of a and b, at most `max` */
export function commonSuffix(a: string, b: string, max: number): number {
  const al = a.length;
  const bl = b.length;
  let s = 0;
  while (s + CHUNK <= max && a.substring(al - s - CHUNK, al - s) === b.substring(bl - s - CHUNK, bl - s)) s += CHUNK;
  while (s < max && a.charCodeAt(al - 1 - s) === b.charCodeAt(bl - 1 - s)) s++;
  return s;
}

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

/** A kept region, to be moved by the run's delta and entered at brace depth `depthIn` once the run is settled. */
class Moved {
  constructor(
    readonly region: Region,
    readonly depthIn: number,
  ) {}
}

/**
 * `r` moved by `delta`, entered at brace depth `depthIn`. Its AST is moved
 * in place, not copied: the parser owns the documents it returns, and one
 * is valid until its next `parse()` (the language server lets the older
 * analysis go before it parses a newer version, store.ts). Copying a kept
 * half of a 10,000-container file was 11 ms and several MB of garbage per
 * edit, and gave the copies hidden classes of their own, so every later
 * phase read two shapes of each node; moving keeps each node, and its
 * identity, across edits.
 */
function moveRegion(r: Region, delta: number, depthIn: number): Region {
  if (delta !== 0) {
    shiftInPlace(r.decls, delta);
    shiftInPlace(r.comments, delta);
    shiftInPlace(r.errors, delta);
  }
  return {
    start: r.start + delta,
    end: r.end + delta,
    decls: r.decls,
    comments: r.comments,
    errors: r.errors,
    atEnd: r.atEnd,
    lineDependent: r.lineDependent,
    tokens: r.tokens,
    braces: r.braces,
    outerBrace: r.outerBrace,
    depthIn,
    depthMerged: r.depthMerged,
  };
}

/**
 * Adds `delta` to every `start` and `end` offset in AST data, in place. The
 * AST is a tree (build.ts `copySpan`; test/unit/syntax/incremental.test.ts
 * checks it), so no offset is moved twice.
 */
function shiftInPlace(v: unknown, delta: number): void {
  if (Array.isArray(v)) {
    for (let i = 0, n = v.length; i < n; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object') shiftInPlace(x, delta);
    }
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'number') {
      if (k === 'start' || k === 'end') o[k] = x + delta;
    } else if (x !== null && typeof x === 'object') shiftInPlace(x, delta);
  }
}
