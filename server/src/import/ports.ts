/**
 * Docker's port syntax, shared by compose `ports`/`expose` and
 * `docker run -p/--expose`:
 *
 *     [hostIp:][hostPort[-end]:]containerPort[-end][/protocol]
 *
 * with `[v6]:` or an unbracketed IPv6 address as host IP, `ip::port`
 * (a host port Docker picks), and ranges on either side.
 */

export interface PortRange {
  readonly start: number;
  readonly end: number;
}

export interface PortSpec {
  readonly hostIp?: string;
  /** undefined: Docker picks a free host port */
  readonly host?: PortRange;
  readonly container: PortRange;
  readonly protocol: string;
}

/** Wider ranges are not written out port by port. */
export const MAX_RANGE = 1024;

function range(s: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (start < 1 || end > 65535 || end < start) return undefined;
  return { start, end };
}

/** Parses one port spec; a string is the reason it is invalid. */
export function parsePortSpec(text: string): PortSpec | string {
  let s = text.trim();
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1).toLowerCase();
    s = s.slice(0, slash);
    if (!/^[a-z]+$/.test(protocol)) return `'${text}': bad protocol`;
  }
  let hostIp: string | undefined;
  let rest: string[];
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') return `'${text}': bad IPv6 host address`;
    hostIp = s.slice(1, close);
    rest = s.slice(close + 2).split(':');
  } else {
    const parts = s.split(':');
    if (parts.length > 3) {
      // an unbracketed IPv6 host address: the last two parts are the ports
      hostIp = parts.slice(0, -2).join(':');
      rest = parts.slice(-2);
    } else if (parts.length === 3) {
      hostIp = parts[0];
      rest = parts.slice(1);
    } else rest = parts;
  }
  if (rest.length > 2) return `'${text}': too many ':'`;
  const containerText = rest[rest.length - 1]!;
  const hostText = rest.length === 2 ? rest[0]! : undefined;
  const container = range(containerText);
  if (!container) return `'${text}': container port '${containerText}' is not a port or range in 1-65535`;
  let host: PortRange | undefined;
  if (hostText !== undefined && hostText !== '') {
    host = range(hostText);
    if (!host) return `'${text}': host port '${hostText}' is not a port or range in 1-65535`;
  }
  if (hostIp === '') hostIp = undefined;
  return { ...(hostIp !== undefined ? { hostIp } : {}), ...(host ? { host } : {}), container, protocol };
}

export const rangeSize = (r: PortRange): number => r.end - r.start + 1;
export const showRange = (r: PortRange): string => (r.start === r.end ? String(r.start) : `${r.start}-${r.end}`);

export function isIpv4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

export function isIpv6(s: string): boolean {
  return s.includes(':') && /^[0-9A-Fa-f:.]+(?:%\w+)?(?:\/\d+)?$/.test(s);
}

/** IPv4 prefix `a.b.c.d/n`. */
export function isIpv4Prefix(s: string): boolean {
  const [a, l] = s.split('/');
  return a !== undefined && l !== undefined && isIpv4(a) && /^\d{1,2}$/.test(l) && Number(l) <= 32;
}

export interface PortLines {
  /** `publish …` property texts */
  readonly publish: string[];
  /** `expose` ports, e.g. `80/tcp` */
  readonly expose: string[];
  /** what could not be written, for a comment and a warning */
  readonly problems: string[];
}

/**
 * A published port spec → `publish` lines (and `expose` where no host port
 * is fixed). `defaultHostIp` is the network's `host_binding_ipv4`.
 */
export function publishLines(spec: PortSpec, original: string, defaultHostIp?: string): PortLines {
  const out: PortLines = { publish: [], expose: [], problems: [] };
  if (spec.protocol !== 'tcp' && spec.protocol !== 'udp') {
    out.problems.push(`ports ${original}: protocol ${spec.protocol} is not modelled (cnet has tcp and udp)`);
    return out;
  }
  const ip = spec.hostIp ?? defaultHostIp;
  if (ip !== undefined && !isIpv4(ip)) {
    out.problems.push(`ports ${original}: host address ${ip} is IPv6 (not supported by cnet); not published`);
    return out;
  }
  const n = rangeSize(spec.container);
  if (n > MAX_RANGE) {
    out.problems.push(`ports ${original}: a range of ${n} ports is wider than cnet writes out (${MAX_RANGE}); not published`);
    return out;
  }
  const prefix = ip && ip !== '0.0.0.0' ? `${ip}:` : '';
  if (!spec.host) {
    for (let p = spec.container.start; p <= spec.container.end; p++) out.expose.push(`${p}/${spec.protocol}`);
    out.problems.push(`ports ${original}: published on a host port Docker picks (ephemeral); only the container port is modelled (expose)`);
    return out;
  }
  const h = rangeSize(spec.host);
  if (h !== n) {
    if (n === 1) {
      out.publish.push(`publish ${prefix}${spec.host.start}:${spec.container.start}/${spec.protocol}`);
      out.problems.push(`ports ${original}: Docker picks one free host port of ${showRange(spec.host)}; assumed ${spec.host.start}`);
    } else out.problems.push(`ports ${original}: host range and container range differ in size; not published`);
    return out;
  }
  for (let i = 0; i < n; i++) out.publish.push(`publish ${prefix}${spec.host.start + i}:${spec.container.start + i}/${spec.protocol}`);
  return out;
}

/** An expose spec (`3000`, `8000-8010/udp`) → expose ports. */
export function exposeLines(text: string): PortLines {
  const out: PortLines = { publish: [], expose: [], problems: [] };
  const spec = parsePortSpec(text);
  if (typeof spec === 'string') {
    out.problems.push(`expose ${spec}`);
    return out;
  }
  if (spec.host || spec.hostIp) {
    out.problems.push(`expose '${text}': expose takes container ports only`);
    return out;
  }
  if (spec.protocol !== 'tcp' && spec.protocol !== 'udp') {
    out.problems.push(`expose '${text}': protocol ${spec.protocol} is not modelled (cnet has tcp and udp)`);
    return out;
  }
  const n = rangeSize(spec.container);
  if (n > MAX_RANGE) {
    out.problems.push(`expose '${text}': a range of ${n} ports is wider than cnet writes out (${MAX_RANGE})`);
    return out;
  }
  for (let p = spec.container.start; p <= spec.container.end; p++) out.expose.push(`${p}/${spec.protocol}`);
  return out;
}
