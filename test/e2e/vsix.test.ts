/**
 * The packaged .vsix holds exactly what the extension runs: production
 * bundles without tests or source maps, the grammar, the language
 * configuration, the icon and the marketplace documents; every file the
 * manifest points at is inside. Run after `npm run package` (scripts/test-all.mjs does).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { inflateRawSync } from 'zlib';

function repoRoot(): string {
  for (let d = process.cwd(); ; d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'cnet') return d;
    if (path.dirname(d) === d) throw new Error('run from inside the cnet repository');
  }
}

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

/** The central directory of a zip file (no zip64: a .vsix is small). */
function listZip(buf: Buffer): Entry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert.strictEqual(buf.readUInt32LE(p), 0x02014b50, 'corrupt central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), method, compressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function read(buf: Buffer, e: Entry): string {
  const h = e.localOffset;
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  return (e.method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
}

describe('packaged .vsix', () => {
  const root = repoRoot();
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  let buf: Buffer;
  let entries: Entry[];
  let names: string[];

  before(function () {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} missing: run \`npm run package\` first`);
    buf = fs.readFileSync(vsix);
    entries = listZip(buf);
    names = entries.map((e) => e.name);
  });

  it('contains the bundles, grammar, language configuration, icon and documents', () => {
    const required = [
      'extension.vsixmanifest',
      'extension/package.json',
      'extension/dist/client/extension.js',
      'extension/dist/server.js',
      'extension/dist/webview/preview.js',
      'extension/dist/webview/preview.css',
      'extension/syntaxes/cnet.tmLanguage.json',
      'extension/language-configuration.json',
      'extension/images/icon.png',
      'extension/images/cnet-file.svg',
      'extension/LICENSE.txt',
    ];
    for (const r of required) assert.ok(names.includes(r), `${r} is not in the package:\n${names.join('\n')}`);
    const docs = names.map((n) => n.toLowerCase());
    assert.ok(docs.includes('extension/changelog.md'), 'CHANGELOG.md missing');
    if (fs.existsSync(path.join(root, 'README.md'))) assert.ok(docs.includes('extension/readme.md'), 'README.md missing');
  });

  it('contains nothing else: no sources, tests, source maps, node_modules, CLI or bench bundles', () => {
    const allowed = [
      /^\[Content_Types\]\.xml$/,
      /^extension\.vsixmanifest$/,
      /^extension\/package\.json$/,
      /^extension\/(readme|changelog)\.md$/i,
      /^extension\/LICENSE\.txt$/,
      /^extension\/language-configuration\.json$/,
      /^extension\/syntaxes\/[^/]+\.tmLanguage\.json$/,
      /^extension\/images\/icon\.png$/,
      /^extension\/images\/cnet-file\.svg$/,
      /^extension\/dist\/client\/extension\.js$/,
      /^extension\/dist\/server\.js$/,
      /^extension\/dist\/webview\/[^/]+\.(js|css)$/,
    ];
    const extra = names.filter((n) => !n.endsWith('/') && !allowed.some((re) => re.test(n)));
    assert.deepStrictEqual(extra, [], `unexpected files in the package`);
  });

  it('ships production bundles: no source maps or sourceMappingURL comments', () => {
    for (const e of entries.filter((x) => x.name.endsWith('.js'))) {
      const text = read(buf, e);
      assert.ok(!/\/\/# sourceMappingURL=/.test(text), `${e.name} references a source map`);
    }
  });

  it('every file the manifest points at is inside', () => {
    const inner = JSON.parse(read(buf, entries.find((e) => e.name === 'extension/package.json')!));
    const refs: string[] = [inner.main, inner.icon];
    for (const l of inner.contributes?.languages ?? []) {
      if (l.configuration) refs.push(l.configuration);
      if (l.icon) refs.push(l.icon.light, l.icon.dark);
    }
    for (const g of inner.contributes?.grammars ?? []) refs.push(g.path);
    for (const r of refs) {
      assert.ok(typeof r === 'string', `a manifest reference is missing: ${JSON.stringify(refs)}`);
      const want = 'extension/' + path.posix.normalize(r.replace(/^\.\//, ''));
      const candidates = [want, want + '.js'];
      assert.ok(candidates.some((c) => names.includes(c)), `${r} (from package.json) is not in the package`);
    }
  });

  it('has the marketplace fields and an engine the typings match', () => {
    const inner = JSON.parse(read(buf, entries.find((e) => e.name === 'extension/package.json')!));
    for (const k of ['name', 'displayName', 'description', 'version', 'publisher', 'license', 'icon', 'repository', 'categories', 'keywords']) {
      assert.ok(inner[k], `package.json lacks ${k}`);
    }
    const engine = /^\^?(\d+)\.(\d+)/.exec(inner.engines.vscode);
    const types = /(\d+)\.(\d+)/.exec(pkg.devDependencies['@types/vscode']);
    assert.ok(engine && types, 'engines.vscode or @types/vscode unreadable');
    const cmp = Number(types[1]) - Number(engine[1]) || Number(types[2]) - Number(engine[2]);
    assert.ok(cmp <= 0, `@types/vscode ${pkg.devDependencies['@types/vscode']} is newer than engines.vscode ${inner.engines.vscode}`);
    const manifest = read(buf, entries.find((e) => e.name === 'extension.vsixmanifest')!);
    assert.match(manifest, new RegExp(`Version="${pkg.version.replace(/\./g, '\\.')}"`));
  });

  it('is small: under 5 MiB', () => {
    assert.ok(buf.length < 5 * 1024 * 1024, `${(buf.length / 1048576).toFixed(1)} MiB`);
  });
});
