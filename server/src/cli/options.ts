/**
 * The option scanner of the subcommands that parse their own arguments
 * (import, export, diff): `--name=value`, `--name value` and `-x value`,
 * `--` ends the options, `-` is a file (stdin). Each subcommand says what its
 * options mean in `option`; the scanner owns the syntax and its errors.
 */
import { UsageError, type HelpTopic } from './args';

export interface Scanned {
  /** the operands (files), in order */
  readonly operands: string[];
  /** `-h` / `--help` was given */
  readonly help: boolean;
}

/**
 * `option(name, value)` handles one option: `value()` takes its value (the
 * text after `=`, or the next argument); it returns false for an option the
 * subcommand does not have (then a usage error names it, for `label`).
 */
export function scanOptions(rest: readonly string[], topic: HelpTopic, option: (name: string, value: () => string) => boolean, label: string = topic): Scanned {
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
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq >= 0 ? a.slice(0, eq) : a;
    if (name === '-h' || name === '--help') return { operands, help: true };
    const value = (): string => {
      if (a.startsWith('--') && eq >= 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`option '${name}' needs a value`, topic);
      return v;
    };
    if (!option(name, value)) throw new UsageError(`unknown option '${name}' for ${label}`, topic);
  }
  return { operands, help: false };
}
