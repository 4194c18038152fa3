/**
 * Custom LSP requests between the cnet client and server, typed once and
 * imported by both sides (house rule 8). Ranges are LSP ranges.
 */
import type { PreviewGraph } from '../core/view/graph';
import type { Hop, Verdict } from '../core/explain/trace';
import type { Matrix } from '../core/reach/api';

export interface LspRange {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

/** `cnet/previewGraph`: the topology of a document, drawn by the preview. */
export const PreviewGraphRequest = 'cnet/previewGraph';
export interface PreviewGraphParams {
  readonly uri: string;
}
/** null when the document is unknown to the server */
export type PreviewGraphResult = (PreviewGraph & { readonly uri: string; readonly version: number | null }) | null;

/** `cnet/route`: the verdict and hops for a pair of endpoints. */
export const RouteRequest = 'cnet/route';
export interface RouteParams {
  readonly uri: string;
  readonly from: string;
  readonly to: string;
  /** e.g. `5432/tcp` or `80`; omitted: port-less semantics */
  readonly port?: string;
}
export type RouteHop = Hop & { readonly range?: LspRange };
export type RouteResult = (Omit<Verdict, 'hops'> & { readonly hops: readonly RouteHop[] }) | { readonly error: string };

/** `cnet/matrix`: all-pairs reachability of a document. */
export const MatrixRequest = 'cnet/matrix';
export interface MatrixParams {
  readonly uri: string;
  readonly port?: string;
}
export type MatrixResult = Matrix | { readonly error: string };

/** server → client notification: a document's analysis finished (the preview refreshes on it). */
export const AnalysisDoneNotification = 'cnet/analysisDone';
export interface AnalysisDoneParams {
  readonly uri: string;
  readonly version: number | null;
}

/** `cnet/memoryUsage`: the server process's memory (bench and diagnostics); MB. */
export const MemoryUsageRequest = 'cnet/memoryUsage';
export interface MemoryUsageResult {
  readonly rssMB: number;
  /** peak resident set size of the process so far */
  readonly maxRssMB: number;
  readonly heapUsedMB: number;
  readonly heapTotalMB: number;
  /** analyses run since the server started */
  readonly builds: number;
}
