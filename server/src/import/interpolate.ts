/**
 * Compose's variable interpolation and `.env` files, as the Compose
 * Specification defines them: `$VAR`, `${VAR}`, `${VAR:-default}`
 * (unset or empty), `${VAR-default}` (unset), `${VAR:?message}`,
 * `${VAR?message}`, `${VAR:+alt}`, `${VAR+alt}`, `$$` for a literal `$`;
 * defaults may themselves hold `${…}`.
 */

export type Env = ReadonlyMap<string, string>;

export interface InterpolationIssue {
  readonly message: string;
  /** offset inside the interpolated string */
  readonly index: number;
}

export function interpolate(s: string, env: Env, issues: InterpolationIssue[]): string {
  if (!s.includes('$')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      // find the matching `}` (defaults may nest `${…}`)
      let depth = 1;
      let j = i + 2;
      while (j < s.length && depth > 0) {
        if (s[j] === '$' && s[j + 1] === '{') {
          depth++;
          j += 2;
          continue;
        }
        if (s[j] === '}') depth--;
        j++;
      }
      if (depth > 0) {
        issues.push({ message: `unterminated \${ in '${s}'`, index: i });
        out += s.slice(i);
        break;
      }
      out += expand(s.slice(i + 2, j - 1), env, issues, i);
      i = j;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
    if (m) {
      const v = env.get(m[0]);
      if (v === undefined) issues.push({ message: `variable ${m[0]} is not set; using an empty string (as compose does)`, index: i });
      out += v ?? '';
      i += 1 + m[0].length;
      continue;
    }
    out += '$';
    i++;
  }
  return out;
}

function expand(body: string, env: Env, issues: InterpolationIssue[], at: number): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) {
    issues.push({ message: `invalid interpolation \${${body}}`, index: at });
    return '';
  }
  const [, name, op, arg = ''] = m;
  const v = env.get(name!);
  const unset = v === undefined;
  const empty = unset || v === '';
  switch (op) {
    case undefined:
      if (unset) issues.push({ message: `variable ${name} is not set; using an empty string (as compose does)`, index: at });
      return v ?? '';
    case ':-':
      return empty ? interpolate(arg, env, issues) : v!;
    case '-':
      return unset ? interpolate(arg, env, issues) : v!;
    case ':+':
      return empty ? '' : interpolate(arg, env, issues);
    case '+':
      return unset ? '' : interpolate(arg, env, issues);
    case ':?':
    case '?':
      if (op === ':?' ? empty : unset) {
        issues.push({ message: `required variable ${name} is missing${arg ? `: ${arg}` : ''}; using an empty string`, index: at });
        return '';
      }
      return v!;
  }
  return v ?? '';
}

/** Parses a `.env` file: `KEY=VALUE`, `export KEY=VALUE`, quotes, `#` comments. */
export function parseDotEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*([\s\S]*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if (v.startsWith('"')) {
      const end = v.indexOf('"', 1);
      v = (end > 0 ? v.slice(1, end) : v.slice(1)).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else if (v.startsWith("'")) {
      const end = v.indexOf("'", 1);
      v = end > 0 ? v.slice(1, end) : v.slice(1);
    } else {
      v = v.replace(/\s+#.*$/, '').trim();
    }
    out.set(m[1]!, v);
  }
  return out;
}
