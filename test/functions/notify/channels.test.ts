// The four prompt channels against real services on loopback: what actually arrived.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composePrompt, splitMarkdown, periodLabel } from '../../../functions/notify/message.js';
import {
  sendThroughChannel,
  channelLabel,
  type ChannelsConfig,
} from '../../../functions/notify/channels/index.js';
import {
  loopbackNetwork,
  startReceiver,
  startSmtp,
  type RunningReceiver,
  type RunningSmtp,
} from './receivers.js';
import { item } from './fixtures.js';

let smtp: RunningSmtp;
let rx: RunningReceiver;
let config: ChannelsConfig;

beforeAll(async () => {
  smtp = await startSmtp();
  rx = await startReceiver();
  config = {
    smtpUrl: smtp.url,
    mailFrom: '县政府督办检查室 <duban@example.gov.cn>',
    timeoutMs: 3000,
    network: loopbackNetwork(rx),
  };
});
afterAll(async () => {
  await smtp.stop();
  await rx.stop();
});
beforeEach(() => {
  rx.mode = 'ok';
  rx.requests.length = 0;
  smtp.mails.length = 0;
});

const three = () =>
  composePrompt('县财政局', [
    item(3, { feedbackDue: '2026-03-27' }),
    item(1),
    item(2, { period: '2026-03', reason: 'monthly', feedbackDue: '2026-03-26' }),
  ]);

