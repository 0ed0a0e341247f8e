// Where a channel may post. Anyone holding a key can set a unit's channel URL, so the Function App
// must not become a way into its own network (server-side request forgery): a robot or gateway URL
// is https, on a robot's official host for WeCom/DingTalk, and its host resolves only to public
// addresses. The name is resolved once, every address is checked, and the connection goes to the
// checked address (a DNS answer that changes between check and connect cannot redirect it).
import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { isTestRun } from '../../config.js';

/** The official hosts of the robots: a WeCom or DingTalk channel posts nowhere else. */
export const OFFICIAL_ROBOT_HOSTS = {
  wecom: 'qyapi.weixin.qq.com',
  dingtalk: 'oapi.dingtalk.com',
} as const;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution (default: the system resolver). Tests inject one, so no name is looked up on the network. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface ChannelNetwork {
  /**
   * Hosts (`host` or `host:port`) a channel may reach over plain http, e.g. the county's on-premises
   * SMS gateway (DUBAN_CHANNEL_HTTP_HOSTS). Set by whoever deploys, never through the API: a key
   * holder cannot widen it. Such a host may resolve to a private address (10/8, 172.16/12,
   * 192.168/16, 100.64/10, fc00::/7), never to loopback, link-local or the other reserved ranges.
   */
  httpHosts?: string[];
  /**
   * Test-only: the loopback receivers (`127.0.0.1:port`) that stand in for the robots and gateways.
   * Honoured only when NODE_ENV is `test` and only for an address in 127.0.0.0/8 or ::1 on exactly
   * that port (DUBAN_TEST_LOOPBACK_CHANNELS).
   */
  testLoopback?: string[];
  /**
   * The playground's own receivers (`127.0.0.1:port`, DUBAN_PLAYGROUND_RECEIVERS): honoured only in a
   * backend started with the playground flag on `playground*` tables (channelsConfigFromEnv decides),
   * so a production deployment can never post to loopback through it.
   */
  playgroundLoopback?: string[];
  resolve?: Resolver;
}

export type AddressKind =
  | 'unspecified'
  | 'loopback'
  | 'mapped'
  | 'nat64'
  | 'linkLocal'
  | 'private'
  | 'uniqueLocal'
  | 'multicast'
  | 'reserved';

const KIND_NAMES: Record<AddressKind, string> = {
  unspecified: '未指定地址',
  loopback: '本机回环地址',
  mapped: 'IPv4 映射或兼容地址',
  nat64: 'NAT64 地址',
  linkLocal: '链路本地地址（含云平台元数据服务）',
  private: '内网地址',
  uniqueLocal: 'IPv6 内网地址',
  multicast: '组播地址',
  reserved: '保留地址',
};

type Range = [string, number, 'ipv4' | 'ipv6'];

