/**
 * The `.cnet` text an importer writes: a small tree of blocks and property
 * lines, each with optional comments, rendered in the order it was built
 * (the source's order) and then put through the formatter, so an imported
 * file looks exactly like one the editor formatted.
 */
import { formatText } from '../lsp/format';

export interface PropLine {
  readonly kind: 'prop';
  /** the property as `.cnet` writes it, e.g. `publish 8080:80/tcp` */
  readonly text: string;
  /** a trailing `# …` comment (without the `#`) */
  readonly comment?: string;
}

/** A comment on a line of its own (without the `#`). */
export interface CommentLine {
  readonly kind: 'comment';
  readonly text: string;
}

export interface Block {
  readonly kind: 'block';
  /** `host core-01`, `bridge app_default`, `underlay lan 10.0.0.0/24` */
  readonly head: string;
  readonly body: (PropLine | CommentLine | Block)[];
  /** comment on the closing line */
  readonly comment?: string;
  /** a blank line before this block */
  readonly spaced?: boolean;
}

export type Item = PropLine | CommentLine | Block;

export const prop = (text: string, comment?: string): PropLine => ({ kind: 'prop', text, ...(comment ? { comment } : {}) });
export const note = (text: string): CommentLine => ({ kind: 'comment', text });
export const block = (head: string, body: Item[] = [], spaced = false): Block => ({ kind: 'block', head, body, spaced });

/** One comment line per line of `text`; `#` inside stays (a comment cannot end early). */
function commentText(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((l) => (l.length ? `# ${l}` : '#'));
}

function render(items: readonly Item[], out: string[]): void {
  for (const it of items) {
    if (it.kind === 'comment') out.push(...commentText(it.text));
    else if (it.kind === 'prop') {
      // a property ends at a newline: a comment must not carry one
      out.push(it.comment ? `${it.text}  # ${oneLine(it.comment)}` : it.text);
    } else {
      if (it.spaced && out.length && out[out.length - 1] !== '') out.push('');
      const onlyProps = it.body.every((b) => b.kind === 'prop' && !b.comment);
      if (it.body.length === 0) out.push(`${it.head} {}` + (it.comment ? `  # ${oneLine(it.comment)}` : ''));
      else if (onlyProps && it.body.length === 1 && it.body[0]!.kind === 'prop' && it.head.startsWith('bridge '))
        out.push(`${it.head} { ${(it.body[0] as PropLine).text} }` + (it.comment ? `  # ${oneLine(it.comment)}` : ''));
      else {
        out.push(`${it.head} {`);
        render(it.body, out);
        out.push('}' + (it.comment ? `  # ${oneLine(it.comment)}` : ''));
      }
    }
  }
}

export function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/** Renders a whole file; the formatter fixes indentation and spacing. */
export function renderCnet(items: readonly Item[]): string {
  const out: string[] = [];
  render(items, out);
  return formatText(out.join('\n') + '\n');
}

/** A `.cnet` string literal. */
export function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ') + '"';
}