describe('prompt message', () => {
  it('R17: one message per unit has the office title with the count and the earliest feedback date, and lists every task in Chinese', () => {
    const m = three();
    expect(m.title).toBe('【督办提示】县财政局：3项重点工作请于3月26日前反馈');
    expect(m.items.map((i) => i.taskNo)).toEqual(['1', '2', '3']);
    expect(m.text).toContain('2026年第一季度 · 季度提示 · 请于3月26日前反馈');
    expect(m.text).toContain('2026年3月 · 月度提示 · 请于3月26日前反馈');
    expect(m.text).toContain('请于3月27日前反馈');
    for (const n of [1, 2, 3])
      expect(m.markdown).toContain(`[填写反馈](https://duban.example.gov.cn/feedback/${n}?sig=abc${n})`);
    expect(periodLabel('2026-W09')).toBe('2026年第9周');
  });

  it('escapes task text in the email HTML', () => {
    const m = composePrompt('县住建局', [item(1, { taskTitle: '<script>alert(1)</script>改造' })]);
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&#60;script&#62;');
  });

  it('splits a long list into numbered parts under the robot limit without cutting a task', () => {
    const m = composePrompt(
      '县财政局',
      Array.from({ length: 40 }, (_, i) => item(i + 1)),
    );
    const parts = splitMarkdown(m, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(4096);
    expect(parts[0]).toContain(`（1/${parts.length}）`);
    const all = parts.join('\n');
    for (let n = 1; n <= 40; n++) expect(all).toContain(`feedback/${n}?sig=abc${n})`);
  });
});

describe('email over SMTP', () => {
  it('R17: delivers to the unit with subject, sender, the tasks and their links (logged in with the URL credentials)', async () => {
    await sendThroughChannel({ kind: 'email', to: 'czj@county.gov.cn' }, three(), config);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.user).toBe('duban');
    expect(mail.to).toEqual(['czj@county.gov.cn']);
    expect(mail.from).toBe('duban@example.gov.cn');
    expect(mail.parsed.subject).toBe('【督办提示】县财政局：3项重点工作请于3月26日前反馈');
    const text = mail.parsed.text ?? '';
    for (const n of [1, 2, 3]) {
      expect(text).toContain(`〔${n}〕重点工作第${n}项：推进县域财政收入稳定增长`);
      expect(text).toContain(`https://duban.example.gov.cn/feedback/${n}?sig=abc${n}`);
    }
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    expect(html).toContain('href="https://duban.example.gov.cn/feedback/2?sig=abc2"');
  });

  it('fails with a clear message when the SMTP server is not configured or refuses the login', async () => {
    await expect(
      sendThroughChannel({ kind: 'email', to: 'a@b.cn' }, three(), { timeoutMs: 1000 }),
    ).rejects.toThrow(/未配置邮件服务器（DUBAN_SMTP_URL）/);
    const wrong = { ...config, smtpUrl: smtp.url.replace('pa55word', 'wrong') };
    await expect(sendThroughChannel({ kind: 'email', to: 'a@b.cn' }, three(), wrong)).rejects.toThrow(
      /邮件发送失败/,
    );
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('WeCom group robot', () => {
  it('posts a markdown message the robot accepts (errcode 0)', async () => {
    const receipt = await sendThroughChannel(
      { kind: 'wecom', url: rx.url('/cgi-bin/webhook/send?key=K1') },
      three(),
      config,
    );
    expect(receipt).toBe('已发送');
    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0]!;
    expect(req.query.get('key')).toBe('K1');
    const body = req.body as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('【督办提示】县财政局：3项重点工作请于3月26日前反馈');
    expect(body.markdown.content).toContain('[填写反馈](https://duban.example.gov.cn/feedback/3?sig=abc3)');
  });

  it('treats errcode ≠ 0, HTTP errors and a silent robot as failures', async () => {
    const wecom = { kind: 'wecom' as const, url: rx.url('/cgi-bin/webhook/send?key=K1') };
    rx.mode = 'errcode';
    await expect(sendThroughChannel(wecom, three(), config)).rejects.toThrow(
      /企业微信机器人拒绝：errcode 93000 机器人地址无效或已被删除$/,
    );
    rx.mode = 'http500';
    await expect(sendThroughChannel(wecom, three(), config)).rejects.toThrow(/企业微信机器人返回 HTTP 500/);
    rx.mode = 'hang';
    await expect(sendThroughChannel(wecom, three(), { ...config, timeoutMs: 300 })).rejects.toThrow(
      /请求超时/,
    );
  });

  it('sends a long list as numbered parts, each within the robot limit of 4096 bytes', async () => {
    const many = composePrompt(
      '县发改局',
      Array.from({ length: 40 }, (_, i) => item(i + 1)),
    );
    expect(
      await sendThroughChannel({ kind: 'wecom', url: rx.url('/cgi-bin/webhook/send?key=K2') }, many, config),
    ).toMatch(/^已分\d+条发送$/);
    expect(rx.requests.length).toBeGreaterThan(1);
    const contents = rx.requests.map((r) => (r.body as { markdown: { content: string } }).markdown.content);
    for (const c of contents) expect(Buffer.byteLength(c)).toBeLessThanOrEqual(4096);
    for (let k = 1; k <= 40; k++) expect(contents.join('\n')).toContain(`feedback/${k}?sig=abc${k})`);
  });

  it('shows only the host in a channel label, never the robot key', () => {
    expect(
      channelLabel({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET' }),
    ).toBe('企业微信 qyapi.weixin.qq.com');
  });
});

describe('DingTalk robot', () => {
  it('signs each request (timestamp + HMAC-SHA256 of "timestamp\\nsecret") and the receiver verifies it', async () => {
    rx.dingtalkSecrets.set('/robot/send', 'SECabc123');
    await sendThroughChannel(
      { kind: 'dingtalk', url: rx.url('/robot/send?access_token=T1'), secret: 'SECabc123' },
      three(),
      config,
    );
    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0]!;
    expect(req.signatureOk).toBe(true);
    expect(req.query.get('access_token')).toBe('T1');
    const body = req.body as { msgtype: string; markdown: { title: string; text: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe('【督办提示】县财政局：3项重点工作请于3月26日前反馈');
    expect(body.markdown.text).toContain('〔2〕重点工作第2项');
  });

  it('is refused by the robot when signed with the wrong secret', async () => {
    rx.dingtalkSecrets.set('/robot/send', 'SECabc123');
    await expect(
      sendThroughChannel(
        { kind: 'dingtalk', url: rx.url('/robot/send?access_token=T1'), secret: 'SECwrong' },
        three(),
        config,
      ),
    ).rejects.toThrow(/钉钉机器人拒绝：errcode 310000 签名不符/);
    expect(rx.requests[0]!.signatureOk).toBe(false);
  });
});

describe('SMS gateway webhook', () => {
  it('posts { phone, text, unit, items } and accepts any 2xx', async () => {
    await sendThroughChannel({ kind: 'webhook', url: rx.url('/sms'), phone: '13800000000' }, three(), config);
    const body = rx.requests[0]!.body as {
      phone: string;
      text: string;
      unit: string;
      items: { no: string; feedbackUrl: string }[];
    };
    expect(body.phone).toBe('13800000000');
    expect(body.unit).toBe('县财政局');
    expect(body.text).toMatch(
      /^【督办提示】县财政局：3项重点工作请于3月26日前反馈：1\.〔1〕重点工作第1项：推进县域财政收入稳定增长 https:\/\/duban/,
    );
    for (const k of [1, 2, 3])
      expect(body.text).toContain(`https://duban.example.gov.cn/feedback/${k}?sig=abc${k}`);
    expect(body.items.map((i) => i.no)).toEqual(['1', '2', '3']);
    expect(body.items[0]!.feedbackUrl).toBe('https://duban.example.gov.cn/feedback/1?sig=abc1');
    rx.mode = 'http500';
    await expect(
      sendThroughChannel({ kind: 'webhook', url: rx.url('/sms') }, three(), config),
    ).rejects.toThrow(/^短信网关返回 HTTP 500：对方服务故障$/);
  });

  it('reports a gateway that is down as a connection failure', async () => {
    await rx.down();
    try {
      await expect(
        sendThroughChannel({ kind: 'webhook', url: rx.url('/sms') }, three(), config),
      ).rejects.toThrow(/^短信网关无法连接：连接被拒绝$/);
    } finally {
      await rx.up();
    }
  });
});

describe('where a channel may post (R17: SSRF)', () => {
  it('a robot or gateway address on a link-local host (the cloud’s instance metadata) is refused before any request', async () => {
    for (const url of ['https://169.254.169.254/latest/meta-data', 'https://[fe80::1]/send'])
      await expect(sendThroughChannel({ kind: 'webhook', url }, three(), config)).rejects.toThrow(
        /短信网关地址已拒绝：地址指向链路本地地址/,
      );
  });

  it('a receiver on loopback that is not on the test-only allow-list is refused: no request arrives', async () => {
    const other = await startReceiver();
    try {
      await expect(
        sendThroughChannel({ kind: 'webhook', url: other.url('/sms') }, three(), config),
      ).rejects.toThrow(/只允许 https 地址/);
      await expect(
        sendThroughChannel({ kind: 'webhook', url: other.url('/sms') }, three(), {
          ...config,
          network: { httpHosts: [`127.0.0.1:${other.port}`] },
        }),
      ).rejects.toThrow(/地址指向本机回环地址，已拒绝/);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('a redirect is not followed: the send fails with the status and the redirect target gets nothing', async () => {
    const { createServer } = await import('node:http');
    const redirector = createServer((_req, res) => res.writeHead(302, { location: rx.url('/sms') }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const port = (redirector.address() as { port: number }).port;
      const before = rx.requests.length;
      await expect(
        sendThroughChannel({ kind: 'webhook', url: `http://127.0.0.1:${port}/send` }, three(), {
          ...config,
          network: loopbackNetwork(rx, { port }),
        }),
      ).rejects.toThrow(/重定向 HTTP 302，未跟随/);
      expect(rx.requests.length).toBe(before);
    } finally {
      await new Promise<void>((r) => redirector.close(() => r()));
    }
  });

  it('an internal page’s answer never reaches the error: only the status and a fixed Chinese message', async () => {
    const { createServer } = await import('node:http');
    const page = createServer((_req, res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end('root:x:0:0:secret internal page'),
    );
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    try {
      const port = (page.address() as { port: number }).port;
      const network = loopbackNetwork({ port });
      const err = await sendThroughChannel({ kind: 'webhook', url: `http://127.0.0.1:${port}/x` }, three(), {
        ...config,
        network,
      }).catch((e: Error) => e.message);
      expect(err).toBe('短信网关返回 HTTP 500：对方服务故障');
      const robot = await sendThroughChannel({ kind: 'wecom', url: `http://127.0.0.1:${port}/x` }, three(), {
        ...config,
        network,
      }).catch((e: Error) => e.message);
      expect(robot).toBe('企业微信机器人返回 HTTP 500：对方服务故障');
    } finally {
      await new Promise<void>((r) => page.close(() => r()));
    }
  });
});
