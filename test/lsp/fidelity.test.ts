/**
 * Issue 12 in the editor: the effective MTU of a flannel docker0 and its
 * origin in hover and inlay hints; the implicit docker_gwbridge of a
 * docker-overlay-only container in inlay hints and hover.
 */
import * as assert from 'node:assert/strict';
import { positionAt, TestClient, uri } from './helpers';

const TEXT = `underlay lan 10.0.1.0/24 {
  uplink nat
}
overlay flannel0 {
  driver flannel
  subnet 10.2.0.0/16
  backend vxlan
}
overlay appnet {
  driver docker
  subnet 10.0.9.0/24
}
host core-01 {
  address 10.0.1.11 on lan
  bridge docker0 {
    subnet 10.2.1.0/24
    overlay flannel0
  }
  container web { expose 80/tcp }
  container api { network appnet }
}
`;

describe('lsp: MTU origin and docker_gwbridge', function () {
  let c: TestClient;
  const u = uri('fidelity');
  const td = { uri: u };
  before(async () => {
    c = await TestClient.start();
    await c.openAndWait(u, TEXT, 1);
  });
  after(async () => {
    await c.stop();
  });
  const label = (h: any) => (typeof h.label === 'string' ? h.label : h.label.map((p: any) => p.value).join(''));

  it('no diagnostics: the flannel docker0 without mtu already runs at the flannel MTU', async () => {
    const p = await c.diagnostics(u, (x) => x.version === 1);
    assert.deepEqual(p.diagnostics.map((d: any) => d.message), []);
  });
  it('an inlay hint after the docker0 name shows the effective MTU and where it comes from', async () => {
    const hints = await c.request('textDocument/inlayHint', { textDocument: td, range: { start: { line: 0, character: 0 }, end: positionAt(TEXT, TEXT.length) } });
    const at = positionAt(TEXT, TEXT.indexOf('docker0 {') + 'docker0'.length);
    const h = hints.find((x: any) => x.position.line === at.line && x.position.character === at.character);
    assert.ok(h, JSON.stringify(hints));
    assert.equal(label(h), 'mtu 1450 (flannel vxlan: lan 1500 − 50)');
  });
  it('the hover of docker0 shows the same', async () => {
    const h = await c.request('textDocument/hover', { textDocument: td, position: positionAt(TEXT, TEXT.indexOf('docker0 {') + 2) });
    const v = typeof h.contents === 'string' ? h.contents : h.contents.value;
    assert.match(v, /mtu 1450 \(flannel vxlan: lan 1500 − 50\)/);
  });
  it('the overlay-only container shows its implicit docker_gwbridge address', async () => {
    const hints = await c.request('textDocument/inlayHint', { textDocument: td, range: { start: { line: 0, character: 0 }, end: positionAt(TEXT, TEXT.length) } });
    const line = positionAt(TEXT, TEXT.indexOf('container api')).line;
    const labels = hints.filter((x: any) => x.position.line === line).map(label);
    assert.deepEqual(labels.sort(), ['docker_gwbridge 172.18.0.2', 'ip 10.0.9.2']);
  });
});
