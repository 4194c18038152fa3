/**
 * The preview page's HTML and Content-Security-Policy. Pure (no `vscode`),
 * so the browser tests serve the page under the very same policy.
 *
 * - scripts: only ours, by nonce;
 * - styles, images, fonts: only from the extension's `dist/webview` (cspSource);
 * - `worker-src blob:`: the ELK layout worker is started from a blob: URL
 *   (VS Code webviews cannot start workers from extension files);
 * - `img-src data:`: the PNG export rasterises the SVG through a data: URL.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    'worker-src blob:',
  ].join('; ');
}

export interface PageUris {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

export function previewHtml(u: PageUris): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(u.cspSource, u.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${u.styleUri}">
<title>cnet preview</title>
</head>
<body>
<div id="app"></div>
<script nonce="${u.nonce}" src="${u.scriptUri}"></script>
</body>
</html>`;
}
