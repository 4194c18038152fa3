// The shell word splitter `import docker-run` reads command lines with:
// a quoting round trip (fast-check) and the forms scripts and units use.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { shQuote, splitShell } from '../../../server/src/import/shellWords';

describe('import docker-run: shell words', () => {
  it('quoting round trip: any words, quoted and joined (with continuations), split back to the same words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 8 }), fc.boolean(), (words, cont) => {
        const line = words.map(shQuote).join(cont ? ' \\\n  ' : ' ');
        const r = splitShell(line);
        assert.equal(r.error, undefined);
        assert.deepEqual(r.commands.flat().map((w) => w.text), words);
      }),
      { numRuns: 500 },
    );
  });

  it('variables: known, defaulted, or kept as written; comments and separators', () => {
    const r = splitShell('# start web\nsudo docker run -p "${PORT:-8080}:80" --name $NAME $IMG && echo ok # done\n', new Map([['NAME', 'web']]));
    assert.deepEqual(r.commands.map((c) => c.map((w) => w.text)), [['sudo', 'docker', 'run', '-p', '8080:80', '--name', 'web', '$IMG'], ['echo', 'ok']]);
    assert.equal(r.commands[0]![0]!.at, '# start web\n'.length);
  });

  it('an unterminated quote is an error at the quote', () => {
    const text = "docker run --name 'web nginx\n";
    const r = splitShell(text);
    assert.equal(r.error?.at, text.indexOf("'"));
  });
});
