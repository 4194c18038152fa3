/**
 * The one option scanner of the cnet commands (args.ts's check, reach,
 * matrix, emulate; import, export, diff): `--name=value`, `--name value`
 * and `-x value`,
 * `--` ends the options, `-` is a file (stdin). Each subcommand says what its
 * options mean in `option`; the scanner owns the syntax and its errors.
 */
import { UsageError, type HelpTopic } from './args';

export interface Scanned {
  /** the operands (files), in order */
  readonly operands: string[];
  /** `-h` / `--help` was given */
  readonly help: boolean;
  /** `-V` / `--version` was given (only when `opts.version`) */
  readonly version: boolean;
}

/**
 * `option(name, value, attached)` handles one option: `value()` takes its
 * value (the text after `=`, or the next argument); `attached` says whether
 * a value came after `=` (a flag must not have one). It returns false for an
 * option the command does not have (then a usage error names it, for
 * `opts.label`, default the topic).
 */
export function scanOptions(
  rest: readonly string[],
  topic: HelpTopic,
  option: (name: string, value: () => string, attached: boolean) => boolean,
  opts: { readonly label?: string; readonly version?: boolean } = {},
): Scanned {
  const operands: string[] = [];
  let done = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (done || a === '-' || !a.startsWith('-')) {
      operands.push(a);
      continue;
    }
    if (a === '--') {
      done = true;
      continue;
    }
    if (a === '-h' || a === '--help') return { operands, help: true, version: false };
    if (opts.version && (a === '-V' || a === '--version')) return { operands, help: false, version: true };
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq >= 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`option '${name}' needs a value`, topic);
      return v;
    };
    if (!option(name, value, eq >= 0)) throw new UsageError(`unknown option '${name}'${opts.label !== undefined ? ` for ${opts.label}` : ''}`, topic);
  }
  return { operands, help: false, version: false };
}
