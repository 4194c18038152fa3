/** What the AST has at an offset: the enclosing declarations and property. */
import type * as ast from '../core/syntax/ast';

export type AnyProp =
  | ast.UnderlayProp
  | ast.OverlayProp
  | ast.HostProp
  | ast.BridgeProp
  | ast.ContainerProp;

export interface AstPath {
  /** the top-level declaration */
  readonly decl?: ast.Decl;
  /** a bridge or container block inside a host */
  readonly block?: ast.BridgeDecl | ast.ContainerDecl;
  /** the innermost property */
  readonly prop?: AnyProp;
}

/** inclusive at both ends, so a cursor right after a token still finds it */
export function within(span: ast.Span | undefined, offset: number): boolean {
  return !!span && span.start <= offset && offset <= span.end;
}

export function pathAt(doc: ast.Document, offset: number): AstPath {
  const decl = findSorted(doc.decls, offset);
  if (!decl) return {};
  if (decl.kind === 'host') {
    const block = findSorted(decl.bridges, offset) ?? findSorted(decl.containers, offset);
    if (block) return { decl, block, prop: findSorted<AnyProp>(block.props, offset) };
    return { decl, prop: findSorted<AnyProp>(decl.props, offset) };
  }
  if (decl.kind === 'underlay' || decl.kind === 'overlay') return { decl, prop: findSorted<AnyProp>(decl.props, offset) };
  return { decl };
}

/** the index of the last node starting at or before `offset` (nodes sorted by start), or -1: a binary search */
export function lastStartingBy(nodes: readonly { readonly span: ast.Span }[], offset: number): number {
  let lo = 0;
  let hi = nodes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid]!.span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** the last node starting at or before `offset` whose span contains it (nodes are in source order) */
export function findSorted<T extends { span: ast.Span }>(nodes: readonly T[], offset: number): T | undefined {
  const found = lastStartingBy(nodes, offset);
  // a node may end exactly where the next starts (`a;b`): prefer the one that really contains offset
  for (let i = found; i >= 0 && i >= found - 1; i--) if (within(nodes[i]!.span, offset)) return nodes[i];
  return undefined;
}
