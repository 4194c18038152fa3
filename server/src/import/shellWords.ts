/**
 * A POSIX-shell word splitter for the command lines `import docker-run`
 * reads: `\`-newline continuations, '…' and "…" quoting, `$VAR`, `${VAR}`
 * and `${VAR:-default}` (from `vars`, else the default, else kept as
 * written), `#` comments, and `;` `&&` `||` `|` `&` newlines between
 * commands. An unterminated quote is an error at its offset.
 */

export interface Word {
  readonly text: string;
  /** offset of the word's first character */
  readonly at: number;
}

export interface ShellResult {
  readonly commands: Word[][];
  readonly error?: { readonly message: string; readonly at: number };
}

/** Quotes a word so that `splitShell` gives it back unchanged. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function splitShell(text: string, vars: ReadonlyMap<string, string> = new Map()): ShellResult {
  const commands: Word[][] = [];
  let cmd: Word[] = [];
  let cur: string | undefined;
  let at = 0;
  const endWord = () => {
    if (cur !== undefined) cmd.push({ text: cur, at });
    cur = undefined;
  };
  const endCmd = () => {
    endWord();
    if (cmd.length) commands.push(cmd);
    cmd = [];
  };
  const start = (i: number) => {
    if (cur === undefined) {
      cur = '';
      at = i;
    }
  };
  const expand = (i: number): { value: string; next: number } => {
    // text[i] === '$'
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) return { value: '$', next: i + 1 };
      const inner = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])(.*))?$/s.exec(inner);
      if (!m) return { value: text.slice(i, close + 1), next: close + 1 };
      const v = vars.get(m[1]!);
      const useDefault = m[2] !== undefined && (v === undefined || (m[2].startsWith(':') && v === ''));
      return { value: useDefault ? m[3]! : (v ?? text.slice(i, close + 1)), next: close + 1 };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) return { value: '$', next: i + 1 };
    return { value: vars.get(m[0]) ?? '$' + m[0], next: i + 1 + m[0].length };
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      if (text[i + 1] === '\n') { i += 2; continue; }
      if (text[i + 1] === '\r' && text[i + 2] === '\n') { i += 3; continue; }
      start(i);
      if (i + 1 < text.length) cur = (cur ?? "") + text[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      start(i);
      const close = text.indexOf("'", i + 1);
      if (close < 0) return { commands, error: { message: 'unterminated single quote', at: i } };
      cur = (cur ?? "") + text.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      start(i);
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return { commands, error: { message: 'unterminated double quote', at: i } };
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\' && '$`"\\\n'.includes(text[j + 1] ?? '')) {
          if (text[j + 1] !== '\n') cur = (cur ?? "") + text[j + 1];
          j += 2;
        } else if (d === '$') {
          const e = expand(j);
          cur = (cur ?? "") + e.value;
          j = e.next;
        } else {
          cur = (cur ?? "") + d;
          j++;
        }
      }
      i = j + 1;
      continue;
    }
    if (c === '$') {
      start(i);
      const e = expand(i);
      cur = (cur ?? "") + e.value;
      i = e.next;
      continue;
    }
    if (c === '#' && cur === undefined) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|') {
      endCmd();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    start(i);
    cur = (cur ?? "") + c;
    i++;
  }
  endCmd();
  return { commands };
}
