// The importers never throw on what a user can feed them: real inputs from
// the corpora with their structure mutated at random (any JSON/YAML node
// replaced by a value of another type, or removed), and text spliced at
// random. Each import returns text or positioned errors, never an exception,
// and its text analyses (and so is something `cnet check` can report on).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYamlText, stringify } from 'yaml';
import { analyze } from '../../../server/src/core/index';
import { importCompose } from '../../../server/src/import/compose';
import { importDocker } from '../../../server/src/import/docker';
import { importDockerRun } from '../../../server/src/import/dockerRun';
import type { ImportResult } from '../../../server/src/import/messages';
import { repoRoot } from '../reach/helpers';

const FIX = join(repoRoot(), 'test/fixtures/import');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

const dockerInputs = filesUnder(join(FIX, 'docker')).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown);
const runInputs = filesUnder(join(FIX, 'docker-run')).filter((f) => !f.endsWith('README.md')).map((f) => ({ name: f.slice(FIX.length + 1), text: readFileSync(f, 'utf8') }));
const composeInputs = filesUnder(join(FIX, 'compose')).filter((f) => /\.ya?ml$/.test(f)).slice(0, 12).map((f) => readFileSync(f, 'utf8'));

/** Every path to a node of a JSON value. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** `v` with the node at `path` replaced by `by` (undefined: removed). */
function replaced(v: unknown, path: readonly (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  const [k, ...rest] = path;
  if (Array.isArray(v)) {
    const c = [...v];
    if (rest.length === 0 && by === undefined) c.splice(k as number, 1);
    else c[k as number] = replaced(c[k as number], rest, by);
    return c;
  }
  const o = { ...(v as Record<string, unknown>) };
  if (rest.length === 0 && by === undefined) delete o[k as string];
  else o[k as string] = replaced(o[k as string], rest, by);
  return o;
}

const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -70000, max: 70000 }),
  fc.double(),
  fc.boolean(),
  fc.constantFrom('', '/', 'container:', 'container:x', 'bridge', 'host', 'none', '10.0.0.1', '10.0.0.300/40', '::1', '80/tcp', 'x:y:z', '0.0.0.0'),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant([{}]),
  fc.constant({ a: 1 }),
);

/** mutate a value `n` times at random nodes */
const mutated = (inputs: readonly unknown[]) =>
  fc.tuple(fc.integer({ min: 0, max: inputs.length - 1 }), fc.array(fc.tuple(fc.nat(), oddValue), { minLength: 1, maxLength: 4 })).map(([i, edits]) => {
    let v = inputs[i];
    for (const [pick, by] of edits) {
      const ps = paths(v);
      v = replaced(v, ps[pick % ps.length]!, by);
    }
    return v;
  });

function wellFormed(r: ImportResult): void {
  for (const m of [...r.warnings, ...r.errors]) assert.equal(typeof m.message, 'string');
  if (r.errors.length === 0) {
    assert.equal(typeof r.text, 'string');
    analyze(r.text!);
  }
}

describe('import: messy input never crashes an importer', () => {
  it('import docker: real inspect output with nodes of the wrong type or missing', () => {
    fc.assert(
      fc.property(mutated(dockerInputs), fc.boolean(), (v, oneEngine) => {
        const text = JSON.stringify(v) ?? 'null';
        wellFormed(importDocker([{ name: 'h1.json', text }], oneEngine ? { host: 'e' } : {}));
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('import compose: real compose files with nodes of the wrong type or missing', () => {
    const parsed = composeInputs.map((t) => JSON.parse(JSON.stringify(parseYamlText(t) ?? null)) as unknown);
    fc.assert(
      fc.property(mutated(parsed), (v) => {
        wellFormed(importCompose(v === undefined ? '' : stringify(v), { fileName: 'compose.yml', env: new Map() }));
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });

  it('import docker-run: scripts and units spliced at random', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: runInputs.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('', '"', "'", '\\', '\n', '$', '${', '`', ' -p ', ' --net=container:', ' --ip ', '=', '{', '[', '%', 'docker run ', 'ExecStart=', '[X-Fleet]\n')), { minLength: 1, maxLength: 5 }),
        (i, splices) => {
          let { name, text } = runInputs[i]!;
          for (const [at, del, ins] of splices) {
            const p = at % (text.length + 1);
            text = text.slice(0, p) + ins + text.slice(p + del);
          }
          wellFormed(importDockerRun([{ name, text }], {}));
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });
});
