/**
 * Renderers of a Verdict, kept apart from the walk: plain text like a good
 * traceroute (numbered hops: node, device, action, detail) and Markdown for
 * the language server's hover.
 */
import type { Hop, Verdict } from './trace';

function header(v: Verdict): string {
  const port = v.port !== null ? `:${v.port}/${v.protocol}` : '';
  return `${v.from} -> ${v.to}${port}  ${v.reachable ? 'REACHABLE' : 'UNREACHABLE'} (${v.disposition})`;
}

/** Traceroute-style text: the verdict line, aligned numbered hops, the summary. */
export function renderVerdictText(v: Verdict): string {
  const hops = v.hops;
  const n = String(hops.length).length;
  const w = (f: (h: Hop) => string) => Math.max(0, ...hops.map((h) => f(h).length));
  const wn = w((h) => h.node);
  const wd = w((h) => h.device);
  const wa = w((h) => h.action);
  const lines = [header(v)];
  hops.forEach((h, i) => {
    lines.push(`  ${String(i + 1).padStart(n)}  ${h.node.padEnd(wn)}  ${h.device.padEnd(wd)}  ${h.action.padEnd(wa)}  ${h.detail}`.trimEnd());
    if (h.rule && !h.detail.includes(h.rule)) lines.push(`  ${' '.repeat(n)}  ${' '.repeat(wn)}  ${' '.repeat(wd)}  ${' '.repeat(wa)}  ${h.rule}`);
  });
  if (v.summary) lines.push(`  ${v.summary}`);
  return lines.join('\n') + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/([\\`*_{}[\]<>|])/g, '\\$1');
}

/**
 * Prose that may carry `code spans` (the summaries do: "add `link db` to
 * web"): the spans stay code, the rest is escaped. An underscore inside a
 * word (DENIED_ICC, web_1) cannot start emphasis in CommonMark and is left
 * alone, so the hover reads as written.
 */
export function mdProse(s: string): string {
  return s
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\\*{}[\]<>|])/g, '\\$1').replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))))
    .join('');
}

function mdCode(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s}${fence}`;
}

/** Markdown for a hover: verdict, summary, and the hops as a table. */
export function renderVerdictMarkdown(v: Verdict): string {
  const port = v.port !== null ? `:${v.port}/${v.protocol}` : '';
  const mark = v.reachable ? '✓' : '✗';
  let out = `${mark} **${mdEscape(v.from)} → ${mdEscape(v.to)}${port}** — ${v.reachable ? 'reachable' : 'unreachable'} (\`${v.disposition}\`)\n\n`;
  out += `${mdProse(v.summary)}\n\n`;
  if (v.hops.length) {
    out += '| # | node | device | action | detail |\n|---|---|---|---|---|\n';
    v.hops.forEach((h, i) => {
      const action = h.action === 'DROP' ? `**${h.action}**` : h.action;
      out += `| ${i + 1} | ${mdEscape(h.node)} | ${mdEscape(h.device)} | ${action} | ${mdCode(h.detail).replace(/\|/g, '\\|')} |\n`;
    });
  }
  return out;
}
