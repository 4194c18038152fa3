/**
 * Reading `.cnet` sources for the CLI. Every failure becomes a one-line
 * message (never a stack trace): missing file, directory, unreadable,
 * binary (NUL bytes), not UTF-8. A UTF-8 byte order mark is dropped before
 * analysis so columns on the first line count from the first real character.
 */
import { readFileSync, statSync } from 'node:fs';

export interface Source {
  /** the name as the user wrote it (`<stdin>` for `-`) */
  readonly name: string;
  /** the path as given, or undefined for stdin */
  readonly path?: string;
  readonly text: string;
}

export type ReadResult = { readonly ok: true; readonly source: Source } | { readonly ok: false; readonly message: string };

export const STDIN_NAME = '<stdin>';

/** Far above any real topology (10,000 containers is ~1 MB), well below V8's longest string. */
export const MAX_BYTES = 256 * 2 ** 20;

export function readSource(path: string, readStdin: () => Buffer = () => readFileSync(0)): ReadResult {
  if (path === '-') {
    try {
      return decode(STDIN_NAME, undefined, readStdin());
    } catch (e) {
      return { ok: false, message: `${STDIN_NAME}: cannot read standard input (${errnoText(e)})` };
    }
  }
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { ok: false, message: `${path}: is a directory, not a .cnet file` };
    // Devices such as /dev/zero never end; FIFOs (`<(generate-topology)`) are fine.
    if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket()) return { ok: false, message: `${path}: not a regular file` };
    if (st.size > MAX_BYTES) return { ok: false, message: `${path}: too large (${Math.round(st.size / 2 ** 20)} MB; cnet reads files up to ${MAX_BYTES / 2 ** 20} MB)` };
    return decode(path, path, readFileSync(path));
  } catch (e) {
    return { ok: false, message: `${path}: ${errnoText(e)}` };
  }
}

function decode(name: string, path: string | undefined, bytes: Buffer): ReadResult {
  if (bytes.length > MAX_BYTES) return { ok: false, message: `${name}: too large (${Math.round(bytes.length / 2 ** 20)} MB; cnet reads files up to ${MAX_BYTES / 2 ** 20} MB)` };
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    return { ok: false, message: `${name}: UTF-16 text; cnet reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)` };
  if (bytes.includes(0)) return { ok: false, message: `${name}: binary file (contains NUL bytes), not a .cnet text file` };
  let text: string;
  try {
    // TextDecoder consumes a leading BOM by default (ignoreBOM: false).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: `${name}: not valid UTF-8 text` };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, source: { name, ...(path !== undefined ? { path } : {}), text } };
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a .cnet file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return code ? `cannot read (${code})` : `cannot read (${e instanceof Error ? e.message : String(e)})`;
  }
}
