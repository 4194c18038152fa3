/**
 * `cursorContext` from `scanStart` (the last top-level declaration before the
 * cursor, when no parse error precedes it) reads exactly what a scan from the
 * top of the text reads: on the examples, on a generated cluster, and on
 * random edits of them (half-typed statements, stray braces, cut blocks).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../server/src/core/syntax/parser';
import { cursorContext, scanStart } from '../../server/src/lsp/cursorContext';
import { generate, mulberry32 } from '../../bench/generate';
import { repoRoot } from './helpers';

const PIECES = ['{', '}', '\n', '"', '#', '//', ' container x', ' host h {', 'network ', ' ip 10.', ';', 'expect a -> ', '\nhost', '\n}\n'];

describe('cursorContext from scanStart', () => {
  const dir = path.join(repoRoot(), 'examples');
  const texts = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cnet'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  texts.push(generate(300, 3).text);

  it('agrees with a scan from the top, at random offsets of the examples and of random edits of them', () => {
    const rnd = mulberry32(20261208);
    let skipped = 0;
    let checked = 0;
    for (const original of texts) {
      let text = original;
      for (let edit = 0; edit < 40; edit++) {
        const doc = parse(text);
        for (let k = 0; k < 25; k++) {
          const offset = Math.floor(rnd() * (text.length + 1));
          const from = scanStart(doc, offset);
          if (from > 0) skipped++;
          checked++;
          assert.deepStrictEqual(cursorContext(text, offset, from), cursorContext(text, offset), `offset ${offset} from ${from}`);
        }
        const at = Math.floor(rnd() * (text.length + 1));
        const piece = PIECES[Math.floor(rnd() * PIECES.length)]!;
        const del = rnd() < 0.5 ? 0 : Math.floor(rnd() * 30);
        text = text.slice(0, at) + piece + text.slice(Math.min(text.length, at + del));
      }
    }
    // the shortcut is taken, not only the fallback to 0
    assert.ok(skipped > checked / 10, `${skipped} of ${checked} started after the top`);
  });

  it('a completion in the middle of a large cluster starts at its host block', () => {
    const g = generate(2000, 1);
    const doc = parse(g.text);
    const from = scanStart(doc, g.marks.completionOffset);
    assert.ok(from > g.text.length / 4, `starts at ${from} of ${g.text.length}`);
    assert.ok(/^host /.test(g.text.slice(from)), 'at a host declaration');
  });
});
