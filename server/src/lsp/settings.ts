/**
 * The server's settings (`cnet.*` in VS Code). Read through
 * `workspace/configuration` when the client supports it, else from
 * `initializationOptions.settings`, else the defaults below.
 */
export interface Settings {
  /** delay after the last edit before a document is re-analysed */
  readonly debounceMs: number;
  readonly inlayAutoAddresses: boolean;
  readonly codeLensExpectations: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  debounceMs: 150,
  inlayAutoAddresses: true,
  codeLensExpectations: true,
};

/** Accepts the VS Code `cnet` section shape (`{ diagnostics: { debounceMs } ... }`); ignores anything malformed. */
export function readSettings(section: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, any>;
  const debounce = s.diagnostics?.debounceMs;
  const inlay = s.inlayHints?.autoAddresses;
  const lens = s.codeLens?.expectations;
  return {
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0 ? Math.min(debounce, 10_000) : base.debounceMs,
    inlayAutoAddresses: typeof inlay === 'boolean' ? inlay : base.inlayAutoAddresses,
    codeLensExpectations: typeof lens === 'boolean' ? lens : base.codeLensExpectations,
  };
}
