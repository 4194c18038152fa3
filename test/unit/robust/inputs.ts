// The pathological inputs, generated (shared by the CLI bounds in
// pathological.test.ts and the language-server run in test/lsp/stress.test.ts).

export function fiveMegabytes(): string {
  let s = '# generated: a 5 MB topology\nunderlay lan 10.0.0.0/8 { uplink nat }\n';
  let h = 0;
  while (s.length < 5 * 2 ** 20) {
    s += `host h${h} {\n  address 10.${h >> 8}.${h & 255}.1 on lan\n  bridge docker0 { subnet 172.${16 + ((h >> 8) & 15)}.${h & 255}.0/24 }\n`;
    for (let c = 0; c < 40; c++) s += `  container c${h}_${c} { expose 80/tcp, 443/tcp; image "nginx:1.25" } # padding so the lines are realistic\n`;
    s += '}\n';
    h++;
  }
  return s + 'expect c0_0 -> c0_1 : 80\nexpect c0_0 -/-> c1_0 : 80\n';
}

export function longLine(): string {
  const ports = Array.from({ length: 40_000 }, (_, i) => `${(i % 65535) + 1}/tcp`).join(', ');
  const line = `host h { container c { expose ${ports} } }`.slice(0, 199_990);
  return line.replace(/,[^,]*$/, '') + ' } }\nexpect c -> c : 70000\n';
}

export const nestedBraces = (): string => '{'.repeat(10_000) + '}'.repeat(10_000) + '\nhost h { container c {} }\nexpect c -> nobody\n';

export const unclosedBraces = (): string => 'host h ' + '{'.repeat(100_000) + '\n';

export function manyPublishes(): string {
  let s = 'underlay lan 192.168.0.0/24 { uplink public }\nhost h {\n  address 192.168.0.2 on lan\n  container c {\n';
  for (let i = 1; i <= 65_535; i++) s += `    publish ${i}:${i}\n`;
  return s + '    publish 80:8080\n  }\n}\nexpect internet -> c : 443\n';
}

export function containerChain(): string {
  let chain = 'host h {\n  container c0 { expose 80/tcp }\n';
  for (let i = 1; i < 10_000; i++) chain += `  container c${i} { network container:c${i - 1} }\n`;
  // R8: the last member reaches the root over loopback; the root reaches it only on ports it exposes itself
  return chain + '}\nexpect c9999 -> c0 : 80\nexpect c0 -/-> c9999 : 80\n';
}

export function containerCycle(): string {
  let cycle = 'host h {\n';
  for (let i = 0; i < 10_000; i++) cycle += `  container d${i} { network container:d${(i + 1) % 10_000} }\n`;
  return cycle + '}\n';
}

export function duplicateNames(): string {
  let s = 'host h {\n';
  for (let i = 0; i < 5_000; i++) s += '  container same { expose 80 }\n';
  return s + '}\nexpect same -> same : 80\n';
}
