/**
 * Export of the drawn diagram as a standalone SVG (theme colours resolved to
 * concrete values, since `--vscode-*` variables mean nothing outside VS Code)
 * and as PNG (that SVG rasterised on a canvas).
 */
import { SVG_NS } from './render';

const PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'display', 'visibility', 'text-anchor'] as const;

/** `source` is the live <g> of the diagram; the export covers its whole extent (not the current pan/zoom). */
export function exportSvg(source: SVGGElement, background: string): string {
  const bbox = source.getBBox();
  const margin = 16;
  const w = Math.ceil(bbox.width + 2 * margin);
  const h = Math.ceil(bbox.height + 2 * margin);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('viewBox', `${bbox.x - margin} ${bbox.y - margin} ${w} ${h}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(bbox.x - margin));
  bg.setAttribute('y', String(bbox.y - margin));
  bg.setAttribute('width', String(w));
  bg.setAttribute('height', String(h));
  bg.setAttribute('fill', background);
  svg.appendChild(bg);
  const clone = source.cloneNode(true) as SVGGElement;
  inlineStyles(source, clone);
  clone.removeAttribute('transform');
  svg.appendChild(clone);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

function inlineStyles(src: Element, dst: Element): void {
  const cs = getComputedStyle(src);
  const decl: string[] = [];
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) decl.push(`${p}:${v}`);
  }
  dst.setAttribute('style', decl.join(';'));
  dst.removeAttribute('tabindex');
  dst.removeAttribute('class');
  const a = src.children;
  const b = dst.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i]!, b[i]!);
}

/** Rasterises an exported SVG string; resolves to base64 PNG data (no `data:` prefix). */
export function svgToPng(svgText: string, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d canvas');
        ctx.scale(scale, scale);
        ctx.drawImage(img, 0, 0);
        resolve(canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, ''));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    img.onerror = () => reject(new Error('the SVG could not be rasterised'));
    img.src = `data:image/svg+xml;base64,${utf8ToBase64(svgText)}`;
  });
}

function utf8ToBase64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
