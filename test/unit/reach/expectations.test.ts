/**
 * `expect` and `link` as checked expectations: codes, ranges (the arrow;
 * a link's target name), related locations, skipping unresolved endpoints,
 * and the examples/broken files that declare what they must produce.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { repoRoot } from './helpers';

const REACH = new Set(['unreachable', 'unexpectedly-reachable']);
const reachDiags = (text: string) => analyze(text).diagnostics.filter((d) => REACH.has(d.code));
const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return { start: i, end: i + needle.length };
};

const ICC = `underlay lan 192.168.10.0/24 {
  uplink nat
}
host h {
  address 192.168.10.11 on lan
  bridge docker0 {
    subnet 10.1.15.0/24
    icc false
  }
  container web {
    expose 80/tcp
    link db
  }
  container db { expose 5432/tcp }
  container other { expose 9000/tcp }
}
`;

describe('expectations', () => {
  it('a holding expect produces nothing', () => {
    assert.deepEqual(reachDiags(`${ICC}expect web -> db : 5432\nexpect other -/-> db : 5432\nexpect web -> internet\n`), []);
  });

  it('unreachable sits on the arrow, names the disposition and relates the icc line', () => {
    const text = `${ICC}expect other -> db : 5432\n`;
    const ds = reachDiags(text);
    assert.equal(ds.length, 1);
    const d = ds[0]!;
    assert.equal(d.code, 'unreachable');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.span, at(text, '->', 0 + (text.match(/->/g)!.length - 1)));
    assert.match(d.message, /DENIED_ICC/);
    assert.ok(d.related?.some((r) => r.span.start === text.indexOf('icc false')), 'related points at `icc false`');
  });

  it('unexpectedly-reachable sits on the -/-> arrow and names the path', () => {
    const text = `${ICC}expect web -/-> db : 5432\n`;
    const ds = reachDiags(text);
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.code, 'unexpectedly-reachable');
    assert.deepEqual(ds[0]!.span, at(text, '-/->'));
    assert.match(ds[0]!.message, /web .*db/);
  });

  it('a port-less negated expectation fails when any exposed port is reachable', () => {
    const ds = reachDiags(`${ICC}expect web -/-> db\nexpect other -/-> db\n`);
    assert.deepEqual(ds.map((d) => d.code), ['unexpectedly-reachable']);
  });

  it('a port-less expectation holds on any exposed port; asks IP level when none is exposed', () => {
    const text = `${ICC.replace('container other { expose 9000/tcp }', 'container other { }')}expect web -> db\nexpect web -> other\n`;
    const ds = reachDiags(text);
    assert.equal(ds.length, 1);
    assert.deepEqual(ds[0]!.span, at(text, '->', text.match(/->/g)!.length - 1));
  });

  it('a link is an implied expectation on every port the target exposes, reported on the target name', () => {
    const text = ICC.replace('link db', 'link other').replace('container other { expose 9000/tcp }', 'container other { expose 9000/tcp, 9001/tcp }');
    // on the default bridge the link opens exactly those ports: holds
    assert.deepEqual(reachDiags(text), []);
    const user = `underlay lan 192.168.10.0/24 {
  uplink nat
}
host h {
  address 192.168.10.11 on lan
  bridge users {
    subnet 10.1.15.0/24
    icc false
  }
  container web {
    network users
    link other
  }
  container other {
    network users
    expose 9000/tcp, 9001/tcp
  }
}
`;
    const ds = reachDiags(user);
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.code, 'unreachable');
    assert.deepEqual(ds[0]!.span, at(user, 'other', 0));
    assert.match(ds[0]!.message, /DENIED_ICC/);
    assert.match(ds[0]!.message, /9000\/tcp, 9001\/tcp/);
  });

  it('skips expectations whose endpoints did not resolve', () => {
    const ds = analyze(`${ICC}expect nobody -> db : 5432\nexpect web -> nothing\n`).diagnostics;
    assert.ok(ds.some((d) => d.code === 'unknown-name'));
    assert.equal(ds.filter((d) => REACH.has(d.code)).length, 0);
  });

  it('a host declared twice: its containers still get walked (duplicate-name only, no internal error)', () => {
    const text = `host h { }\nhost h {\n  container api { link cache }\n  container cache { expose 6379 }\n}\nexpect api -> cache : 6379\nexpect internet -/-> api\n`;
    const a = analyze(text);
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['duplicate-name'],
    );
    const m = a.engine.matrix();
    assert.deepEqual(m.endpoints, ['api', 'cache', 'internet']);
    assert.equal(m.reachable[0]![1], true);
  });

  describe('examples/broken', () => {
    const dir = path.join(repoRoot(), 'examples/broken');
    const mine = fs.readdirSync(dir).filter((f) => /^(unreachable|unexpectedly-reachable).*\.cnet$/.test(f));
    it('exist', () => assert.ok(mine.length >= 3));
    for (const f of mine) {
      it(f, () => {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        const m = /^# expect-diagnostics:\s*(.+)$/m.exec(text);
        assert.ok(m, 'declares its diagnostics');
        const want = new Set(m[1]!.split(/[\s,]+/).filter(Boolean));
        const got = new Set(analyze(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
        assert.deepEqual([...got].sort(), [...want].sort());
      });
    }
  });
});
