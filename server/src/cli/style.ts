/** ANSI styling for the CLI's text output; identity functions when colour is off. */
import type { ColorMode } from './args';

export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
}

const sgr = (open: string) => (s: string) => (s === '' ? s : `\x1b[${open}m${s}\x1b[0m`);

export const PLAIN: Style = {
  enabled: false,
  bold: (s) => s,
  red: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
  green: (s) => s,
  blue: (s) => s,
  dim: (s) => s,
};

export const ANSI: Style = {
  enabled: true,
  bold: sgr('1'),
  red: sgr('1;31'),
  yellow: sgr('1;33'),
  cyan: sgr('1;36'),
  green: sgr('1;32'),
  blue: sgr('1;34'),
  dim: sgr('2'),
};

/** `auto`: colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function chooseStyle(mode: ColorMode, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  if (mode === 'always') return ANSI;
  if (mode === 'never') return PLAIN;
  return isTTY && !env['NO_COLOR'] ? ANSI : PLAIN;
}
