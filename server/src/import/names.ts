/**
 * `.cnet` names for things named elsewhere. A name that is not a `.cnet`
 * identifier (`[A-Za-z_][A-Za-z0-9_]*` then groups of `-`/`.` and more) is
 * rewritten, and names that would collide in one namespace get a suffix;
 * either way the caller is told, so it can warn.
 */

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*$/;

export function isCnetName(s: string): boolean {
  return IDENT.test(s);
}

/** The closest identifier to `raw`. */
export function toCnetName(raw: string): string {
  if (IDENT.test(raw)) return raw;
  let s = raw
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/[-.]{2,}/g, (m) => m[0]!)
    .replace(/^[-.]+|[-.]+$/g, '');
  if (s === '') s = 'unnamed';
  if (!/^[A-Za-z_]/.test(s)) s = '_' + s;
  // `a.-b` cannot happen after the collapse above, but keep the guarantee
  return IDENT.test(s) ? s : s.replace(/[^A-Za-z0-9_]/g, '_');
}

/** One namespace: hands out unique names. */
export class Namespace {
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }
  has(name: string): boolean {
    return this.used.has(name);
  }
  /** A unique `.cnet` name for `raw`; `changed` says whether it differs from `raw`. */
  claim(raw: string): { name: string; changed: boolean } {
    const base = toCnetName(raw);
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}-${i}`;
    this.used.add(name);
    return { name, changed: name !== raw };
  }
}

/** Names the language gives a meaning of its own as an endpoint. */
export const RESERVED_GLOBAL = ['internet'];
