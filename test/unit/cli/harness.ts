// Shared helpers for the CLI tests: run the real bundled CLI in a child
// process, compare golden files, validate SARIF structurally.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repo root: the nearest directory above this bundle whose package.json is named "cnet"; else the cwd. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'cnet') return dir;
      } catch {
        /* keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const ROOT = repoRoot();
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ARGS` from the repo root (relative paths in output stay stable). */
export function cnet(args: readonly string[], opts: { input?: string | Buffer; env?: Record<string, string | undefined>; script?: string } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [opts.script ?? CLI, ...args], {
    cwd: ROOT,
    input: opts.input ?? '',
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const UPDATE_GOLDEN = process.env['UPDATE_GOLDEN'] === '1';

/** Byte-for-byte comparison with a golden file; `UPDATE_GOLDEN=1` rewrites it instead. */
export function assertGolden(actual: string, goldenPath: string): void {
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(goldenPath), { recursive: true });
    writeFileSync(goldenPath, actual);
    return;
  }
  assert.ok(existsSync(goldenPath), `missing golden file ${goldenPath}; run with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(goldenPath, 'utf8');
  assert.equal(actual, expected, `output differs from ${goldenPath} (UPDATE_GOLDEN=1 regenerates it after you check the change is right)`);
}

/** Asserts a stack trace did not leak: one short `cnet:` line per problem. */
export function assertCleanError(stderr: string, mustMention: RegExp): void {
  assert.match(stderr, mustMention);
  assert.doesNotMatch(stderr, /\n\s+at [^\n]+:\d+:\d+/, `stack trace on stderr:\n${stderr}`);
  for (const line of stderr.split('\n').filter(Boolean)) assert.match(line, /^cnet: /, `unexpected stderr line: ${line}`);
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const isPosInt = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 1;

/**
 * The SARIF 2.1.0 subset GitHub code scanning requires (and what we promise):
 * $schema, version, runs[0].tool.driver{name,version,informationUri,rules[id,shortDescription]},
 * results[ruleId, level, message.text, locations[].physicalLocation{artifactLocation.uri, 1-based region}].
 */
export function validateSarif(doc: unknown): void {
  assert.ok(isObj(doc), 'SARIF is an object');
  assert.equal(typeof doc['$schema'], 'string');
  assert.match(doc['$schema'] as string, /sarif.*2\.1\.0/);
  assert.equal(doc['version'], '2.1.0');
  const runs = doc['runs'];
  assert.ok(Array.isArray(runs) && runs.length === 1, 'exactly one run');
  const run = runs[0] as Json;
  const driver = (run['tool'] as Json | undefined)?.['driver'] as Json | undefined;
  assert.ok(isObj(driver), 'tool.driver');
  assert.equal(driver['name'], 'cnet');
  assert.equal(typeof driver['version'], 'string');
  assert.match(driver['informationUri'] as string, /^https?:\/\/\S+$/);
  const rules = driver['rules'] as Json[];
  assert.ok(Array.isArray(rules) && rules.length > 0, 'rules');
  const ruleIds = new Set<string>();
  for (const r of rules) {
    assert.equal(typeof r['id'], 'string');
    assert.ok(!ruleIds.has(r['id'] as string), `rule ${String(r['id'])} listed once`);
    ruleIds.add(r['id'] as string);
    assert.equal(typeof (r['shortDescription'] as Json | undefined)?.['text'], 'string', `rule ${String(r['id'])} shortDescription.text`);
  }
  const results = run['results'] as Json[];
  assert.ok(Array.isArray(results), 'results');
  const checkPhysical = (pl: unknown, what: string) => {
    assert.ok(isObj(pl), `${what}: physicalLocation`);
    const uri = (pl['artifactLocation'] as Json | undefined)?.['uri'];
    assert.equal(typeof uri, 'string', `${what}: artifactLocation.uri`);
    assert.ok(!/^\//.test(uri as string) && !/\\/.test(uri as string), `${what}: uri ${String(uri)} is relative with / separators`);
    const region = pl['region'] as Json;
    assert.ok(isObj(region), `${what}: region`);
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(isPosInt(region[k]), `${what}: region.${k} is a 1-based integer (got ${String(region[k])})`);
    const [sl, sc, el, ec] = [region['startLine'], region['startColumn'], region['endLine'], region['endColumn']] as number[];
    assert.ok(el! > sl! || (el === sl && ec! >= sc!), `${what}: region ends before it starts`);
  };
  results.forEach((res, i) => {
    assert.ok(ruleIds.has(res['ruleId'] as string), `result ${i}: ruleId ${String(res['ruleId'])} is a declared rule`);
    if (res['ruleIndex'] !== undefined) assert.equal(rules[res['ruleIndex'] as number]?.['id'], res['ruleId'], `result ${i}: ruleIndex points at its rule`);
    assert.ok(['error', 'warning', 'note', 'none'].includes(res['level'] as string), `result ${i}: level`);
    assert.equal(typeof (res['message'] as Json | undefined)?.['text'], 'string', `result ${i}: message.text`);
    const locs = res['locations'] as Json[];
    assert.ok(Array.isArray(locs) && locs.length >= 1, `result ${i}: locations`);
    for (const l of locs) checkPhysical(l['physicalLocation'], `result ${i}`);
    for (const rl of (res['relatedLocations'] as Json[] | undefined) ?? []) {
      checkPhysical(rl['physicalLocation'], `result ${i} related`);
      assert.equal(typeof (rl['message'] as Json | undefined)?.['text'], 'string');
    }
  });
}
