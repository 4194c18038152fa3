/**
 * iptables-restore input from a host's compiled data plane. The rule lines
 * are the data plane's own `Rule.text` — the text the hover shows is the
 * rule the kernel runs — with one rewrite: a device name longer than Linux
 * allows (15 characters) is replaced by its short alias everywhere.
 */
import type { Chains, HostPlane } from '../core/dataplane/types';

const BUILTIN: Record<'filter' | 'nat', readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** Docker's policy: FORWARD DROP (spec §3); every other built-in chain accepts. */
function policy(table: 'filter' | 'nat', chain: string): string {
  return table === 'filter' && chain === 'FORWARD' ? 'DROP' : 'ACCEPT';
}

/** Rewrites `-i X` / `-o X` arguments through `devices` (long names → kernel names). */
export function rewriteDevices(text: string, devices: ReadonlyMap<string, string>): string {
  if (devices.size === 0) return text;
  const t = text.split(' ');
  for (let i = 0; i + 1 < t.length; i++) {
    if (t[i] === '-i' || t[i] === '-o') {
      const d = devices.get(t[i + 1]!);
      if (d) t[i + 1] = d;
    }
  }
  return t.join(' ');
}

function table(name: 'filter' | 'nat', chains: Chains, extra: readonly string[], devices: ReadonlyMap<string, string>): string {
  const lines = [`*${name}`];
  const builtin = BUILTIN[name];
  for (const c of builtin) lines.push(`:${c} ${policy(name, c)} [0:0]`);
  const own = Object.keys(chains).filter((c) => !builtin.includes(c));
  for (const c of own) lines.push(`:${c} - [0:0]`);
  // built-in chains first (the order of the rules within a chain is what the kernel evaluates)
  for (const c of [...builtin.filter((b) => chains[b]), ...own]) for (const r of chains[c] ?? []) lines.push(rewriteDevices(r.text, devices));
  lines.push(...extra.map((l) => rewriteDevices(l, devices)));
  lines.push('COMMIT');
  return lines.join('\n');
}

/**
 * The host's filter and nat tables. `natExtra` appends rules Docker installs
 * that the data plane does not carry (see `supplements` in plan.ts).
 */
export function renderIptables(plane: HostPlane, devices: ReadonlyMap<string, string>, natExtra: readonly string[] = []): string {
  return `${table('filter', plane.filter, [], devices)}\n${table('nat', plane.nat, natExtra, devices)}\n`;
}
