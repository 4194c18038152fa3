/**
 * The `.cnet` lexer (spec §1). Chevrotain picks the first pattern that
 * matches, so the order of `allTokens` matters: comments before `/`,
 * IPv6 before identifiers and numbers, prefixes before addresses before
 * integers, multi-word keywords before their prefixes, keywords before
 * `Identifier` (each keyword has `longer_alt: Identifier`, so `hostname`,
 * `subnet-length2` or `bridges` are names).
 *
 * Value words (`nat`, `flannel`, `vxlan`, `host-gw`, `tcp`, …) are plain
 * identifiers on purpose: they stay usable as names, and the parser checks
 * them where a closed set is expected.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Every token a statement may contain; not `;`, newline, `{` or `}`. */
export const AnyToken = createToken({ name: 'AnyToken', pattern: Lexer.NA });
/** Statement terminators: a newline or `;`. */
export const Sep = createToken({ name: 'Sep', pattern: Lexer.NA });
/**
 * Words accepted where a name is expected: identifiers and keywords alike,
 * so `bridge backend { … }` (spec §2) or a container named `link` work.
 */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, categories: [AnyToken] });
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA, categories: [AnyToken] });
export const Bool = createToken({ name: 'Bool', pattern: Lexer.NA, categories: [AnyToken] });
/** Tokens accepted where an IPv4 address is expected (IPv6 is reported by the builder). */
export const AddressLike = createToken({ name: 'AddressLike', pattern: Lexer.NA, categories: [AnyToken] });
/** Tokens accepted where a prefix is expected. */
export const PrefixLike = createToken({ name: 'PrefixLike', pattern: Lexer.NA, categories: [AnyToken] });
/** `"…"`, terminated or not (an unterminated string is reported by the builder). */
export const StringLike = createToken({ name: 'StringLike', pattern: Lexer.NA, categories: [AnyToken] });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff\u2028\u2029]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\r\n?|\n/, categories: [Sep], line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /(?:#|\/\/)[^\r\n]*/, group: 'comments' });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*/,
  categories: [AnyToken, Name],
});

/**
 * IPv6-looking literals (`fd00::1`, `2001:db8::/32`, `::1`, the full
 * eight-group form). They become one token so the error is a single
 * "IPv6 is not supported" instead of a cascade over `:` and hex words.
 */
export const Ipv6 = createToken({
  name: 'Ipv6',
  pattern: /(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::[0-9A-Fa-f:.]*(?:\/\d+)?|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}(?:\/\d+)?/,
  categories: [AddressLike, PrefixLike],
  start_chars_hint: [...'0123456789abcdefABCDEF:'],
});
/** Any dotted digits with a length: `10.1.0.0/16`, `300.1.1.1/40`, `1.2.3/8` (the checker judges them). */
export const Prefix = createToken({ name: 'Prefix', pattern: /\d+(?:\.\d+)+\/\d+/, categories: [PrefixLike] });
/** Any dotted digits: `10.1.15.2`, `300.1.1.1`, `1.2.3` (the checker judges them). */
export const Address = createToken({ name: 'Address', pattern: /\d+(?:\.\d+)+/, categories: [AddressLike] });
export const Integer = createToken({ name: 'Integer', pattern: /\d+/, categories: [AnyToken] });
export const StringTok = createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\.)*"/, categories: [StringLike] });
/** A string that reaches the end of its line without a closing quote. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*\\?/, categories: [StringLike] });

export const NotArrow = createToken({ name: 'NotArrow', pattern: '-/->', categories: [AnyToken] });
export const Arrow = createToken({ name: 'Arrow', pattern: '->', categories: [AnyToken] });
export const Colon = createToken({ name: 'Colon', pattern: ':', categories: [AnyToken] });
export const Comma = createToken({ name: 'Comma', pattern: ',', categories: [AnyToken] });
export const Semicolon = createToken({ name: 'Semicolon', pattern: ';', categories: [Sep] });
export const Slash = createToken({ name: 'Slash', pattern: '/', categories: [AnyToken] });
export const LCurly = createToken({ name: 'LCurly', pattern: '{' });
export const RCurly = createToken({ name: 'RCurly', pattern: '}' });

function keyword(word: string, extra: TokenType[] = []): TokenType {
  const name = word.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  return createToken({ name, pattern: word, longer_alt: Identifier, categories: [Keyword, AnyToken, Name, ...extra] });
}

export const Topology = keyword('topology');
export const Underlay = keyword('underlay');
export const Overlay = keyword('overlay');
export const Host = keyword('host');
export const Bridge = keyword('bridge');
export const Container = keyword('container');
export const Expect = keyword('expect');
export const Mtu = keyword('mtu');
export const Uplink = keyword('uplink');
export const Driver = keyword('driver');
export const SubnetLength = keyword('subnet-length');
export const Subnet = keyword('subnet');
export const Backend = keyword('backend');
export const Masquerade = keyword('masquerade');
export const Vlan = keyword('vlan');
export const AddressKw = createToken({ name: 'AddressKw', pattern: 'address', longer_alt: Identifier, categories: [Keyword, AnyToken, Name] });
export const On = keyword('on');
export const Expose = keyword('expose');
export const UserlandProxy = keyword('userland-proxy');
export const Gateway = keyword('gateway');
export const Icc = keyword('icc');
export const Internal = keyword('internal');
export const Image = keyword('image');
export const Network = keyword('network');
export const Ip = keyword('ip');
export const Publish = keyword('publish');
export const Link = keyword('link');
export const As = keyword('as');
export const True = keyword('true', [Bool]);
export const False = keyword('false', [Bool]);

export const keywordTokens: readonly TokenType[] = [
  Topology, Underlay, Overlay, Host, Bridge, Container, Expect, Mtu, Uplink, Driver,
  SubnetLength, Subnet, Backend, Masquerade, Vlan, AddressKw, On, Expose, UserlandProxy,
  Gateway, Icc, Internal, Image, Network, Ip, Publish, Link, As, True, False,
];

/** Token types in lexing order (first match wins). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace, Newline, Comment,
  Ipv6, Prefix, Address, Integer,
  StringTok, UnterminatedString,
  NotArrow, Arrow, Colon, Comma, Semicolon, Slash, LCurly, RCurly,
  ...keywordTokens,
  Identifier,
];

/** Every token type the parser knows, categories included. */
export const vocabulary: readonly TokenType[] = [
  AnyToken, Sep, Name, Keyword, Bool, AddressLike, PrefixLike, StringLike, ...allTokens,
];

export const cnetLexer = new Lexer(allTokens as TokenType[], {
  // the parser works with newline tokens, never with line numbers
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
});
