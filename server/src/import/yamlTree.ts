/**
 * YAML → a plain tree that keeps each value's source offset. Aliases are
 * resolved and merge keys (`<<: *base`, `<<: [*a, *b]`) applied as YAML 1.1
 * and compose define them (explicit keys win; earlier merged maps win over
 * later ones). Alias expansion is bounded: a document whose expansion
 * exceeds `MAX_NODES` values ("billion laughs") is refused, as is one that
 * yaml's `maxAliasCount` guard rejects.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';

export type YNode = YMap | YSeq | YScalar;

export interface YMap {
  readonly kind: 'map';
  /** keys in source order (merged keys after explicit ones) */
  readonly entries: Map<string, YNode>;
  /** offset of each key */
  readonly keyAt: Map<string, number>;
  readonly at: number;
}
export interface YSeq {
  readonly kind: 'seq';
  readonly items: YNode[];
  readonly at: number;
}
export interface YScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly at: number;
}

export interface YamlError {
  readonly message: string;
  readonly offset: number;
}

/** Far above any real compose file; a 10 MB file is refused before parsing. */
export const MAX_YAML_BYTES = 4 * 2 ** 20;
export const MAX_NODES = 200_000;
export const MAX_ALIASES = 100;
const MAX_DEPTH = 200;

class Budget extends Error {}

export function parseYaml(text: string): { root?: YNode; errors: YamlError[] } {
  if (text.length > MAX_YAML_BYTES)
    return { errors: [{ message: `too large (${(text.length / 2 ** 20).toFixed(1)} MB); cnet imports YAML files up to ${MAX_YAML_BYTES / 2 ** 20} MB`, offset: 0 }] };
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    return { errors: [{ message: e instanceof Error ? e.message : String(e), offset: 0 }] };
  }
  if (doc.errors.length) return { errors: doc.errors.map((e) => ({ message: firstLine(e.message), offset: e.pos[0] })) };
  const root = doc.contents as YamlNode | null;
  if (!root) return { errors: [] };
  try {
    // yaml's own resource-exhaustion guard: an anchor whose expansion grows
    // too fast throws before any of it is built
    doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return { errors: [{ message: `${e instanceof Error ? e.message : String(e)} (more than ${MAX_ALIASES} alias expansions per anchor)`, offset: 0 }] };
  }
  let count = 0;
  const convert = (n: unknown, depth: number, at: number): YNode => {
    if (++count > MAX_NODES) throw new Budget();
    if (depth > MAX_DEPTH) throw new Budget();
    if (isAlias(n)) {
      const target = n.resolve(doc);
      return convert(target ?? null, depth + 1, n.range?.[0] ?? at);
    }
    const pos = (n as { range?: [number, number, number] } | null)?.range?.[0] ?? at;
    if (isMap(n)) {
      const entries = new Map<string, YNode>();
      const keyAt = new Map<string, number>();
      const merged: YMap[] = [];
      for (const pair of n.items) {
        const k = pair.key;
        const kAt = (k as { range?: number[] } | null)?.range?.[0] ?? pos;
        const kv = isScalar(k) ? k.value : k;
        if (isScalar(k) && (typeof kv === 'symbol' || kv === '<<')) {
          const v = convert(pair.value, depth + 1, kAt);
          if (v.kind === 'map') merged.push(v);
          else if (v.kind === 'seq') for (const it of v.items) if (it.kind === 'map') merged.push(it);
          continue;
        }
        const key = kv === null || kv === undefined ? 'null' : typeof kv === 'object' ? String((k as YamlNode).toString()) : String(kv);
        entries.set(key, convert(pair.value, depth + 1, kAt));
        keyAt.set(key, kAt);
      }
      for (const m of merged)
        for (const [k, v] of m.entries)
          if (!entries.has(k)) {
            entries.set(k, v);
            keyAt.set(k, m.keyAt.get(k) ?? m.at);
          }
      return { kind: 'map', entries, keyAt, at: pos };
    }
    if (isSeq(n)) return { kind: 'seq', items: n.items.map((it) => convert(it, depth + 1, pos)), at: pos };
    if (isScalar(n)) {
      const v = n.value;
      const value = v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      return { kind: 'scalar', value, at: pos };
    }
    return { kind: 'scalar', value: null, at: pos };
  };
  try {
    return { root: convert(root, 0, 0), errors: [] };
  } catch (e) {
    if (e instanceof Budget)
      return { errors: [{ message: `aliases expand to more than ${MAX_NODES} values or nest deeper than ${MAX_DEPTH} (a "billion laughs" document?); refusing to expand it`, offset: 0 }] };
    throw e;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

// --- small accessors ---------------------------------------------------------

export function str(n: YNode | undefined): string | undefined {
  if (!n || n.kind !== 'scalar' || n.value === null) return undefined;
  return String(n.value);
}

/** YAML 1.1 and compose accept `yes`/`on`/`"true"`; undefined when not a boolean. */
export function bool(n: YNode | undefined): boolean | undefined {
  if (!n || n.kind !== 'scalar') return undefined;
  if (typeof n.value === 'boolean') return n.value;
  const s = String(n.value).toLowerCase();
  if (['true', 'yes', 'on', 'y', '1'].includes(s)) return true;
  if (['false', 'no', 'off', 'n', '0'].includes(s)) return false;
  return undefined;
}

/** A sequence's items, or a single scalar as one item. */
export function list(n: YNode | undefined): YNode[] {
  if (!n) return [];
  if (n.kind === 'seq') return n.items;
  if (n.kind === 'scalar' && n.value === null) return [];
  return [n];
}
