/** Definition, references, highlights and rename: all read the snapshot's occurrence index. */
import {
  DocumentHighlightKind,
  ResponseError,
  ErrorCodes,
  type DocumentHighlight,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Symbol } from '../core/model/types';
import type { Occurrence, Snapshot } from './snapshot';

/** Spec §1 identifiers: a letter or `_`, then word characters, optionally `-`/`.`-joined groups. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*$/;

/** Words a name may not take: keywords, mode words and `internet` (an expect endpoint). */
export const RESERVED_NAMES = new Set([
  'topology', 'underlay', 'overlay', 'host', 'bridge', 'container', 'expect',
  'mtu', 'uplink', 'subnet', 'subnet-length', 'driver', 'backend', 'masquerade', 'vlan',
  'address', 'on', 'expose', 'userland-proxy', 'gateway', 'icc', 'image', 'network', 'ip',
  'publish', 'link', 'as', 'true', 'false', 'none', 'internet',
]);

export function definition(snap: Snapshot, position: Position): Location | null {
  const occ = snap.occurrenceAt(snap.offsetAt(position));
  if (!occ) return null;
  const span = declarationSpan(occ.symbol);
  return span ? { uri: snap.uri, range: snap.range(span) } : null;
}

/** Where a symbol is declared; an implicit docker0 is "declared" by its host. */
function declarationSpan(s: Symbol) {
  if (s.kind === 'bridge' && s.implicit) return s.host.nameSpan;
  return s.nameSpan;
}

export function references(snap: Snapshot, position: Position, includeDeclaration: boolean): Location[] {
  const occ = snap.occurrenceAt(snap.offsetAt(position));
  if (!occ) return [];
  return snap
    .occurrencesOf(occ.symbol)
    .filter((o) => includeDeclaration || !o.decl)
    .map((o) => ({ uri: snap.uri, range: snap.range(o.span) }));
}

export function documentHighlights(snap: Snapshot, position: Position): DocumentHighlight[] {
  const occ = snap.occurrenceAt(snap.offsetAt(position));
  if (!occ) return [];
  return snap.occurrencesOf(occ.symbol).map((o) => ({
    range: snap.range(o.span),
    kind: o.decl ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}

export function prepareRename(snap: Snapshot, position: Position): { range: Range; placeholder: string } | null {
  const occ = snap.occurrenceAt(snap.offsetAt(position));
  if (!occ) return null;
  const why = cannotRename(occ);
  if (why) throw new ResponseError(ErrorCodes.InvalidRequest, why);
  return { range: snap.range(occ.span), placeholder: occ.symbol.name };
}

export function rename(snap: Snapshot, position: Position, newName: string): WorkspaceEdit | null {
  const occ = snap.occurrenceAt(snap.offsetAt(position));
  if (!occ) return null;
  const why = cannotRename(occ) ?? invalidNewName(snap, occ.symbol, newName);
  if (why) throw new ResponseError(ErrorCodes.InvalidParams, why);
  if (newName === occ.symbol.name) return { changes: { [snap.uri]: [] } };
  const edits: TextEdit[] = snap.occurrencesOf(occ.symbol).map((o) => ({ range: snap.range(o.span), newText: newName }));
  return { changes: { [snap.uri]: edits } };
}

function cannotRename(occ: Occurrence): string | undefined {
  const s = occ.symbol;
  if (s.kind === 'bridge' && s.implicit) return `${s.host.name}'s ${s.name} is implicit: declare \`bridge ${s.name} { … }\` to give it a name you can change`;
  if (s.kind === 'bridge' && s.isDefault) return 'docker0 is the default bridge by its name: renaming it would change what it is';
  return undefined;
}

/** Why `newName` cannot replace `s`'s name, or undefined when it can. */
export function invalidNewName(snap: Snapshot, s: Symbol, newName: string): string | undefined {
  if (!NAME_PATTERN.test(newName)) return `\`${newName}\` is not a valid name (letters, digits, _, joined by - or .)`;
  if (RESERVED_NAMES.has(newName)) return `\`${newName}\` is a keyword`;
  if (s.kind === 'bridge') {
    if (newName === 'docker0') return 'a bridge named docker0 becomes the default bridge: that would change its meaning';
    const other = s.host.bridgeByName.get(newName);
    if (other && other !== s) return `host ${s.host.name} already has a bridge named \`${newName}\``;
    // `network X` looks for a bridge or an overlay: the two must not share a name
    if (snap.topology.byName.get(newName)?.kind === 'overlay') return `\`${newName}\` is an overlay: \`network ${newName}\` would become ambiguous`;
    return undefined;
  }
  const other = snap.topology.byName.get(newName);
  if (other && other !== s) return `\`${newName}\` is already the name of ${other.kind} ${other.name}`;
  if (s.kind === 'overlay' && snap.topology.hosts.some((h) => h.bridgeByName.has(newName)))
    return `\`${newName}\` is a bridge name: \`network ${newName}\` would become ambiguous`;
  return undefined;
}
