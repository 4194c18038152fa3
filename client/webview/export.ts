/**
 * Export of what the preview shows as a standalone SVG (theme colours
 * resolved to concrete values, since `--vscode-*` variables mean nothing
 * outside VS Code) and as PNG (that SVG rasterised on a canvas).
 *
 * The page's CSP has no 'unsafe-inline' styles, so a `style` attribute on any
 * element — even a detached clone — is a CSP violation. Computed styles
 * therefore go into the copy as SVG presentation attributes (`fill`,
 * `stroke`, …), which are plain attributes, not styles.
 */
import { SVG_NS } from './render';

/** inherited properties: written where they differ from the parent's */
const INHERITED = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'paint-order', 'visibility'] as const;
/** not inherited: written where they are not the initial value */
const OWN: Record<string, string> = { opacity: '1' };
const DROPPED_ATTRS = ['class', 'tabindex', 'role', 'aria-label', 'aria-pressed', 'data-id', 'data-edge', 'data-node', 'data-hop'];

/**
 * `source` is the live <g> of the diagram; the export covers its whole
 * extent (not the current pan/zoom). Elements not displayed are left out.
 */
export function exportSvg(source: SVGGElement, background: string): string {
  const bbox = source.getBBox();
  const margin = 16;
  const w = Math.ceil(bbox.width + 2 * margin);
  const h = Math.ceil(bbox.height + 2 * margin);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(w));
  out.setAttribute('height', String(h));
  out.setAttribute('viewBox', `${bbox.x - margin} ${bbox.y - margin} ${w} ${h}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x: bbox.x - margin, y: bbox.y - margin, width: w, height: h })) bg.setAttribute(k, String(v));
  bg.setAttribute('fill', colour(background));
  out.appendChild(bg);
  const copy = copyStyled(source, undefined);
  if (copy) {
    copy.removeAttribute('transform');
    out.appendChild(copy);
  }
  return serialise(out);
}

export function serialise(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

/** A copy of `src` (and its subtree) with its computed look as presentation attributes; undefined when not displayed. */
function copyStyled(src: Element, parent: CSSStyleDeclaration | undefined): Element | undefined {
  const cs = getComputedStyle(src);
  if (cs.display === 'none') return undefined;
  const dst = document.createElementNS(SVG_NS, src.localName);
  for (const a of Array.from(src.attributes)) if (!DROPPED_ATTRS.includes(a.name) && a.name !== 'style') dst.setAttribute(a.name, a.value);
  for (const p of INHERITED) {
    const v = cs.getPropertyValue(p);
    if (v && (!parent || parent.getPropertyValue(p) !== v)) dst.setAttribute(p, p === 'fill' || p === 'stroke' ? colour(v) : v);
  }
  for (const [p, initial] of Object.entries(OWN)) {
    const v = cs.getPropertyValue(p);
    if (v && v !== initial) dst.setAttribute(p, v);
  }
  for (const child of Array.from(src.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) dst.appendChild(document.createTextNode(child.textContent ?? ''));
    else if (child instanceof Element) {
      const c = copyStyled(child, cs);
      if (c) dst.appendChild(c);
    }
  }
  return dst;
}

/**
 * `color(srgb r g b / a)` (what Chrome computes for `color-mix`) as `rgba()`,
 * which every SVG viewer reads; other values as they are.
 */
export function colour(v: string): string {
  const m = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.e-]+))?\s*\)$/.exec(v.trim());
  if (!m) return v;
  const c = (x: string): number => Math.round(Math.min(1, Math.max(0, Number(x))) * 255);
  return `rgba(${c(m[1]!)}, ${c(m[2]!)}, ${c(m[3]!)}, ${m[4] ?? 1})`;
}

/** What browsers' canvases allow (Chromium: 16384 px a side at most, and about 268M px in all; a margin below). */
export const MAX_CANVAS_SIDE = 16384;
export const MAX_CANVAS_AREA = 1.6e8;

/** The rasterising scale: `preferred` (2, for crisp text), less when the canvas would exceed the limits. */
export function pngScale(width: number, height: number, preferred = 2): number {
  return Math.min(preferred, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height, Math.sqrt(MAX_CANVAS_AREA / (width * height)));
}

/**
 * Rasterises an exported SVG string; resolves to base64 PNG data (no `data:`
 * prefix). A big diagram is drawn smaller to fit the canvas limits; when the
 * browser still cannot encode it, this rejects with an error to show the
 * user instead of producing an empty or broken file.
 */
export function svgToPng(svgText: string, preferredScale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      try {
        const w = img.naturalWidth || 1;
        const h = img.naturalHeight || 1;
        const scale = pngScale(w, h, preferredScale);
        const canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.floor(w * scale));
        canvas.height = Math.max(1, Math.floor(h * scale));
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error(`no canvas for a ${canvas.width}×${canvas.height} px image`);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        const url = canvas.toDataURL('image/png');
        const prefix = 'data:image/png;base64,';
        // a canvas the browser could not allocate or encode gives "data:," — never post that as a PNG
        if (!url.startsWith(prefix) || url.length === prefix.length) {
          throw new Error(`the browser could not encode the ${canvas.width}×${canvas.height} px image; export as SVG instead`);
        }
        resolve(url.slice(prefix.length));
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
