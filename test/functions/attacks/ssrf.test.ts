// The bad-input corpus, channels (R17): every address an attacker with a function key could give a
// unit's channel to reach the Function App's own network. The policy is tried on strings and with an
// injected resolver: no name is looked up and no packet leaves 127.0.0.0/8 in this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressKind,
  checkChannelUrl,
  resolveChannelTarget,
  type ChannelNetwork,
  type ResolvedAddress,
} from '../../../functions/notify/channels/policy.js';
import {
  channelsConfigFromEnv,
  checkChannel,
  sendThroughChannel,
} from '../../../functions/notify/channels/index.js';
import { maskUrl } from '../../../functions/http/channelSecrets.js';
import { composePrompt } from '../../../functions/notify/message.js';
import { item } from '../notify/fixtures.js';
import { loopbackNetwork, startReceiver, type RunningReceiver } from '../notify/receivers.js';
import { reportTally, tally } from './tally.js';

reportTally('ssrf');

const NAMES: Record<string, string[]> = {
  'internal.example.cn': ['10.0.0.5'],
  'metadata.example.cn': ['169.254.169.254'],
  'mixed.example.cn': ['203.0.114.7', '192.168.1.20'],
  'mapped.example.cn': ['::ffff:169.254.169.254'],
  'nat64.example.cn': ['64:ff9b::a9fe:a9fe'],
  'compat.example.cn': ['::169.254.169.254'],
  'loop.example.cn': ['127.0.0.1'],
  'loop6.example.cn': ['::1'],
  'zero.example.cn': ['0.0.0.0'],
  'ula.example.cn': ['fd00:ec2::254'],
  'multicast.example.cn': ['239.1.1.1'],
  'cgnat.example.cn': ['100.100.100.200'],
  'sms.county.local': ['10.1.2.3'],
  'qyapi.weixin.qq.com': ['101.226.233.10'],
  'oapi.dingtalk.com': ['2408:4000::1'],
  'gateway.example.cn': ['203.0.114.9'],
};

