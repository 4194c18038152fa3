// PLACEHOLDER (owned by the preview work): the topology as a plain graph for the preview webview.
import type { Analysis } from '../index';
import type { Span } from '../syntax/ast';

export interface PreviewNode {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly parent?: string;
  readonly span?: Span;
}
export interface PreviewEdge {
  readonly id: string;
  readonly kind: string;
  readonly source: string;
  readonly target: string;
}
export interface PreviewGraph {
  readonly title?: string;
  readonly nodes: readonly PreviewNode[];
  readonly edges: readonly PreviewEdge[];
  /** true when the file has errors (the preview shows a banner) */
  readonly hasErrors: boolean;
}

export function buildPreviewGraph(analysis: Analysis): PreviewGraph {
  return { title: analysis.topology.title, nodes: [], edges: [], hasErrors: analysis.diagnostics.some((d) => d.severity === 'error') };
}
