/**
 * Model build + checks on a generated 10,000-container topology:
 * 50 hosts on one underlay, a flannel lease per host, two user bridges per
 * host (100 in all), explicit addresses sprinkled through, publishes, links
 * and expectations. Prints the median of several runs per phase.
 *
 *   npm run build && node --expose-gc dist/bench/model.js [containers]
 */
import { parse } from '../server/src/core/syntax/parser';
import { buildModel } from '../server/src/core/model/build';
import { runChecks } from '../server/src/core/checks/index';

export function generate(containers: number, hosts = 50): string {
  const out: string[] = ['topology "bench"', 'underlay lan 10.0.0.0/16 {', '  mtu 1500', '  uplink nat', '}', 'overlay flannel0 {', '  driver flannel', '  subnet 10.128.0.0/9', '  subnet-length 24', '  backend vxlan', '}'];
  const perHost = Math.ceil(containers / hosts);
  let n = 0;
  for (let h = 0; h < hosts && n < containers; h++) {
    out.push(`host core-${h} {`, `  address 10.0.${h >> 8}.${(h & 255) + 1} on lan`, '  expose 22/tcp, 2379/tcp');
    out.push('  bridge docker0 {', `    subnet 10.${128 + (h >> 8)}.${h & 255}.0/24`, '    mtu 1450', '    overlay flannel0', '  }');
    out.push('  bridge front {', `    subnet 172.20.0.0/16`, '  }', '  bridge back {', `    subnet 172.21.0.0/16`, '  }');
    for (let i = 0; i < perHost && n < containers; i++, n++) {
      const lines = [`  container c${n} {`, '    expose 8080/tcp'];
      const k = i % 4;
      if (k === 1) lines.push('    network front');
      else if (k === 2) lines.push(`    network back${i % 12 === 2 ? ` ip 172.21.${(i >> 8) & 255}.${(i & 255) || 1}` : ''}`, '    network front');
      else if (k === 3) lines.push('    network back');
      if (i % 10 === 0 && k === 0) lines.push(`    publish ${10000 + i}:8080`);
      if (i > 4 && k === 0) lines.push(`    link c${n - 4}`);
      lines.push('  }');
      out.push(...lines);
    }
    out.push('}');
  }
  for (let i = 0; i + 1 < containers && i < 2000; i += 10) out.push(`expect c${i} -> c${i + 1} : 8080`);
  return out.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function main(): void {
  const count = Number(process.argv[2] ?? 10000);
  const text = generate(count);
  const runs = 7;
  const times = { parse: [] as number[], build: [] as number[], checks: [] as number[] };
  let diagnostics = 0;
  let segments = 0;
  // Collect between phases when allowed (node --expose-gc), so one phase's
  // garbage (the parser's CST) is not billed to the next.
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  for (let r = 0; r < runs; r++) {
    gc();
    let t0 = performance.now();
    const doc = parse(text);
    times.parse.push(performance.now() - t0);
    gc();
    t0 = performance.now();
    const built = buildModel(doc);
    times.build.push(performance.now() - t0);
    gc();
    t0 = performance.now();
    const ds = runChecks(built.topology);
    times.checks.push(performance.now() - t0);
    diagnostics = built.diagnostics.length + ds.length + doc.errors.length;
    segments = built.topology.segments.length;
  }
  const f = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`model bench: ${count} containers, ${text.length} chars, ${segments} segments, ${diagnostics} diagnostics`);
  console.log(`  parse  ${f(median(times.parse))}`);
  console.log(`  build  ${f(median(times.build))}`);
  console.log(`  checks ${f(median(times.checks))}`);
  console.log(`  build+checks ${f(median(times.build) + median(times.checks))} (median of ${runs})`);
}

if (require.main === module) main();