/** Answers from the table above; a name not in it is an error, never a real lookup. */
const resolver = async (host: string): Promise<ResolvedAddress[]> => {
  const list = NAMES[host];
  if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const net: ChannelNetwork = { resolve: resolver, httpHosts: ['sms.county.local'] };

type Kind = 'wecom' | 'dingtalk' | 'webhook';
const ATTACKS: [Kind, string, RegExp][] = [
  // Metadata service in every spelling the URL parser accepts.
  ['webhook', 'http://169.254.169.254/latest/meta-data', /只允许 https/],
  ['webhook', 'https://169.254.169.254/latest/meta-data', /链路本地地址/],
  ['webhook', 'https://[::ffff:169.254.169.254]/', /IPv4 映射或兼容地址/],
  ['webhook', 'https://[::169.254.169.254]/', /IPv4 映射或兼容地址/],
  ['webhook', 'https://[64:ff9b::a9fe:a9fe]/', /NAT64 地址/],
  ['webhook', 'https://[64:ff9b::169.254.169.254]/', /NAT64 地址/],
  ['webhook', 'https://2852039166/', /链路本地地址/],
  ['webhook', 'https://0251.0376.0251.0376/', /链路本地地址/],
  ['webhook', 'https://0xa9.0xfe.0xa9.0xfe/', /链路本地地址/],
  ['webhook', 'https://0xa9fea9fe/', /链路本地地址/],
  ['webhook', 'https://169.254.43518/', /链路本地地址/],
  ['webhook', 'https://0251.254.169.254/', /链路本地地址/],
  // Loopback, unspecified, private, link-local, unique-local, multicast, reserved.
  ['webhook', 'https://127.0.0.1/', /本机回环地址/],
  ['webhook', 'https://127.1/', /本机回环地址/],
  ['webhook', 'https://2130706433/', /本机回环地址/],
  ['webhook', 'https://0x7f000001/', /本机回环地址/],
  ['webhook', 'https://017700000001/', /本机回环地址/],
  ['webhook', 'https://[::1]/', /本机回环地址/],
  ['webhook', 'https://[::ffff:127.0.0.1]/', /IPv4 映射或兼容地址/],
  ['webhook', 'https://[::ffff:7f00:1]/', /IPv4 映射或兼容地址/],
  ['webhook', 'https://0.0.0.0/', /未指定地址/],
  ['webhook', 'https://0/', /未指定地址/],
  ['webhook', 'https://[::]/', /未指定地址/],
  ['webhook', 'https://10.0.0.1/', /内网地址/],
  ['webhook', 'https://172.16.5.4/', /内网地址/],
  ['webhook', 'https://172.31.255.255/', /内网地址/],
  ['webhook', 'https://192.168.1.1/', /内网地址/],
  ['webhook', 'https://100.64.0.1/', /内网地址/],
  ['webhook', 'https://[::ffff:10.0.0.1]/', /IPv4 映射或兼容地址/],
  ['webhook', 'https://[fc00::1]/', /IPv6 内网地址/],
  ['webhook', 'https://[fd12:3456::1]/', /IPv6 内网地址/],
  ['webhook', 'https://[fe80::1]/', /链路本地地址/],
  ['webhook', 'https://[fe80::a9fe:a9fe]/', /链路本地地址/],
  ['webhook', 'https://224.0.0.1/', /组播地址/],
  ['webhook', 'https://[ff02::1]/', /组播地址/],
  ['webhook', 'https://255.255.255.255/', /保留地址/],
  ['webhook', 'https://198.18.0.1/', /保留地址/],
  ['webhook', 'https://[2001:db8::1]/', /保留地址/],
  ['webhook', 'https://[2002:a9fe:a9fe::1]/', /保留地址/],
  ['webhook', 'https://[100::1]/', /保留地址/],
  // Schemes that are not a web request, or plain http off the allow-list.
  ['webhook', 'data:text/plain,hello', /只允许 https 地址（不支持 data）/],
  ['webhook', 'file:///etc/passwd', /不支持 file/],
  ['webhook', 'ftp://sms.example.cn/send', /不支持 ftp/],
  ['webhook', 'gopher://127.0.0.1:6379/_INFO', /不支持 gopher/],
  ['webhook', 'javascript:alert(1)', /不支持 javascript/],
  ['webhook', 'http://sms.example.cn/send', /明文 http 仅限部署设置 DUBAN_CHANNEL_HTTP_HOSTS/],
  ['webhook', 'http://sms.county.local:8080/send', /明文 http 仅限/],
  // Robots anywhere but their official hosts.
  ['wecom', 'https://evil.example.cn/cgi-bin/webhook/send?key=x', /https:\/\/qyapi\.weixin\.qq\.com/],
  ['wecom', 'https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send', /qyapi\.weixin\.qq\.com/],
  ['wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send', /只允许 https/],
  ['wecom', 'https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send', /qyapi\.weixin\.qq\.com/],
  ['wecom', 'https://10.0.0.1/cgi-bin/webhook/send', /qyapi\.weixin\.qq\.com/],
  ['dingtalk', 'https://oapi.dingtalk.com@169.254.169.254/robot/send', /oapi\.dingtalk\.com/],
  ['dingtalk', 'https://oapi.dingtalk.com.cn/robot/send', /oapi\.dingtalk\.com/],
  ['dingtalk', 'https://internal.example.cn/robot/send', /oapi\.dingtalk\.com/],
  // Names that resolve into the private network (the injected resolver answers).
  ['webhook', 'https://internal.example.cn/send', /内网地址/],
  ['webhook', 'https://metadata.example.cn/latest', /链路本地地址/],
  ['webhook', 'https://mixed.example.cn/send', /内网地址/],
  ['webhook', 'https://mapped.example.cn/send', /IPv4 映射或兼容地址/],
  ['webhook', 'https://nat64.example.cn/send', /NAT64 地址/],
  ['webhook', 'https://compat.example.cn/send', /IPv4 映射或兼容地址/],
  ['webhook', 'https://loop.example.cn/send', /本机回环地址/],
  ['webhook', 'https://loop6.example.cn/send', /本机回环地址/],
  ['webhook', 'https://zero.example.cn/send', /未指定地址/],
  ['webhook', 'https://ula.example.cn/send', /IPv6 内网地址/],
  ['webhook', 'https://multicast.example.cn/send', /组播地址/],
  ['webhook', 'https://cgnat.example.cn/send', /内网地址/],
  ['webhook', 'https://unknown.example.cn/send', /域名无法解析/],
];

describe('R17: channel addresses an attacker would try are refused (strings and injected resolver)', () => {
  it.each(ATTACKS)('%s %s is refused', async (kind, url, reason) => {
    const refused = await resolveChannelTarget(kind, url, net).then(
      () => null,
      (e: Error) => e.message,
    );
    tally('ssrf', refused !== null && reason.test(refused));
    expect(refused).toMatch(reason);
  });

  it('the genuine addresses pass: robots on their official hosts, a public gateway, an allow-listed on-premises gateway', async () => {
    expect(
      (await resolveChannelTarget('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', net))
        .address,
    ).toEqual({ address: '101.226.233.10', family: 4 });
    expect(
      (await resolveChannelTarget('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=T', net))
        .address.address,
    ).toBe('2408:4000::1');
    expect(
      (await resolveChannelTarget('webhook', 'https://gateway.example.cn/sms', net)).address.address,
    ).toBe('203.0.114.9');
    // The office's own SMS gateway on the county network: plain http and a private address, because
    // whoever deployed listed it (DUBAN_CHANNEL_HTTP_HOSTS); a key holder cannot add to that list.
    expect((await resolveChannelTarget('webhook', 'http://sms.county.local/send', net)).address.address).toBe(
      '10.1.2.3',
    );
  });

  it('an allow-listed plain-http host still never reaches loopback or the metadata service', async () => {
    for (const [host, reason] of [
      ['loop.example.cn', /本机回环地址/],
      ['metadata.example.cn', /链路本地地址/],
    ] as const) {
      const refused = await resolveChannelTarget('webhook', `http://${host}/send`, {
        ...net,
        httpHosts: [host],
      }).catch((e: Error) => e.message);
      tally('ssrf', typeof refused === 'string' && reason.test(refused));
      expect(refused).toMatch(reason);
    }
  });

  it('the test-only loopback list is ignored outside tests (NODE_ENV ≠ test)', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() =>
        checkChannelUrl('webhook', 'http://127.0.0.1:4567/sms', { testLoopback: ['127.0.0.1:4567'] }),
      ).toThrow(/只允许 https/);
      tally('ssrf', true);
    } finally {
      process.env.NODE_ENV = saved;
    }
    expect(() =>
      checkChannelUrl('webhook', 'http://127.0.0.1:4567/sms', { testLoopback: ['127.0.0.1:4567'] }),
    ).not.toThrow();
  });

  it('the playground’s loopback receivers are honoured only in a backend with the playground flag on playground tables', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    const url = 'http://127.0.0.1:4567/sms';
    const receivers = { DUBAN_PLAYGROUND_RECEIVERS: '127.0.0.1:4567' };
    try {
      for (const env of [
        receivers,
        { ...receivers, DUBAN_PLAYGROUND: '1', DUBAN_TABLE_PREFIX: 'duban' },
        { ...receivers, DUBAN_TABLE_PREFIX: 'playground1' },
        // The flag and the prefix on an office's real storage: still no loopback channel.
        {
          ...receivers,
          DUBAN_PLAYGROUND: '1',
          DUBAN_TABLE_PREFIX: 'playground1',
          DUBAN_STORAGE: 'AccountName=x;AccountKey=a2V5;TableEndpoint=https://x.table.core.chinacloudapi.cn/',
        },
      ]) {
        const { network } = channelsConfigFromEnv(env);
        expect(() => checkChannelUrl('webhook', url, network)).toThrow(/只允许 https/);
        tally('ssrf', true);
      }
      const { network } = channelsConfigFromEnv({
        ...receivers,
        DUBAN_PLAYGROUND: '1',
        DUBAN_TABLE_PREFIX: 'playground1',
      });
      expect(() => checkChannelUrl('webhook', url, network)).not.toThrow();
      // Another loopback port is still refused in the playground.
      expect(() => checkChannelUrl('webhook', 'http://127.0.0.1:4568/sms', network)).toThrow();
      tally('ssrf', true);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('only special addresses are refused: public unicast addresses of both families pass', () => {
    for (const ip of ['8.8.8.8', '203.0.114.1', '2408:4000::1', '2a00:1450::1'])
      expect(addressKind(ip)).toBeNull();
  });
});

