import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Document, Span } from '../../../server/src/core/syntax/ast';

/** The repository root: the nearest directory up from the cwd whose package.json is named "cnet". */
export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'cnet') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the cnet repository root from ' + process.cwd());
    dir = up;
  }
}

export function fixture(name: string): string {
  return readFileSync(join(repoRoot(), 'test/fixtures/syntax', name), 'utf8');
}

/** The span of the `nth` occurrence of `needle` in `text` (fails the test when absent). */
export function at(text: string, needle: string, nth = 0): Span {
  let from = 0;
  for (let i = 0; ; i++) {
    const start = text.indexOf(needle, from);
    assert.ok(start >= 0, `\`${needle}\` (occurrence ${nth}) not found in the text`);
    if (i === nth) return { start, end: start + needle.length };
    from = start + 1;
  }
}

/** The span of `needle` found after the first occurrence of `anchor`. */
export function after(text: string, anchor: string, needle: string): Span {
  const a = text.indexOf(anchor);
  assert.ok(a >= 0, `anchor \`${anchor}\` not found`);
  const start = text.indexOf(needle, a);
  assert.ok(start >= 0, `\`${needle}\` not found after \`${anchor}\``);
  return { start, end: start + needle.length };
}

/** What a span covers, for readable failures. */
export function slice(text: string, span: Span | undefined): string | undefined {
  return span ? text.slice(span.start, span.end) : undefined;
}

/** Every span in a value (AST, errors, comments), with its path. */
export function allSpans(value: unknown, path = '$', out: { path: string; span: Span }[] = []): { path: string; span: Span }[] {
  if (Array.isArray(value)) value.forEach((v, i) => allSpans(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o['start'] === 'number' && typeof o['end'] === 'number' && Object.keys(o).length === 2) out.push({ path, span: o as unknown as Span });
    else for (const k of Object.keys(o)) if (k !== 'text' || typeof o[k] !== 'string') allSpans(o[k], `${path}.${k}`, out);
  }
  return out;
}

/** Fails unless every span of the document is a real range inside its text. */
export function assertSpansInside(doc: Document, context = ''): void {
  const n = doc.text.length;
  for (const { path, span } of allSpans({ decls: doc.decls, comments: doc.comments, errors: doc.errors })) {
    const ok = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= n;
    assert.ok(ok, `${context}${path} = [${span.start}, ${span.end}) is not inside a text of length ${n}`);
  }
}

export function errorTexts(doc: Document): string[] {
  return doc.errors.map((e) => doc.text.slice(e.span.start, e.span.end));
}
