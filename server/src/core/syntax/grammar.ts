/**
 * The `.cnet` grammar (spec §2) as a Chevrotain CST parser.
 *
 * Shape of every block body and of the file itself:
 *
 *     body      := ( Sep | statement trail | junk )*
 *
 * - `statement` is one property or nested declaration of that body.
 * - `trail` ends a statement: anything left before the next newline/`;`/`}`
 *   is skipped with ONE error ("a property ends at a newline or `;`"),
 *   unless the statement itself already reported an error.
 * - `junk` is a line that starts with a word the body does not know: it is
 *   skipped with ONE error naming what the body accepts.
 *
 * Bodies stop (without consuming) at words that cannot appear in them but
 * start an outer declaration (`host` inside a host block, `container`
 * inside a container block …), so a missing `}` costs one error and the
 * following declarations still parse. Chevrotain's in-rule recovery
 * (single-token insertion/deletion, re-sync) handles errors inside a
 * statement; its in-repetition recovery is switched off because it would
 * skip whole declarations to find a `}`.
 *
 * The lookahead is one token everywhere (`maxLookahead: 1`): statement
 * alternatives are chosen by their first word, so `mtu abc` is an `mtu`
 * property with a bad value, not an unknown line.
 */
import { CstParser, EOF, tokenMatcher, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens';

/** Contexts: the body a statement sits in. */
export const enum Ctx {
  Top = 0,
  Underlay = 1,
  Overlay = 2,
  Host = 3,
  Bridge = 4,
  Container = 5,
}

const topWords = [T.Topology, T.Underlay, T.Overlay, T.Host, T.Expect];

/** Words at the start of a statement that end the current body (they belong to an outer one). */
const bodyStop: readonly (ReadonlySet<TokenType> | undefined)[] = [
  undefined,
  new Set(topWords),
  new Set(topWords),
  new Set(topWords),
  new Set([T.Topology, T.Underlay, T.Host, T.Expect, T.Bridge, T.Container]),
  new Set([...topWords, T.Bridge, T.Container]),
];

/** Words where skipping the rest of a broken line stops: they start a statement of this body or an outer one. */
const skipStop: readonly ReadonlySet<TokenType>[] = [
  new Set(topWords),
  new Set(topWords),
  new Set(topWords),
  new Set([...topWords, T.Bridge, T.Container]),
  new Set([T.Topology, T.Underlay, T.Host, T.Expect, T.Bridge, T.Container]),
  new Set([...topWords, T.Bridge, T.Container]),
];

const ctxNoun = ['', 'an underlay', 'an overlay', 'a host', 'a bridge', 'a container'];
const ctxAccepts = [
  'topology, underlay, overlay, host or expect',
  'mtu or uplink',
  'driver, subnet, subnet-length, backend, mtu, masquerade, internal or vlan',
  'address, expose, userland-proxy, bridge or container',
  'subnet, gateway, icc, masquerade, internal, mtu or overlay',
  'image, network, ip, expose, publish or link',
];

/** Start of the message of a missing `}` (recognised again when the error is placed). */
export const MISSING_RCURLY = 'expected `}` to close the';

/** An error the grammar found itself (junk, trailing tokens). */
export interface GrammarError {
  readonly message: string;
  readonly token: IToken;
}

export function show(t: IToken): string {
  if (t.tokenType === EOF) return 'the end of the file';
  if (tokenMatcher(t, T.Newline)) return 'the end of the line';
  const s = t.image.length > 40 ? t.image.slice(0, 37) + '…' : t.image;
  return '`' + s + '`';
}

const labels = new Map<TokenType, string>([
  [T.LCurly, '`{`'], [T.RCurly, '`}`'], [T.Colon, '`:`'], [T.Comma, '`,`'], [T.Slash, '`/`'],
  [T.Arrow, '`->`'], [T.NotArrow, '`-/->`'], [T.Integer, 'a number'], [T.Name, 'a name'],
  [T.Identifier, 'a word'], [T.AddressLike, 'an IPv4 address'], [T.PrefixLike, 'a prefix like 10.1.0.0/16'],
  [T.StringLike, 'a quoted string'], [T.Bool, '`true` or `false`'], [T.Sep, 'the end of the line'],
]);
const label = (t: TokenType): string => labels.get(t) ?? (t.PATTERN && typeof t.PATTERN === 'string' ? '`' + t.PATTERN + '`' : t.name);

/** Fallback wording; most expectations carry their own `ERR_MSG`. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `expected ${label(expected)}, found ${show(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${show(firstRedundant)}`,
  buildNoViableAltMessage: ({ customUserDescription, actual }) => customUserDescription ?? `unexpected ${actual[0] ? show(actual[0]) : 'input'}`,
  buildEarlyExitMessage: ({ customUserDescription, actual }) => customUserDescription ?? `unexpected ${actual[0] ? show(actual[0]) : 'input'}`,
};

/** `{ ERR_MSG: message }`, made once per message (a literal at the call would be allocated at every call). */
const errMsgs = new Map<string, { readonly ERR_MSG: string }>();
function err(message: string): { readonly ERR_MSG: string } {
  let o = errMsgs.get(message);
  if (o === undefined) errMsgs.set(message, (o = { ERR_MSG: message }));
  return o;
}

const openMsgs = new Map<string, { readonly ERR_MSG: string }>();
const closeMsgs = new Map<string, { readonly ERR_MSG: string }>();
/** the error options of a block's `{` and `}`, by the block's owner word (no string built per block) */
function openMsg(owner: string): { readonly ERR_MSG: string } {
  let o = openMsgs.get(owner);
  if (o === undefined) openMsgs.set(owner, (o = err(`expected \`{\` to open the ${owner} block`)));
  return o;
}
function closeMsg(owner: string): { readonly ERR_MSG: string } {
  let o = closeMsgs.get(owner);
  if (o === undefined) closeMsgs.set(owner, (o = err(`${MISSING_RCURLY} ${owner} block`)));
  return o;
}

export class CnetParser extends CstParser {
  /** errors recorded by `junk` and `trail` during the current parse */
  grammarErrors: GrammarError[] = [];
  /**
   * Alternatives and repetition options built once (by the first call, in
   * the recording phase) instead of at every statement: Chevrotain only reads
   * them, and their closures use nothing but `this` and the context.
   */
  private readonly cached = new Map<string, unknown>();

  private readonly cachedAt: unknown[] = [];

  private once<X>(key: string, make: () => X): X {
    let x = this.cached.get(key) as X | undefined;
    if (x === undefined) {
      x = make();
      this.cached.set(key, x);
    }
    return x;
  }

  /** `once` by a small number (no key string built per call) */
  private onceAt<X>(key: number, make: () => X): X {
    let x = this.cachedAt[key] as X | undefined;
    if (x === undefined) {
      x = make();
      this.cachedAt[key] = x;
    }
    return x;
  }

  /** Chevrotain's grammar recording phase, where ACTION code must not run */
  private recording(): boolean {
    return (this as unknown as { RECORDING_PHASE: boolean }).RECORDING_PHASE;
  }

  constructor() {
    super(T.vocabulary as TokenType[], { recoveryEnabled: true, maxLookahead: 1, nodeLocationTracking: 'none', errorMessageProvider: messages });
    // In-repetition recovery would skip whole declarations looking for a `}`;
    // junk/trail/body stop words do that job line by line instead.
    (this as unknown as { attemptInRepetitionRecovery: () => void }).attemptInRepetitionRecovery = () => {};
    // Single-token deletion never skips a brace or a line end: `underlay { mtu 1 }`
    // must not take `mtu` as the underlay's name.
    (this as unknown as { canRecoverWithSingleTokenDeletion: (t: TokenType) => boolean }).canRecoverWithSingleTokenDeletion = (expected) => {
      const next = this.LA(1);
      if (next.tokenType === T.LCurly || next.tokenType === T.RCurly || tokenMatcher(next, T.Sep)) return false;
      return tokenMatcher(this.LA(2), expected);
    };
    // Chevrotain makes each CST node's `children` with Object.create(null),
    // which V8 keeps in dictionary mode: every lookup of the AST builder is
    // then a hash probe. A plain object (no key collides with Object.prototype's)
    // holds the same children in the same order, with fast properties.
    const self = this as unknown as { CST_STACK: CstNode[]; setInitialNodeLocation: (n: CstNode) => void };
    (this as unknown as { cstInvocationStateUpdate: (name: string) => void }).cstInvocationStateUpdate = (name) => {
      const node = { name, children: {} } as CstNode;
      self.setInitialNodeLocation(node);
      self.CST_STACK.push(node);
    };
    this.performSelfAnalysis();
  }

  /** re-arms the parser for a new input */
  arm(tokens: IToken[]): void {
    this.input = tokens;
    this.grammarErrors = [];
  }

  private isEnd(t: IToken): boolean {
    return t.tokenType === EOF || tokenMatcher(t, T.Sep) || t.tokenType === T.RCurly;
  }

  /** Chevrotain's error count without copying its error list (`errors` clones it). */
  private errorCount(): number {
    return (this as unknown as { _errors?: unknown[] })._errors?.length ?? this.errors.length;
  }

  // ---------------------------------------------------------------------------
  // File and block scaffolding

  public document = this.RULE('document', () => {
    this.MANY(() => {
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.CONSUME(T.Sep) },
          {
            ALT: () => {
              const mark = this.errorCount();
              this.SUBRULE(this.topStmt);
              this.endStatement(Ctx.Top, mark, 5);
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(T.RCurly);
              this.ACTION(() => this.grammarErrors.push({ message: 'unmatched `}`: there is no open block to close', token: t }));
            },
          },
          { ALT: () => this.SUBRULE(this.junk, { ARGS: [Ctx.Top] }) },
        ],
      });
    });
  });

  private topStmt = this.RULE('topStmt', () => {
    this.OR(this.once('topStmt', () => [
      { ALT: () => this.SUBRULE(this.topologyDecl) },
      { ALT: () => this.SUBRULE(this.underlayDecl) },
      { ALT: () => this.SUBRULE(this.overlayDecl) },
      { ALT: () => this.SUBRULE(this.hostDecl) },
      { ALT: () => this.SUBRULE(this.expectDecl) },
    ]));
  });

  /**
   * `{ body }` of a declaration. Uses DSL occurrence index 9 so it never
   * clashes with the declaration's own CONSUME/SUBRULE calls.
   */
  private block(ctx: Ctx, stmt: () => CstNode, owner: string): void {
    const open = this.consume(9, T.LCurly, openMsg(owner));
    const stop = bodyStop[ctx]!;
    // No `{` (recovery inserted one): when the next statement belongs to this
    // body, the body follows and only the `{` was forgotten; when it belongs
    // to an outer body (or a `}` or the end follows), the declaration has no
    // body at all and ends here: no missing `}` for a block never opened.
    const opened = open.isInsertedInRecovery !== true || this.bodyFollows(stop);
    const body = this.onceAt(ctx, () => ({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.consume(8, T.Sep) },
        {
          ALT: () => {
            const mark = this.errorCount();
            this.subrule(9, stmt);
            this.endStatement(ctx, mark, 6);
          },
        },
        { ALT: () => this.subrule(7, this.junk, { ARGS: [ctx] }) },
      ],
    }));
    this.many(9, {
      GATE: () => opened && !stop.has(this.LA(1).tokenType),
      DEF: () => this.or(9, body),
    });
    if (opened) this.consume(7, T.RCurly, closeMsg(owner));
  }

  private bodyFollows(stop: ReadonlySet<TokenType>): boolean {
    for (let k = 1; ; k++) {
      const t = this.LA(k);
      if (tokenMatcher(t, T.Sep)) continue;
      return t.tokenType !== EOF && t.tokenType !== T.RCurly && !stop.has(t.tokenType);
    }
  }

  /**
   * What is left of a statement's line: reported once (unless the statement
   * already reported an error since `mark`), then skipped. Inlined rather
   * than a rule: it runs after every statement. `idx` keeps the DSL
   * occurrence indices of its callers apart.
   */
  private endStatement(ctx: Ctx, mark: number, idx: number): void {
    // what ACTION would run, without a closure per statement
    if (!this.recording()) {
      const next = this.LA(1);
      if (!this.isEnd(next) && this.errorCount() === mark) {
        this.grammarErrors.push({ message: `unexpected ${show(next)}: a statement ends at a newline or \`;\``, token: next });
      }
    }
    this.many(
      idx,
      this.onceAt(16 * (ctx + 1) + idx, () => {
        const stop = skipStop[ctx]!;
        const rest = [{ ALT: () => this.consume(idx, T.AnyToken) }, { ALT: () => this.subrule(idx, this.braceGroup) }];
        return { GATE: () => !stop.has(this.LA(1).tokenType), DEF: () => this.or(idx, rest) };
      }),
    );
  }

  /** A line the body does not understand: reported once, skipped. */
  private junk = this.RULE('junk', (ctx?: number) => {
    this.ACTION(() => {
      const c = ctx ?? 0;
      const t = this.LA(1);
      let message: string;
      if (c === Ctx.Top) message = `unexpected ${show(t)}: a statement starts with ${ctxAccepts[0]}`;
      else if (tokenMatcher(t, T.Keyword)) message = `\`${t.image}\` is not allowed in ${ctxNoun[c]} block (it accepts ${ctxAccepts[c]})`;
      else if (tokenMatcher(t, T.Identifier)) message = `unknown property \`${t.image}\` in ${ctxNoun[c]} block (expected ${ctxAccepts[c]})`;
      else message = `unexpected ${show(t)} in ${ctxNoun[c]} block (expected ${ctxAccepts[c]})`;
      this.grammarErrors.push({ message, token: t });
    });
    this.OR([{ ALT: () => this.CONSUME(T.AnyToken) }, { ALT: () => this.SUBRULE(this.braceGroup) }]);
    const stop = skipStop[ctx ?? 0]!;
    this.MANY({
      GATE: () => !stop.has(this.LA(1).tokenType),
      DEF: () => this.OR1([{ ALT: () => this.CONSUME1(T.AnyToken) }, { ALT: () => this.SUBRULE1(this.braceGroup) }]),
    });
  });

  /** `{ … }` skipped as a whole inside junk. */
  private braceGroup = this.RULE('braceGroup', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.Sep) },
        { ALT: () => this.CONSUME(T.AnyToken) },
        { ALT: () => this.SUBRULE(this.braceGroup) },
      ]),
    );
    this.CONSUME(T.RCurly, err(`${MISSING_RCURLY} block`));
  });

  // ---------------------------------------------------------------------------
  // Declarations

  private topologyDecl = this.RULE('topologyDecl', () => {
    this.CONSUME(T.Topology);
    this.OPTION(() => this.CONSUME(T.StringLike));
  });

  private underlayDecl = this.RULE('underlayDecl', () => {
    this.CONSUME(T.Underlay);
    this.CONSUME(T.Name, err('expected an underlay name after `underlay`'));
    this.CONSUME(T.PrefixLike, err('expected the underlay prefix, like 192.168.10.0/24, after its name'));
    this.block(Ctx.Underlay, this.underlayStmt, 'underlay');
  });

  private overlayDecl = this.RULE('overlayDecl', () => {
    this.CONSUME(T.Overlay);
    this.CONSUME(T.Name, err('expected an overlay name after `overlay`'));
    this.block(Ctx.Overlay, this.overlayStmt, 'overlay');
  });

  private hostDecl = this.RULE('hostDecl', () => {
    this.CONSUME(T.Host);
    this.CONSUME(T.Name, err('expected a host name after `host`'));
    this.block(Ctx.Host, this.hostStmt, 'host');
  });

  private bridgeDecl = this.RULE('bridgeDecl', () => {
    this.CONSUME(T.Bridge);
    this.CONSUME(T.Name, err('expected a bridge name after `bridge`'));
    this.block(Ctx.Bridge, this.bridgeStmt, 'bridge');
  });

  private containerDecl = this.RULE('containerDecl', () => {
    this.CONSUME(T.Container);
    this.CONSUME(T.Name, err('expected a container name after `container`'));
    this.block(Ctx.Container, this.containerStmt, 'container');
  });

  private expectDecl = this.RULE('expectDecl', () => {
    this.CONSUME(T.Expect);
    this.CONSUME(T.Name, err('expected the source of `expect`: a container, a host or `internet`'));
    this.OR({
      ERR_MSG: 'expected `->` (reachable) or `-/->` (not reachable) after the source of `expect`',
      DEF: [{ ALT: () => this.CONSUME(T.Arrow) }, { ALT: () => this.CONSUME(T.NotArrow) }],
    });
    this.CONSUME1(T.Name, err('expected the target of `expect` after the arrow: a container, a host or `internet`'));
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.port);
    });
  });

  // ---------------------------------------------------------------------------
  // Statements of each body (one child each, so source order is kept)

  private underlayStmt = this.RULE('underlayStmt', () => {
    this.OR(this.once('underlayStmt', () => [{ ALT: () => this.SUBRULE(this.mtuProp) }, { ALT: () => this.SUBRULE(this.uplinkProp) }]));
  });

  private overlayStmt = this.RULE('overlayStmt', () => {
    this.OR(this.once('overlayStmt', () => [
      { ALT: () => this.SUBRULE(this.driverProp) },
      { ALT: () => this.SUBRULE(this.subnetProp) },
      { ALT: () => this.SUBRULE(this.subnetLengthProp) },
      { ALT: () => this.SUBRULE(this.backendProp) },
      { ALT: () => this.SUBRULE(this.mtuProp) },
      { ALT: () => this.SUBRULE(this.masqueradeProp) },
      { ALT: () => this.SUBRULE(this.internalProp) },
      { ALT: () => this.SUBRULE(this.vlanProp) },
    ]));
  });

  private hostStmt = this.RULE('hostStmt', () => {
    this.OR(this.once('hostStmt', () => [
      { ALT: () => this.SUBRULE(this.addressProp) },
      { ALT: () => this.SUBRULE(this.exposeProp) },
      { ALT: () => this.SUBRULE(this.userlandProxyProp) },
      { ALT: () => this.SUBRULE(this.bridgeDecl) },
      { ALT: () => this.SUBRULE(this.containerDecl) },
    ]));
  });

  private bridgeStmt = this.RULE('bridgeStmt', () => {
    this.OR(this.once('bridgeStmt', () => [
      { ALT: () => this.SUBRULE(this.subnetProp) },
      { ALT: () => this.SUBRULE(this.gatewayProp) },
      { ALT: () => this.SUBRULE(this.iccProp) },
      { ALT: () => this.SUBRULE(this.masqueradeProp) },
      { ALT: () => this.SUBRULE(this.internalProp) },
      { ALT: () => this.SUBRULE(this.mtuProp) },
      { ALT: () => this.SUBRULE(this.bridgeOverlayProp) },
    ]));
  });

  private containerStmt = this.RULE('containerStmt', () => {
    this.OR(this.once('containerStmt', () => [
      { ALT: () => this.SUBRULE(this.imageProp) },
      { ALT: () => this.SUBRULE(this.networkProp) },
      { ALT: () => this.SUBRULE(this.ipProp) },
      { ALT: () => this.SUBRULE(this.exposeProp) },
      { ALT: () => this.SUBRULE(this.publishProp) },
      { ALT: () => this.SUBRULE(this.linkProp) },
    ]));
  });

  // ---------------------------------------------------------------------------
  // Properties

  private mtuProp = this.RULE('mtuProp', () => {
    this.CONSUME(T.Mtu);
    this.CONSUME(T.Integer, err('expected a number after `mtu`, like 1500'));
  });

  private uplinkProp = this.RULE('uplinkProp', () => {
    this.CONSUME(T.Uplink);
    this.CONSUME(T.Identifier, err('expected `nat` or `public` after `uplink`'));
  });

  private subnetProp = this.RULE('subnetProp', () => {
    this.CONSUME(T.Subnet);
    this.CONSUME(T.PrefixLike, err('expected a prefix like 10.1.0.0/16 after `subnet`'));
  });

  private subnetLengthProp = this.RULE('subnetLengthProp', () => {
    this.CONSUME(T.SubnetLength);
    this.CONSUME(T.Integer, err('expected a prefix length like 24 after `subnet-length`'));
  });

  private driverProp = this.RULE('driverProp', () => {
    this.CONSUME(T.Driver);
    this.CONSUME(T.Identifier, err('expected `flannel`, `weave`, `ovs` or `docker` after `driver`'));
  });

  private backendProp = this.RULE('backendProp', () => {
    this.CONSUME(T.Backend);
    this.CONSUME(T.Identifier, err('expected `udp`, `vxlan`, `host-gw` or `gre` after `backend`'));
  });

  private masqueradeProp = this.RULE('masqueradeProp', () => {
    this.CONSUME(T.Masquerade);
    this.CONSUME(T.Bool, err('expected `true` or `false` after `masquerade`'));
  });

  /** `internal true`: Docker's --internal network (no default route, no masquerade, no published ports through it). */
  private internalProp = this.RULE('internalProp', () => {
    this.CONSUME(T.Internal);
    this.CONSUME(T.Bool, err('expected `true` or `false` after `internal`'));
  });

  private vlanProp = this.RULE('vlanProp', () => {
    this.CONSUME(T.Vlan);
    this.CONSUME(T.Integer, err('expected a VLAN id like 10 after `vlan`'));
    this.OPTION(() => {
      this.CONSUME(T.Subnet);
      this.CONSUME(T.PrefixLike, err('expected a prefix like 10.20.10.0/24 after `subnet`'));
    });
  });

  private addressProp = this.RULE('addressProp', () => {
    this.CONSUME(T.AddressKw);
    this.CONSUME(T.AddressLike, err('expected an IPv4 address like 192.168.10.11 after `address`'));
    this.OPTION(() => {
      this.CONSUME(T.On);
      this.CONSUME(T.Name, err('expected an underlay name after `on`'));
    });
  });

  private exposeProp = this.RULE('exposeProp', () => {
    this.CONSUME(T.Expose);
    this.SUBRULE(this.port);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      // a list may continue on the next line after a comma
      this.MANY1(() => this.CONSUME(T.Newline));
      this.SUBRULE1(this.port);
    });
  });

  private userlandProxyProp = this.RULE('userlandProxyProp', () => {
    this.CONSUME(T.UserlandProxy);
    this.CONSUME(T.Bool, err('expected `true` or `false` after `userland-proxy`'));
  });

  private gatewayProp = this.RULE('gatewayProp', () => {
    this.CONSUME(T.Gateway);
    this.CONSUME(T.AddressLike, err('expected an IPv4 address like 10.1.15.1 after `gateway`'));
  });

  private iccProp = this.RULE('iccProp', () => {
    this.CONSUME(T.Icc);
    this.CONSUME(T.Bool, err('expected `true` or `false` after `icc`'));
  });

  private bridgeOverlayProp = this.RULE('bridgeOverlayProp', () => {
    this.CONSUME(T.Overlay);
    this.CONSUME(T.Name, err('expected an overlay name after `overlay`'));
  });

  private imageProp = this.RULE('imageProp', () => {
    this.CONSUME(T.Image);
    this.CONSUME(T.StringLike, err('expected a quoted image name like "nginx:1.25" after `image`'));
  });

  private networkProp = this.RULE('networkProp', () => {
    this.CONSUME(T.Network);
    this.OR(this.once('network', () => ({
      // `container` and `host` are names too: the mode words win
      IGNORE_AMBIGUITIES: true,
      ERR_MSG: 'expected a bridge or overlay name, `host`, `none` or `container:NAME` after `network`',
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Container);
            this.CONSUME(T.Colon, err('expected `:` and a container name after `container` (as in `network container:web`)'));
            this.CONSUME(T.Name, err('expected a container name after `container:`'));
          },
        },
        { ALT: () => this.CONSUME(T.Host) },
        {
          ALT: () => {
            this.CONSUME1(T.Name);
            this.OPTION(() => {
              this.CONSUME(T.Vlan);
              this.CONSUME(T.Integer, err('expected a VLAN id like 10 after `vlan`'));
            });
            this.OPTION1(() => {
              this.CONSUME(T.Ip);
              this.CONSUME(T.AddressLike, err('expected an IPv4 address like 172.20.0.10 after `ip`'));
            });
          },
        },
      ],
    })));
  });

  private ipProp = this.RULE('ipProp', () => {
    this.CONSUME(T.Ip);
    this.CONSUME(T.AddressLike, err('expected an IPv4 address like 10.1.15.2 after `ip`'));
  });

  private publishProp = this.RULE('publishProp', () => {
    this.CONSUME(T.Publish);
    this.OPTION(() => {
      this.CONSUME(T.AddressLike);
      this.CONSUME(T.Colon, err('expected `:` and the host port after the host address of `publish`'));
    });
    this.CONSUME(T.Integer, err('expected `hostPort:containerPort` like 8080:80 after `publish`'));
    this.CONSUME1(T.Colon, err('expected `:` and the container port after the host port (as in 8080:80)'));
    this.CONSUME1(T.Integer, err('expected the container port after `:` (as in 8080:80)'));
    this.OPTION1(() => {
      this.CONSUME(T.Slash);
      this.CONSUME1(T.Identifier, err('expected a protocol like tcp or udp after `/`'));
    });
  });

  private linkProp = this.RULE('linkProp', () => {
    this.CONSUME(T.Link);
    this.CONSUME(T.Name, err('expected a container name after `link`'));
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME1(T.Name, err('expected an alias name after `as`'));
    });
  });

  /** `80`, `80/tcp` */
  private port = this.RULE('port', () => {
    this.CONSUME(T.Integer, err('expected a port like 80 or 80/tcp'));
    this.OPTION(
      this.once('port', () => () => {
        this.CONSUME(T.Slash);
        this.CONSUME(T.Identifier, err('expected a protocol like tcp or udp after `/`'));
      }),
    );
  });
}
