/**
 * The `.cnet` grammar (spec §2) as a Chevrotain embedded-actions parser:
 * each rule records the tokens it consumes in a `Frame` and builds its AST
 * node when it ends (`build.ts`), also when recovery re-synchronises inside
 * it, so a statement missing an optional part keeps what it has. No CST is
 * made: a CST and a pass turning it into the AST cost a third of a parse.
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
import { EmbeddedActionsParser, EOF, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import type * as A from './ast';
import { AstBuilder, Frame, isReal, tokenEnd, type Build } from './build';
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


export class CnetParser extends EmbeddedActionsParser {
  /** errors recorded by `junk` and `trail` during the current parse */
  grammarErrors: GrammarError[] = [];
  /** builds the AST nodes; its `errors` are the value errors of the current parse */
  builder = new AstBuilder();
  /** the frames of the rules being parsed, innermost last */
  private frames: Frame[] = [];
  /** reusable frames, by nesting level */
  private readonly pool: Frame[] = [];
  /** the declarations of the current parse */
  private decls: A.Decl[] = [];
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

  private ruleDepth(): number {
    return (this as unknown as { RULE_STACK: unknown[] }).RULE_STACK.length;
  }

  /** index of the last token consumed */
  private consumedIdx(): number {
    return (this as unknown as { currIdx: number }).currIdx;
  }

  constructor() {
    super(T.vocabulary as TokenType[], { recoveryEnabled: true, maxLookahead: 1, errorMessageProvider: messages });
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
    // A rule that cannot re-synchronise rethrows to its caller; what it had
    // built so far still belongs to the enclosing declaration (`host h {`
    // with its `}` missing at the end of the file keeps its containers).
    const self = this as unknown as { invokeRuleCatch: (...args: unknown[]) => unknown };
    const invokeRuleCatch = self.invokeRuleCatch;
    self.invokeRuleCatch = (...args: unknown[]) => {
      try {
        return invokeRuleCatch.apply(this, args);
      } catch (e) {
        this.abandon();
        throw e;
      }
    };
    this.performSelfAnalysis();
  }

  /** re-arms the parser for a new input */
  arm(tokens: IToken[]): void {
    this.input = tokens;
    this.grammarErrors = [];
    this.builder = new AstBuilder();
    this.frames = [];
    // disarmed after a parse: the pooled frames drop the last tokens they held (and, through their images, the old text)
    if (tokens.length === 0) for (const f of this.pool) f.reset();
  }

  // ---------------------------------------------------------------------------
  // Frames

  /** a new frame for the rule now running */
  private open(build: Build): Frame {
    // frames live only while their rule runs (its node copies what it keeps):
    // one per nesting level, reused
    const n = this.frames.length;
    let f = this.pool[n];
    if (f === undefined) this.pool[n] = f = new Frame();
    else f.reset();
    f.build = build;
    f.depth = this.ruleDepth();
    f.idx = this.consumedIdx() + 1;
    this.frames.push(f);
    return f;
  }

  /** ends the running rule's frame and builds its node */
  private close(f: Frame): unknown {
    this.frames.pop();
    return this.finish(f);
  }

  /** the node of a frame already off the stack (a declaration without its `}` ends at its last real token) */
  private finish(f: Frame): unknown {
    if (this.recording() || f.build === undefined) return undefined;
    if (f.items !== undefined) this.endDecl(f);
    return f.build(this.builder, f);
  }

  /**
   * `recoveryValueFunc` of a rule: Chevrotain re-synchronised inside it, so
   * it ends here with what it consumed. Frames of inner rules that gave up
   * (they rethrew to this one) are dropped first.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rule's own result type, whatever it is
  private recover(): { recoveryValueFunc: () => any } {
    return { recoveryValueFunc: () => this.ownFrame() };
  }

  /** the running rule's frame, off the stack and built (frames of inner rules still above it are dropped) */
  private ownFrame(): unknown {
    const depth = this.ruleDepth();
    while (this.frames.length > 0 && this.frames[this.frames.length - 1]!.depth > depth) this.frames.pop();
    const f = this.frames[this.frames.length - 1];
    if (f === undefined || f.depth !== depth) return undefined;
    this.frames.pop();
    return this.finish(f);
  }

  /** the running rule gives up: its partial node goes to the frame under it, as Chevrotain's partial CST would */
  private abandon(): void {
    const v = this.ownFrame();
    if (v === undefined) return;
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) this.decls.push(v as A.Decl);
    else parent.items?.push(v);
  }

  /** a declaration without its `}`: the end of the last real token it consumed */
  private endDecl(f: Frame): void {
    if (isReal(f.close)) return;
    const input = this.input;
    for (let i = Math.min(this.consumedIdx(), input.length - 1); i >= f.idx; i--) {
      const t = input[i]!;
      if (isReal(t) && t.tokenType !== T.Newline) {
        f.lastEnd = tokenEnd(t);
        return;
      }
    }
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1]!;
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

  public document = this.RULE(
    'document',
    (): A.Decl[] => {
      const decls: A.Decl[] = (this.decls = []);
      this.MANY(() => {
        const d = this.OR({
          IGNORE_AMBIGUITIES: true,
          DEF: [
            {
              ALT: () => {
                this.CONSUME(T.Sep);
                return undefined;
              },
            },
            {
              ALT: () => {
                const mark = this.errorCount();
                const decl = this.SUBRULE(this.topStmt);
                this.endStatement(Ctx.Top, mark, 5);
                return decl;
              },
            },
            {
              ALT: () => {
                const t = this.CONSUME(T.RCurly);
                this.ACTION(() => this.grammarErrors.push({ message: 'unmatched `}`: there is no open block to close', token: t }));
                return undefined;
              },
            },
            {
              ALT: () => {
                this.SUBRULE(this.junk, { ARGS: [Ctx.Top] });
                return undefined;
              },
            },
          ],
        });
        if (d !== undefined && !this.recording()) decls.push(d as A.Decl);
      });
      return decls;
    },
    // what was built so far, should an error ever unwind to the top
    { recoveryValueFunc: () => this.decls },
  );

  private topStmt = this.RULE(
    'topStmt',
    () =>
      this.OR(this.once('topStmt', () => [
        { ALT: () => this.SUBRULE(this.topologyDecl) },
        { ALT: () => this.SUBRULE(this.underlayDecl) },
        { ALT: () => this.SUBRULE(this.overlayDecl) },
        { ALT: () => this.SUBRULE(this.hostDecl) },
        { ALT: () => this.SUBRULE(this.expectDecl) },
      ])),
    this.recover(),
  );

  /**
   * `{ body }` of a declaration, into `f.items` (the statements' nodes) and
   * `f.close` (the `}`). Uses DSL occurrence index 9 so it never clashes
   * with the declaration's own CONSUME/SUBRULE calls.
   */
  private block(ctx: Ctx, stmt: () => unknown, owner: string, f: Frame): void {
    const items: unknown[] = [];
    f.items = items;
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
        {
          ALT: () => {
            this.consume(8, T.Sep);
            return undefined;
          },
        },
        {
          ALT: () => {
            const mark = this.errorCount();
            const v = this.subrule(9, stmt);
            this.endStatement(ctx, mark, 6);
            return v;
          },
        },
        {
          ALT: () => {
            this.subrule(7, this.junk, { ARGS: [ctx] });
            return undefined;
          },
        },
      ],
    }));
    this.many(9, {
      GATE: () => opened && !stop.has(this.LA(1).tokenType),
      DEF: () => {
        const v = this.or(9, body);
        if (v !== undefined) items.push(v);
      },
    });
    if (opened) f.close = this.consume(7, T.RCurly, closeMsg(owner));
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
  private junk = this.RULE(
    'junk',
    (ctx?: number) => {
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
    },
    this.recover(),
  );

  /** `{ … }` skipped as a whole inside junk. */
  private braceGroup = this.RULE(
    'braceGroup',
    () => {
      this.CONSUME(T.LCurly);
      this.MANY(() =>
        this.OR([
          { ALT: () => this.CONSUME(T.Sep) },
          { ALT: () => this.CONSUME(T.AnyToken) },
          { ALT: () => this.SUBRULE(this.braceGroup) },
        ]),
      );
      this.CONSUME(T.RCurly, err(`${MISSING_RCURLY} block`));
    },
    this.recover(),
  );

  // ---------------------------------------------------------------------------
  // Declarations

  private topologyDecl = this.RULE(
    'topologyDecl',
    () => {
      const f = this.open(bTopology);
      f.k = f.take(this.CONSUME(T.Topology));
      this.OPTION(() => {
        f.a = f.take(this.CONSUME(T.StringLike));
      });
      return this.close(f);
    },
    this.recover(),
  );

  private underlayDecl = this.RULE(
    'underlayDecl',
    () => {
      const f = this.open(bUnderlay);
      f.k = f.take(this.CONSUME(T.Underlay));
      f.a = f.take(this.CONSUME(T.Name, err('expected an underlay name after `underlay`')));
      f.b = f.take(this.CONSUME(T.PrefixLike, err('expected the underlay prefix, like 192.168.10.0/24, after its name')));
      // built now so its errors come before those of the body
      if (!this.recording()) f.prefix = this.builder.prefix(isReal(f.b) ? f.b : undefined);
      this.block(Ctx.Underlay, this.underlayStmt, 'underlay', f);
      return this.close(f);
    },
    this.recover(),
  );

  /**
   * `KEYWORD NAME { body }`: `k` the keyword, `a` the name. `stmt` is a
   * thunk: the statement rules are fields initialised after these.
   */
  private named(name: string, kw: TokenType, noun: string, ctx: Ctx, stmt: () => () => unknown, build: Build) {
    const missingName = err(`expected ${noun === 'overlay' ? 'an' : 'a'} ${noun} name after \`${noun}\``);
    return this.RULE(
      name,
      () => {
        const f = this.open(build);
        f.k = f.take(this.CONSUME(kw));
        f.a = f.take(this.CONSUME(T.Name, missingName));
        this.block(ctx, stmt(), noun, f);
        return this.close(f);
      },
      this.recover(),
    );
  }

  private overlayDecl = this.named('overlayDecl', T.Overlay, 'overlay', Ctx.Overlay, () => this.overlayStmt, bOverlay);
  private hostDecl = this.named('hostDecl', T.Host, 'host', Ctx.Host, () => this.hostStmt, bHost);
  private bridgeDecl = this.named('bridgeDecl', T.Bridge, 'bridge', Ctx.Bridge, () => this.bridgeStmt, bBridge);
  private containerDecl = this.named('containerDecl', T.Container, 'container', Ctx.Container, () => this.containerStmt, bContainer);

  private expectDecl = this.RULE(
    'expectDecl',
    () => {
      const f = this.open(bExpect);
      f.k = f.take(this.CONSUME(T.Expect));
      f.a = f.take(this.CONSUME(T.Name, err('expected the source of `expect`: a container, a host or `internet`')));
      f.b = f.take(
        this.OR({
          ERR_MSG: 'expected `->` (reachable) or `-/->` (not reachable) after the source of `expect`',
          DEF: [{ ALT: () => this.CONSUME(T.Arrow) }, { ALT: () => this.CONSUME(T.NotArrow) }],
        }),
      );
      f.c = f.take(this.CONSUME1(T.Name, err('expected the target of `expect` after the arrow: a container, a host or `internet`')));
      this.OPTION(() => {
        f.d = f.take(this.CONSUME(T.Colon));
        this.SUBRULE(this.port);
      });
      return this.close(f);
    },
    this.recover(),
  );

  // ---------------------------------------------------------------------------
  // Statements of each body (one node each, in source order)

  /** one statement of a body: the rule of its first word (a thunk: the rules are fields initialised after these) */
  private statement(name: string, rules: () => (() => unknown)[]) {
    return this.RULE(name, () => this.OR(this.once(name, () => rules().map((r) => ({ ALT: () => this.SUBRULE(r) })))), this.recover());
  }

  private underlayStmt = this.statement('underlayStmt', () => [
    this.mtuProp,
    this.uplinkProp,
  ]);

  private overlayStmt = this.statement('overlayStmt', () => [
    this.driverProp,
    this.subnetProp,
    this.subnetLengthProp,
    this.backendProp,
    this.mtuProp,
    this.masqueradeProp,
    this.internalProp,
    this.vlanProp,
  ]);

  private hostStmt = this.statement('hostStmt', () => [
    this.addressProp,
    this.exposeProp,
    this.userlandProxyProp,
    this.bridgeDecl,
    this.containerDecl,
  ]);

  private bridgeStmt = this.statement('bridgeStmt', () => [
    this.subnetProp,
    this.gatewayProp,
    this.iccProp,
    this.masqueradeProp,
    this.internalProp,
    this.mtuProp,
    this.bridgeOverlayProp,
  ]);

  private containerStmt = this.statement('containerStmt', () => [
    this.imageProp,
    this.networkProp,
    this.ipProp,
    this.exposeProp,
    this.publishProp,
    this.linkProp,
  ]);

  // ---------------------------------------------------------------------------
  // Properties: a keyword and one value, `k` and `a` of the frame

  private simple(name: string, kw: TokenType, value: TokenType, message: string, build: Build) {
    return this.RULE(
      name,
      () => {
        const f = this.open(build);
        f.k = f.take(this.CONSUME(kw));
        f.a = f.take(this.CONSUME1(value, err(message)));
        return this.close(f);
      },
      this.recover(),
    );
  }

  private mtuProp = this.simple('mtuProp', T.Mtu, T.Integer, 'expected a number after `mtu`, like 1500', (b, f) => b.mtu(f));
  private uplinkProp = this.simple('uplinkProp', T.Uplink, T.Identifier, 'expected `nat` or `public` after `uplink`', (b, f) => b.uplink(f));
  private subnetProp = this.simple('subnetProp', T.Subnet, T.PrefixLike, 'expected a prefix like 10.1.0.0/16 after `subnet`', (b, f) => b.subnet(f));
  private subnetLengthProp = this.simple('subnetLengthProp', T.SubnetLength, T.Integer, 'expected a prefix length like 24 after `subnet-length`', (b, f) =>
    b.subnetLength(f),
  );
  private driverProp = this.simple('driverProp', T.Driver, T.Identifier, 'expected `flannel`, `weave`, `ovs` or `docker` after `driver`', (b, f) => b.driver(f));
  private backendProp = this.simple('backendProp', T.Backend, T.Identifier, 'expected `udp`, `vxlan`, `host-gw` or `gre` after `backend`', (b, f) => b.backend(f));
  private masqueradeProp = this.simple('masqueradeProp', T.Masquerade, T.Bool, 'expected `true` or `false` after `masquerade`', (b, f) => b.masquerade(f));
  /** `internal true`: Docker's --internal network (no default route, no masquerade, no published ports through it). */
  private internalProp = this.simple('internalProp', T.Internal, T.Bool, 'expected `true` or `false` after `internal`', (b, f) => b.internal(f));
  private userlandProxyProp = this.simple('userlandProxyProp', T.UserlandProxy, T.Bool, 'expected `true` or `false` after `userland-proxy`', (b, f) =>
    b.userlandProxy(f),
  );
  private gatewayProp = this.simple('gatewayProp', T.Gateway, T.AddressLike, 'expected an IPv4 address like 10.1.15.1 after `gateway`', (b, f) => b.gateway(f));
  private iccProp = this.simple('iccProp', T.Icc, T.Bool, 'expected `true` or `false` after `icc`', (b, f) => b.icc(f));
  private bridgeOverlayProp = this.simple('bridgeOverlayProp', T.Overlay, T.Name, 'expected an overlay name after `overlay`', (b, f) => b.bridgeOverlay(f));
  private imageProp = this.simple('imageProp', T.Image, T.StringLike, 'expected a quoted image name like "nginx:1.25" after `image`', (b, f) => b.image(f));
  private ipProp = this.simple('ipProp', T.Ip, T.AddressLike, 'expected an IPv4 address like 10.1.15.2 after `ip`', (b, f) => b.ip(f));

  // ---------------------------------------------------------------------------
  // Properties with more parts

  /** `KEYWORD VALUE [KEYWORD2 VALUE2]`: k, a, then b, c */
  private withOption(name: string, kw: TokenType, value: TokenType, message: string, kw2: TokenType, value2: TokenType, message2: string, build: Build) {
    const m = err(message);
    const m2 = err(message2);
    return this.RULE(
      name,
      () => {
        const f = this.open(build);
        f.k = f.take(this.CONSUME(kw));
        f.a = f.take(this.CONSUME(value, m));
        this.OPTION(() => {
          f.b = f.take(this.CONSUME(kw2));
          f.c = f.take(this.CONSUME1(value2, m2));
        });
        return this.close(f);
      },
      this.recover(),
    );
  }

  private vlanProp = this.withOption(
    'vlanProp',
    T.Vlan,
    T.Integer,
    'expected a VLAN id like 10 after `vlan`',
    T.Subnet,
    T.PrefixLike,
    'expected a prefix like 10.20.10.0/24 after `subnet`',
    bVlan,
  );

  private addressProp = this.withOption(
    'addressProp',
    T.AddressKw,
    T.AddressLike,
    'expected an IPv4 address like 192.168.10.11 after `address`',
    T.On,
    T.Name,
    'expected an underlay name after `on`',
    bAddress,
  );

  private exposeProp = this.RULE(
    'exposeProp',
    () => {
      const f = this.open(bExpose);
      f.ports = [];
      f.k = f.take(this.CONSUME(T.Expose));
      this.SUBRULE(this.port);
      this.MANY(() => {
        f.take(this.CONSUME(T.Comma));
        // a list may continue on the next line after a comma
        this.MANY1(() => this.CONSUME(T.Newline));
        this.SUBRULE1(this.port);
      });
      return this.close(f);
    },
    this.recover(),
  );

  private networkProp = this.RULE(
    'networkProp',
    () => {
      const f = this.open(bNetwork);
      f.k = f.take(this.CONSUME(T.Network));
      this.OR(this.once('network', () => ({
        // `container` and `host` are names too: the mode words win
        IGNORE_AMBIGUITIES: true,
        ERR_MSG: 'expected a bridge or overlay name, `host`, `none` or `container:NAME` after `network`',
        DEF: [
          {
            ALT: () => {
              const g = this.top();
              g.a = g.take(this.CONSUME(T.Container));
              g.b = g.take(this.CONSUME(T.Colon, err('expected `:` and a container name after `container` (as in `network container:web`)')));
              g.c = g.take(this.CONSUME(T.Name, err('expected a container name after `container:`')));
            },
          },
          {
            ALT: () => {
              const g = this.top();
              g.d = g.take(this.CONSUME(T.Host));
            },
          },
          {
            ALT: () => {
              const g = this.top();
              g.x = g.take(this.CONSUME1(T.Name));
              this.OPTION(() => {
                g.take(this.CONSUME(T.Vlan));
                g.y = g.take(this.CONSUME(T.Integer, err('expected a VLAN id like 10 after `vlan`')));
              });
              this.OPTION1(() => {
                g.take(this.CONSUME(T.Ip));
                g.z = g.take(this.CONSUME(T.AddressLike, err('expected an IPv4 address like 172.20.0.10 after `ip`')));
              });
            },
          },
        ],
      })));
      return this.close(f);
    },
    this.recover(),
  );

  private publishProp = this.RULE(
    'publishProp',
    () => {
      const f = this.open(bPublish);
      f.k = f.take(this.CONSUME(T.Publish));
      this.OPTION(() => {
        f.a = f.take(this.CONSUME(T.AddressLike));
        f.take(this.CONSUME(T.Colon, err('expected `:` and the host port after the host address of `publish`')));
      });
      f.c = f.take(this.CONSUME(T.Integer, err('expected `hostPort:containerPort` like 8080:80 after `publish`')));
      f.take(this.CONSUME1(T.Colon, err('expected `:` and the container port after the host port (as in 8080:80)')));
      f.d = f.take(this.CONSUME1(T.Integer, err('expected the container port after `:` (as in 8080:80)')));
      this.OPTION1(() => {
        f.take(this.CONSUME(T.Slash));
        f.x = f.take(this.CONSUME1(T.Identifier, err('expected a protocol like tcp or udp after `/`')));
      });
      return this.close(f);
    },
    this.recover(),
  );

  private linkProp = this.withOption('linkProp', T.Link, T.Name, 'expected a container name after `link`', T.As, T.Name, 'expected an alias name after `as`', bLink);

  /** `80`, `80/tcp`: into the `ports` (and the extent) of the frame of the rule that asks for it */
  private port = this.RULE(
    'port',
    () => {
      const f = this.open(this.portInto);
      f.a = f.take(this.CONSUME(T.Integer, err('expected a port like 80 or 80/tcp')));
      this.OPTION(
        this.once('port', () => () => {
          const g = this.top();
          g.b = g.take(this.CONSUME(T.Slash));
          g.c = g.take(this.CONSUME(T.Identifier, err('expected a protocol like tcp or udp after `/`')));
        }),
      );
      return this.close(f);
    },
    this.recover(),
  );

  /** the port's literal into the frame under it (the frame of `port` is already off the stack) */
  private portInto = (b: AstBuilder, f: Frame): undefined => {
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) return undefined;
    parent.merge(f.s, f.e);
    const lit = b.port(f);
    if (lit) (parent.ports ??= []).push(lit);
    return undefined;
  };
}

const bTopology: Build = (b, f) => b.topology(f);
const bUnderlay: Build = (b, f) => b.underlay(f);
const bOverlay: Build = (b, f) => b.overlay(f);
const bHost: Build = (b, f) => b.host(f);
const bBridge: Build = (b, f) => b.bridge(f);
const bContainer: Build = (b, f) => b.container(f);
const bExpect: Build = (b, f) => b.expect(f);
const bVlan: Build = (b, f) => b.vlan(f);
const bAddress: Build = (b, f) => b.address_(f);
const bExpose: Build = (b, f) => b.expose(f);
const bNetwork: Build = (b, f) => b.network(f);
const bPublish: Build = (b, f) => b.publish(f);
const bLink: Build = (b, f) => b.link(f);
