/**
 * Parser throughput on a generated 10,000-container file (100 hosts × 100
 * containers, plus underlay, overlay, bridges and expectations).
 * Run: npm run build && node dist/bench/parse.js [hosts] [containersPerHost]
 */
import { parse, lex } from '../server/src/core/syntax/parser';

export function generate(hosts: number, perHost: number): string {
  const out: string[] = ['topology "bench"', '', 'underlay lan 192.168.0.0/16 {', '  mtu 1500', '  uplink nat', '}', ''];
  out.push('overlay flannel0 {', '  driver flannel', '  subnet 10.0.0.0/8', '  subnet-length 24', '  backend vxlan', '}', '');
  for (let h = 0; h < hosts; h++) {
    out.push(`host core-${h} {`);
    out.push(`  address 192.168.${h >> 8}.${(h & 255) + 1} on lan   # host address`);
    out.push('  expose 22/tcp, 2379/tcp');
    out.push(`  bridge docker0 {`, `    subnet 10.${h >> 8}.${h & 255}.0/24`, '    overlay flannel0', '  }');
    out.push(`  bridge backend { subnet 172.20.0.0/16; icc false }`);
    for (let c = 0; c < perHost; c++) {
      const name = `c${h}-${c}`;
      out.push(`  container ${name} {`);
      out.push('    image "nginx:1.25"');
      out.push(c % 2 === 0 ? '    network docker0' : `    network backend ip 172.20.${c >> 8}.${(c & 255) + 2}`);
      out.push('    expose 80/tcp, 443/tcp');
      if (c % 10 === 0) out.push(`    publish ${8000 + c}:80/tcp`);
      if (c > 0) out.push(`    link c${h}-${c - 1} as prev`);
      out.push('  }');
    }
    out.push('}', '');
  }
  for (let h = 0; h + 1 < hosts; h++) out.push(`expect c${h}-0 -> c${h + 1}-0 : 80/tcp`);
  return out.join('\n') + '\n';
}

/** CPU milliseconds of this process (robust against a loaded machine, unlike wall time) */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function main(): void {
  const hosts = Number(process.argv[2] ?? 100);
  const perHost = Number(process.argv[3] ?? 100);
  const text = generate(hosts, perHost);
  const lines = text.split('\n').length;

  let t0 = performance.now();
  let c0 = cpuMs();
  const first = parse(text);
  const firstMs = performance.now() - t0;
  const firstCpu = cpuMs() - c0;
  if (first.errors.length) throw new Error(`generated file has syntax errors: ${first.errors[0]!.message}`);
  const containers = first.decls.reduce((n, d) => n + (d.kind === 'host' ? d.containers.length : 0), 0);

  const runs = 7;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    c0 = cpuMs();
    parse(text);
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const best = (xs: number[]): number => Math.min(...xs);

  t0 = performance.now();
  const tokens = lex(text).length;
  const lexMs = performance.now() - t0;

  const mb = text.length / 1e6;
  const rate = (ms: number): string => `${((lines / ms) * 1000).toFixed(0)} lines/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(`input: ${hosts} hosts × ${perHost} containers = ${containers} containers, ${lines} lines, ${mb.toFixed(2)} MB, ${tokens} tokens`);
  console.log(`parse, first call (includes building the parser): ${firstMs.toFixed(0)} ms wall, ${firstCpu.toFixed(0)} ms cpu`);
  console.log(`parse, ${runs} runs: best ${best(wall).toFixed(0)} ms wall (${rate(best(wall))}), median ${med(wall).toFixed(0)} ms wall, median ${med(cpu).toFixed(0)} ms cpu`);
  console.log(`lex() alone: ${lexMs.toFixed(0)} ms wall`);
}

if (require.main === module) main();