describe('R17: a refused address never gets a packet, and a stored one fails visibly without retries', () => {
  let rx: RunningReceiver;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx.stop());
  const message = () => composePrompt('县财政局', [item(1)]);

  it('sending resolves once and connects to the checked address: a second, rebinding answer is never used', async () => {
    let calls = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> => {
      calls++;
      return [{ address: calls === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    };
    const config = {
      timeoutMs: 2000,
      network: { resolve: rebinding, testLoopback: [`receiver.test:${rx.port}`] },
    };
    await sendThroughChannel(
      { kind: 'webhook', url: `http://receiver.test:${rx.port}/sms` },
      message(),
      config,
    );
    expect(calls).toBe(1);
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]!.headers.host).toBe(`receiver.test:${rx.port}`);
  });

  it('a name that resolves to the metadata service is refused before any connection', async () => {
    const config = { timeoutMs: 2000, network: { resolve: resolver } };
    const before = rx.requests.length;
    const err = await sendThroughChannel(
      { kind: 'webhook', url: 'https://metadata.example.cn/latest/meta-data' },
      message(),
      config,
    ).catch((e: Error) => e.message);
    tally('ssrf', err === '短信网关地址已拒绝：地址指向链路本地地址（含云平台元数据服务），已拒绝');
    expect(err).toBe('短信网关地址已拒绝：地址指向链路本地地址（含云平台元数据服务），已拒绝');
    expect(rx.requests.length).toBe(before);
  });

  it('a stored channel the policy refuses (a data: URL, a robot off its host) is invalid, never “delivered”', () => {
    const config = { network: loopbackNetwork(rx) };
    for (const raw of [
      { kind: 'webhook', url: 'data:text/plain,ok' },
      { kind: 'wecom', url: 'https://example.cn/cgi-bin/webhook/send?key=K' },
      { kind: 'dingtalk', url: 'https://[::ffff:169.254.169.254]/robot/send' },
    ]) {
      const checked = checkChannel(raw, config);
      tally('ssrf', !checked.ok);
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toMatch(/^渠道地址已拒绝：.*请在单位设置中修改$/);
    }
  });
});

