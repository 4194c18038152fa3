/**
 * What an importer reports besides the text: warnings (something the source
 * says that `.cnet` cannot, kept as a comment in the output) and errors
 * (the input cannot be read at all: no output). Positions are 1-based
 * line:column in the source file, as compilers print them.
 */

export interface ImportMessage {
  readonly message: string;
  /** the source file (as the user named it) */
  readonly file?: string;
  /** 1-based */
  readonly line?: number;
  /** 1-based */
  readonly column?: number;
}

export interface ImportResult {
  /** the `.cnet` text; undefined when an error stopped the import */
  readonly text?: string;
  readonly warnings: readonly ImportMessage[];
  readonly errors: readonly ImportMessage[];
}

export function formatMessage(m: ImportMessage, severity: 'warning' | 'error'): string {
  const where = m.file ? `${m.file}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ''}` : ''}: ` : '';
  return `${where}${severity}: ${m.message}`;
}

/** Offsets → 1-based line/column, by binary search over line starts. */
export class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** Collects messages for one source file. */
export class Reporter {
  readonly warnings: ImportMessage[] = [];
  readonly errors: ImportMessage[] = [];
  private readonly lines?: Lines;
  constructor(
    readonly file: string | undefined,
    text?: string,
  ) {
    if (text !== undefined) this.lines = new Lines(text);
  }
  private msg(message: string, offset?: number): ImportMessage {
    const pos = offset !== undefined && this.lines ? this.lines.at(offset) : undefined;
    return { message, ...(this.file !== undefined ? { file: this.file } : {}), ...(pos ?? {}) };
  }
  warn(message: string, offset?: number): void {
    this.warnings.push(this.msg(message, offset));
  }
  error(message: string, offset?: number): void {
    this.errors.push(this.msg(message, offset));
  }
  /** where an offset is, for comments such as `(line 12)` */
  lineOf(offset: number | undefined): number | undefined {
    return offset !== undefined && this.lines ? this.lines.at(offset).line : undefined;
  }
}