// Order matters: an IPv4-mapped or NAT64 address names an IPv4 host inside an IPv6 one and is refused
// as such, whatever the IPv4 host is (BlockList would otherwise match it against the IPv4 rules).
const RANGES: [AddressKind, Range[]][] = [
  [
    'mapped',
    [
      ['::ffff:0:0', 96, 'ipv6'], // IPv4-mapped
      ['::ffff:0:0:0', 96, 'ipv6'], // IPv4-translated (SIIT)
    ],
  ],
  [
    'nat64',
    [
      ['64:ff9b::', 96, 'ipv6'],
      ['64:ff9b:1::', 48, 'ipv6'],
    ],
  ],
  [
    'unspecified',
    [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  ],
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  ],
  // Deprecated IPv4-compatible addresses (`::a.b.c.d`), after :: and ::1 were named.
  ['mapped', [['::', 96, 'ipv6']]],
  [
    'linkLocal',
    [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  ],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'],
    ],
  ],
  [
    'uniqueLocal',
    [
      ['fc00::', 7, 'ipv6'],
      ['fec0::', 10, 'ipv6'],
    ],
  ],
  [
    'multicast',
    [
      ['224.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  ],
  [
    'reserved',
    [
      ['192.0.0.0', 24, 'ipv4'],
      ['192.0.2.0', 24, 'ipv4'],
      ['192.88.99.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['240.0.0.0', 4, 'ipv4'],
      ['100::', 64, 'ipv6'],
      ['2001::', 23, 'ipv6'],
      ['2001:db8::', 32, 'ipv6'],
      ['2002::', 16, 'ipv6'],
    ],
  ],
];

// One list per family: BlockList matches an IPv4 address against IPv4-mapped IPv6 rules (and the
// other way round), so an IPv4 address is checked only against the IPv4 ranges.
const lists = (family: 'ipv4' | 'ipv6'): [AddressKind, BlockList][] =>
  RANGES.map(([kind, ranges]) => {
    const list = new BlockList();
    for (const [net, prefix, type] of ranges) if (type === family) list.addSubnet(net, prefix, type);
    return [kind, list];
  });
const LISTS = { ipv4: lists('ipv4'), ipv6: lists('ipv6') };

const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');

/** What kind of special address `ip` is, or null for a public unicast address. Not an IP → 'reserved'. */
export function addressKind(ip: string): AddressKind | null {
  const bare = ip.replace(/^\[|\]$/g, '');
  const v = isIP(bare);
  if (v === 0) return 'reserved';
  const type = v === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of LISTS[type]) if (list.check(bare, type)) return kind;
  // Outside 2000::/3 nothing is assigned as global unicast.
  if (v === 6 && !GLOBAL_UNICAST_V6.check(bare, 'ipv6')) return 'reserved';
  return null;
}

export class ChannelPolicyError extends Error {
  override readonly name = 'ChannelPolicyError';
}

const hostKey = (u: URL) => u.host.toLowerCase();
const defaultPort = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');

function inList(u: URL, list: string[] | undefined): boolean {
  if (!list?.length) return false;
  const host = u.hostname.toLowerCase();
  const withPort = `${host}:${defaultPort(u)}`;
  return list.some((e) => {
    const entry = e.trim().toLowerCase();
    // A bare host means its default port; another port must be listed as host:port.
    return (entry === host && u.port === '') || entry === withPort || entry === hostKey(u);
  });
}

function testLoopbackAllowed(u: URL, net: ChannelNetwork): boolean {
  if (u.port === '') return false;
  return (isTestRun() && inList(u, net.testLoopback)) || inList(u, net.playgroundLoopback);
}

export interface CheckedUrl {
  url: URL;
  /** The URL's host is on the test-only loopback list. */
  testReceiver: boolean;
  /** The URL's host is on the deployment's plain-http list (private addresses allowed). */
  allowListed: boolean;
}

/**
 * The checks that need no network: scheme, official robot host, allow-lists, and literal addresses
 * (every spelling the URL parser accepts is normalised first: `http://2852039166/`, octal and hex
 * parts, `[::ffff:169.254.169.254]`). Throws a ChannelPolicyError with a Chinese reason.
 */
export function checkChannelUrl(
  kind: 'wecom' | 'dingtalk' | 'webhook',
  raw: string,
  net: ChannelNetwork = {},
): CheckedUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ChannelPolicyError('地址不是有效的网址');
  }
  const testReceiver = testLoopbackAllowed(u, net);
  const allowListed = inList(u, net.httpHosts);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && (allowListed || testReceiver)))
    throw new ChannelPolicyError(
      u.protocol === 'http:'
        ? `只允许 https 地址；明文 http 仅限部署设置 DUBAN_CHANNEL_HTTP_HOSTS 中列出的主机（${u.hostname} 不在其中）`
        : `只允许 https 地址（不支持 ${u.protocol.replace(/:$/, '')}）`,
    );
  if ((kind === 'wecom' || kind === 'dingtalk') && !testReceiver) {
    const official = OFFICIAL_ROBOT_HOSTS[kind];
    if (u.hostname.toLowerCase() !== official || defaultPort(u) !== '443' || u.protocol !== 'https:')
      throw new ChannelPolicyError(
        `${kind === 'wecom' ? '企业微信' : '钉钉'}机器人地址只能是 https://${official}/…，请从群机器人设置中复制完整地址`,
      );
  }
  if (isIP(u.hostname.replace(/^\[|\]$/g, '')) !== 0)
    refuseAddress(u.hostname, { testReceiver, allowListed });
  return { url: u, testReceiver, allowListed };
}

function refuseAddress(ip: string, opts: { testReceiver: boolean; allowListed: boolean }): void {
  const kind = addressKind(ip);
  if (kind === null) return;
  if (kind === 'loopback' && opts.testReceiver) return;
  if ((kind === 'private' || kind === 'uniqueLocal') && opts.allowListed) return;
  throw new ChannelPolicyError(`地址指向${KIND_NAMES[kind]}，已拒绝`);
}

/**
 * The address to connect to: the host's addresses as resolved now, every one of them checked (one
 * forbidden address refuses the URL: a name is not half trusted), the first one returned.
 */
export async function resolveChannelTarget(
  kind: 'wecom' | 'dingtalk' | 'webhook',
  raw: string,
  net: ChannelNetwork = {},
): Promise<{ url: URL; address: ResolvedAddress }> {
  const checked = checkChannelUrl(kind, raw, net);
  const host = checked.url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (net.resolve ?? systemResolver)(host);
    } catch {
      throw new ChannelPolicyError('域名无法解析');
    }
  }
  if (addresses.length === 0) throw new ChannelPolicyError('域名无法解析');
  for (const a of addresses) refuseAddress(a.address, checked);
  return { url: checked.url, address: addresses[0]! };
}