describe('R17: secrets in a channel URL are masked wherever it is shown', () => {
  it.each([
    ['https://duban:pa55w0rd@sms.example.cn/send', 'pa55w0rd', 'https://******@sms.example.cn/send'],
    [
      'https://sms.example.cn/hooks/T0PSECRETa1b2c3d4e5',
      'T0PSECRETa1b2c3d4e5',
      'https://sms.example.cn/hooks/******',
    ],
    [
      'https://sms.example.cn/send?token=abc123&sign=zz',
      'abc123',
      'https://sms.example.cn/send?token=******&sign=******',
    ],
    ['https://sms.example.cn/send#access=abc123', 'abc123', 'https://sms.example.cn/send#******'],
  ])('%s', (url, secret, masked) => {
    const shown = maskUrl(url);
    tally('secrets', !shown.includes(secret));
    expect(shown).toBe(masked);
  });

  it('a refused or failed channel’s message names no part of the URL but its host', async () => {
    const url = 'https://duban:pa55w0rd@metadata.example.cn/hooks/T0PSECRETa1b2c3d4e5?key=K#frag';
    const err = await sendThroughChannel({ kind: 'webhook', url }, composePrompt('县财政局', [item(1)]), {
      timeoutMs: 1000,
      network: { resolve: resolver },
    }).catch((e: Error) => e.message);
    expect(err).toMatch(/^短信网关地址已拒绝/);
    for (const s of ['pa55w0rd', 'T0PSECRET', 'key=K', 'frag']) expect(err).not.toContain(s);
  });
});
