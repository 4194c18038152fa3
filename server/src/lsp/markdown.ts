/** Small Markdown helpers shared by hover and code lens. */
import type { Verdict } from '../core/explain/trace';
import type { Port, Protocol } from '../core/model/types';

export function code(s: string): string {
  // a backtick inside a name cannot happen (lexer), but keep the span intact anyway
  return '`' + s.replace(/`/g, "'") + '`';
}

export function portText(p: { port: number; protocol: Protocol }): string {
  return `${p.port}/${p.protocol}`;
}

export function portsText(ports: readonly Port[], cap = 12): string {
  if (ports.length === 0) return 'none';
  const shown = ports.slice(0, cap).map((p) => code(portText(p)) + (p.implied ? ' *(implied by publish)*' : ''));
  if (ports.length > cap) shown.push(`… ${ports.length - cap} more`);
  return shown.join(', ');
}

/** `✓ reachable` / `✗ DENIED_ICC` */
export function verdictBadge(v: Verdict): string {
  return v.reachable ? '✓ reachable' : `✗ ${v.disposition}`;
}
