// The backend client on its own: what the clerk is told when the backend misbehaves on the wire.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, DubanApi } from '../../addin/src/api/client.js';
import { runRibbonCommand } from '../../addin/src/commands/ribbon.js';
import { failure } from '../../addin/src/commands/actions.js';

let silent: Server;
let url: string;
beforeAll(async () => {
  // Accepts every connection and never answers.
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
});

describe('the backend client', () => {
  it('a backend that accepts the connection and never answers ends in “unreachable” with a retry, not a hang', async () => {
    const api = new DubanApi({ url, key: 'k' }, undefined, 300);
    const err = await api.units('2026-03-20').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ kind: 'unreachable' });
    expect((err as Error).message).toContain('秒内没有应答');
  });
});

describe('a ribbon command', () => {
  it('calls event.completed() even when its environment cannot be built (localStorage blocked)', async () => {
    let completed = 0;
    const outcome = await runRibbonCommand(
      'syncLedger',
      () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
      { completed: () => void completed++ },
    );
    expect(completed).toBe(1);
    expect(outcome.level).toBe('error');
  });
});

describe('an Excel error', () => {
  it('is said in Chinese first, Excel’s own (possibly English) message after it', () => {
    const err = Object.assign(new Error('You cannot perform the requested operation.'), {
      code: 'InvalidOperationInCellEditMode',
    });
    expect(failure(err).text).toBe(
      '操作未完成，工作簿未被修改：单元格正在编辑，请先按 Enter 或 Esc 结束编辑（You cannot perform the requested operation.）',
    );
  });
});

describe('送达情况 of a long day (R17)', () => {
  /** A fake GET /api/outbox on loopback: `total` entries, the 3rd of every 100 failed, paged by limit. */
  async function outboxServer(total: number, opts: { stuck?: boolean } = {}) {
    const asked: string[] = [];
    const all = Array.from({ length: total }, (_, n) => ({
      key: `L|T${String(n).padStart(5, '0')}|2026-Q1|quarterly`,
      sendOn: '2026-03-17',
      ledgerId: 'L',
      taskId: `T${n}`,
      taskNo: String(n + 1),
      unit: `县第${n % 7}局`,
      period: '2026-Q1',
      status: n % 100 === 3 ? 'failed' : 'sent',
      attempts: 1,
      lastError: n % 100 === 3 ? '企业微信机器人返回 93000' : null,
      sentAt: null,
      channels: [],
    }));
    const server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      asked.push(q.toString());
      const rows = all.filter((e) => !q.get('status') || e.status === q.get('status'));
      const from = Number(q.get('continuation') ?? 0);
      const limit = Number(q.get('limit'));
      const next = from + limit < rows.length ? String(opts.stuck ? from : from + limit) : null;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: rows.slice(from, from + limit), continuation: next }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const close = () => new Promise((r) => server.close(r));
    return { asked, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, close };
  }

  it('R17: every page of the day is read; past the cap, every failed entry is still read', async () => {
    const small = await outboxServer(2_500);
    try {
      const day = await new DubanApi({ url: small.url, key: 'k' }).outbox('2026-03-17');
      expect(day.more).toBe(false);
      expect(day.items).toHaveLength(2_500);
      expect(small.asked).toHaveLength(3);
    } finally {
      await small.close();
    }
    const big = await outboxServer(12_000);
    try {
      const day = await new DubanApi({ url: big.url, key: 'k' }).outbox('2026-03-17', 5_000);
      expect(day.more).toBe(true);
      // The first 5,000, and the 120 failed of all 12,000 (70 of them past the first 5,000).
      expect(day.items.filter((i) => i.status === 'failed')).toHaveLength(120);
      expect(day.items).toHaveLength(5_000 + 70);
      expect(new Set(day.items.map((i) => i.key)).size).toBe(day.items.length);
    } finally {
      await big.close();
    }
  });

  it('R17: a continuation that does not move on ends the reading instead of asking forever', async () => {
    const stuck = await outboxServer(3_000, { stuck: true });
    try {
      const day = await new DubanApi({ url: stuck.url, key: 'k' }).outbox('2026-03-17');
      expect(stuck.asked.length).toBeLessThanOrEqual(2 * 4);
      // The first page once (not twice), said to be partial, and still every failed entry of the day.
      expect(day.more).toBe(true);
      expect(day.items.filter((i) => i.status === 'failed')).toHaveLength(30);
      expect(day.items.length).toBe(1_000 + 20);
      expect(new Set(day.items.map((i) => i.key)).size).toBe(day.items.length);
    } finally {
      await stuck.close();
    }
  });
});
