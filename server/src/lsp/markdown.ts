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

/**
 * The full explanation of a verdict: headline, numbered hops (node, device,
 * action, detail; the drop in bold), and the summary sentence.
 */
export function verdictMarkdown(v: Verdict): string {
  const port = v.port !== null ? ` on ${code(`${v.port}/${v.protocol}`)}` : v.reachable ? ' at IP level' : '';
  const head = v.reachable
    ? `**✓ reachable**${port} — ${code(v.disposition)}`
    : `**✗ not reachable**${port} — ${code(v.disposition)}`;
  const lines = [head, ''];
  v.hops.forEach((h, i) => {
    const action = h.action === 'DROP' || h.action === 'DELIVER' ? `**${h.action}**` : h.action;
    lines.push(`${i + 1}. ${code(h.node)} ${code(h.device)} ${action} — ${h.detail}`);
  });
  if (v.hops.length === 0) lines.push('*(no hops: the packet never leaves the sender)*');
  if (v.summary) lines.push('', v.summary);
  return lines.join('\n');
}
