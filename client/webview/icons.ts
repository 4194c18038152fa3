/**
 * Toolbar icons: VS Code's own codicons (@vscode/codicons), bundled as SVG
 * paths. Inline SVG needs no font and no change to the page's CSP, and it
 * takes the theme's colour from `currentColor`.
 * Codicons © Microsoft Corporation, CC BY 4.0 (github.com/microsoft/vscode-codicons).
 */
// @ts-expect-error -- import attributes esbuild understands: each file's text
import screenFull from '@vscode/codicons/src/icons/screen-full.svg' with { type: 'text' };
// @ts-expect-error -- as above
import zoomIn from '@vscode/codicons/src/icons/zoom-in.svg' with { type: 'text' };
// @ts-expect-error -- as above
import zoomOut from '@vscode/codicons/src/icons/zoom-out.svg' with { type: 'text' };
// @ts-expect-error -- as above
import typeHierarchy from '@vscode/codicons/src/icons/type-hierarchy.svg' with { type: 'text' };
// @ts-expect-error -- as above
import table from '@vscode/codicons/src/icons/table.svg' with { type: 'text' };
// @ts-expect-error -- as above
import arrowBoth from '@vscode/codicons/src/icons/arrow-both.svg' with { type: 'text' };
// @ts-expect-error -- as above
import clearAll from '@vscode/codicons/src/icons/clear-all.svg' with { type: 'text' };
// @ts-expect-error -- as above
import fileCode from '@vscode/codicons/src/icons/file-code.svg' with { type: 'text' };
// @ts-expect-error -- as above
import fileMedia from '@vscode/codicons/src/icons/file-media.svg' with { type: 'text' };
// @ts-expect-error -- as above
import chevronDown from '@vscode/codicons/src/icons/chevron-down.svg' with { type: 'text' };
// @ts-expect-error -- as above
import chevronUp from '@vscode/codicons/src/icons/chevron-up.svg' with { type: 'text' };
// @ts-expect-error -- as above
import close from '@vscode/codicons/src/icons/close.svg' with { type: 'text' };
import { SVG_NS } from './render';

const SOURCES = { screenFull, zoomIn, zoomOut, typeHierarchy, table, arrowBoth, clearAll, fileCode, fileMedia, chevronDown, chevronUp, close } as Record<string, string>;
export type IconName = 'screenFull' | 'zoomIn' | 'zoomOut' | 'typeHierarchy' | 'table' | 'arrowBoth' | 'clearAll' | 'fileCode' | 'fileMedia' | 'chevronDown' | 'chevronUp' | 'close';

/** Only the path geometry is taken from the file: no markup of it reaches the page. */
const KEPT = new Set(['d', 'fill-rule', 'clip-rule']);

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'codicon');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'currentColor');
  for (const [, attrs] of SOURCES[name]!.matchAll(/<path\b([^>]*)\/?>/g)) {
    const path = document.createElementNS(SVG_NS, 'path');
    for (const [, k, v] of attrs!.matchAll(/([\w-]+)="([^"]*)"/g)) if (KEPT.has(k!)) path.setAttribute(k!, v!);
    svg.appendChild(path);
  }
  return svg;
}
