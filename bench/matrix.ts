/**
 * The all-pairs matrix on generated clusters: hosts on one underlay, a
 * flannel lease per host (every fourth host with `icc false` and links),
 * two user bridges per host, multi-homed containers, publishes (some on
 * 127.0.0.1), `network host` agents and shared stacks. Prints the time to
 * analyse (parse + model + checks) and to compute the matrix, and the
 * number of equivalence classes the matrix walked.
 *
 *   npm run build && node dist/bench/matrix.js [containers...]   (default: 2000 10000)
 */
import { analyze } from '../server/src/core/index';
import { individualContainers, classKey, hostShape } from '../server/src/core/reach/matrix';

export function generateCluster(containers: number, perHost = 200): string {
  const hosts = Math.max(1, Math.ceil(containers / perHost));
  const out: string[] = [
    'topology "matrix bench"',
    'underlay lan 10.0.0.0/16 {',
    '  uplink nat',
    '}',
    'overlay flannel0 {',
    '  driver flannel',
    '  subnet 10.128.0.0/9',
    '  subnet-length 24',
    '  backend vxlan',
    '}',
  ];
  let n = 0;
  for (let h = 0; h < hosts; h++) {
    const strict = h % 4 === 3;
    out.push(`host core-${h} {`, `  address 10.0.${h >> 8}.${(h & 255) + 1} on lan`, '  expose 22/tcp');
    if (strict) {
      // a non-flannel host with icc false and legacy links
      out.push('  bridge docker0 {', '    subnet 172.17.0.0/16', '    icc false', '  }');
    } else {
      out.push('  bridge docker0 {', `    subnet 10.${128 + (h >> 8)}.${h & 255}.0/24`, '    overlay flannel0', '  }');
    }
    out.push('  bridge front {', '    subnet 172.20.0.0/16', '  }', '  bridge back {', '    subnet 172.21.0.0/16', '    masquerade false', '  }');
    for (let i = 0; i < perHost && n < containers; i++, n++) {
      const lines = [`  container c${n} {`];
      const k = i % 10;
      if (k === 0) lines.push('    network host', `    expose ${9100 + i}/tcp`);
      else if (k === 1) lines.push('    network front', '    expose 8080/tcp');
      else if (k === 2) lines.push('    network back', '    network front', '    expose 5432/tcp');
      else if (k === 3) lines.push('    network back', '    expose 6379/tcp');
      else if (k === 4 && i > 4) lines.push(`    network container:c${n - 1}`, '    expose 9000/tcp');
      else if (k === 5) lines.push('    expose 80/tcp', `    publish ${10000 + i}:80/tcp`);
      else if (k === 6) lines.push('    expose 5432/tcp', `    publish 127.0.0.1:${20000 + i}:5432/tcp`);
      else if (k === 7 && strict && i > 10) lines.push('    expose 8000/tcp', `    link c${n - 2}`);
      else lines.push('    expose 8080/tcp');
      lines.push('  }');
      out.push(...lines);
    }
    out.push('}');
    if (n >= containers) break;
  }
  return out.join('\n') + '\n';
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  for (const count of sizes.length ? sizes : [2000, 10000]) {
    const text = generateCluster(count);
    let t0 = performance.now();
    const a = analyze(text, { skipExpectations: true });
    const tAnalyze = performance.now() - t0;
    const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
    const ind = individualContainers(a.topology);
    const shapes = new Map(a.topology.hosts.map((h) => [h, hostShape(h)] as const));
    const classes = (role: 'source' | 'target') => new Set(a.topology.containers.map((c) => classKey(c, ind, shapes, role))).size;
    const sc = classes('source');
    const tc = classes('target');
    t0 = performance.now();
    const m = a.engine.matrix();
    const tMatrix = performance.now() - t0;
    let reachable = 0;
    t0 = performance.now();
    for (let i = 0; i < m.endpoints.length; i++) for (const d of m.row(i)) if (d === 'ACCEPTED') reachable++;
    const tRows = performance.now() - t0;
    t0 = performance.now();
    a.engine.matrix({ port: 8080, protocol: 'tcp' });
    const tPort = performance.now() - t0;
    const cells = m.endpoints.length ** 2;
    console.log(
      `matrix bench: ${count} containers on ${a.topology.hosts.length} hosts (${errors} errors in the file), ${sc} source × ${tc} target classes (${ind.size} individual), ${cells.toLocaleString('en')} cells, ${reachable.toLocaleString('en')} reachable`,
    );
    console.log(`  analyze                 ${tAnalyze.toFixed(0)} ms`);
    console.log(`  matrix (port-less)      ${tMatrix.toFixed(0)} ms  (includes compiling the data plane)`);
    console.log(`  matrix (--port 8080)    ${tPort.toFixed(0)} ms`);
    console.log(`  every row, one by one   ${tRows.toFixed(0)} ms  (what the CLI's streaming output walks)`);
    const mem = process.memoryUsage();
    console.log(`  heap used after         ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB (rss ${(mem.rss / 2 ** 20).toFixed(0)} MB)`);
  }
}

if (require.main === module) main();
