/**
 * Every message between the extension host and the preview webview, typed
 * once and imported by both sides (house rule 8). The webview renders what
 * it is sent and asks for more; it never analyses anything itself.
 */
import type { PreviewGraph } from '../core/view/graph';
import type { LspRange, MatrixResult, RouteResult } from './requests';

export interface RouteQuery {
  readonly from: string;
  readonly to: string;
  /** e.g. `5432/tcp` or `80`; omitted: port-less semantics */
  readonly port?: string;
}

/** Arguments of the `cnet.showRoute` command (code lens, hover link): open the preview on `uri` with this route lit. */
export interface ShowRouteArgs extends RouteQuery {
  readonly uri: string;
}

export interface PreviewSettings {
  /** largest number of containers the matrix view is drawn for (`cnet.preview.matrixLimit`) */
  readonly matrixLimit: number;
}

// ---------------------------------------------------------------------------
// extension → webview

export type ToWebview =
  /**
   * A graph to draw. `stale` is true when the document currently cannot be
   * read completely and this is the last complete graph (the page shows a
   * banner). `fileName` is for display only.
   */
  | {
      readonly type: 'graph';
      readonly uri: string;
      readonly fileName: string;
      readonly version: number | null;
      readonly graph: PreviewGraph;
      readonly stale: boolean;
      readonly settings: PreviewSettings;
    }
  /** the document is gone or the server could not answer */
  | { readonly type: 'empty'; readonly reason: string }
  /**
   * draw this route (answer to `requestRoute`, or pushed by `cnet.showRoute`)
   * of the document `uri`: one that is not drawn yet keeps it until its graph comes
   */
  | { readonly type: 'route'; readonly uri: string; readonly query: RouteQuery; readonly result: RouteResult }
  | { readonly type: 'matrix'; readonly port?: string; readonly result: MatrixResult }
  /** the editor cursor moved: select the innermost node whose range holds it */
  | { readonly type: 'cursor'; readonly position: { readonly line: number; readonly character: number } }
  /** ask the page to export the current view; it answers with `exported` */
  | { readonly type: 'export'; readonly format: ExportFormat };

export type ExportFormat = 'svg' | 'png';

// ---------------------------------------------------------------------------
// webview → extension

export type FromWebview =
  /** the page's script is running; send it the current graph */
  | { readonly type: 'ready' }
  /** reveal this declaration in the editor */
  | { readonly type: 'reveal'; readonly range: LspRange }
  | { readonly type: 'requestRoute'; readonly query: RouteQuery }
  | { readonly type: 'requestMatrix'; readonly port?: string }
  /** an export the user asked for from the toolbar: svg as text, png as base64 */
  | { readonly type: 'exported'; readonly format: ExportFormat; readonly data: string }
  /** something went wrong in the page (layout failure, …): shown to the user */
  | { readonly type: 'error'; readonly message: string };

/** What the page keeps with `setState` (and the serializer restores). */
export interface PreviewState {
  readonly uri?: string;
  readonly view?: 'graph' | 'matrix';
  readonly route?: RouteQuery;
  readonly selected?: string;
  readonly transform?: { readonly x: number; readonly y: number; readonly k: number };
}
