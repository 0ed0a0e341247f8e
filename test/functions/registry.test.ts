// THE table of functions feeds both hosts: `func` (functions/index.ts) and the dev host (real HTTP).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import azf from '@azure/functions';
import { FUNCTIONS, type HttpFunction } from '../../functions/registry.js';
import { startDevHost } from '../../functions/devhost.js';
import { startApi, type TestApi } from './support/api.js';
import { subjectHistory } from '../../functions/storage/index.js';
import { dailySupervision } from '../../functions/timers/dailySupervision.js';

const httpFns = FUNCTIONS.filter((f): f is HttpFunction => f.kind === 'http');

describe('the registry', () => {
  it('has no route twice and no function name twice', () => {
    const routes = httpFns.map((f) => f.route.toLowerCase());
    expect(new Set(routes).size).toBe(routes.length);
    const names = FUNCTIONS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('R22: the daily supervision timer runs at 00:00 UTC = 08:00 Beijing', () => {
    const daily = FUNCTIONS.find((f) => f.name === 'dailySupervision');
    expect(daily).toMatchObject({ kind: 'timer', schedule: '0 0 0 * * *' });
  });

  it('only the signed feedback link goes without the function key', () => {
    expect(httpFns.filter((f) => f.auth === 'link').map((f) => f.route)).toEqual(['feedback/{token}']);
  });

  it('functions/index.ts registers every entry with the Azure Functions runtime', async () => {
    const http = vi.spyOn(azf.app, 'http').mockImplementation(() => {});
    const timer = vi.spyOn(azf.app, 'timer').mockImplementation(() => {});
    await import('../../functions/index.js');
    expect(http.mock.calls.map(([name, o]) => [name, o.route, o.methods])).toEqual(
      httpFns.map((f) => [f.name, f.route, f.methods]),
    );
    expect(timer.mock.calls.map(([name, o]) => [name, o.schedule])).toEqual(
      FUNCTIONS.filter((f) => f.kind === 'timer').map((f) => [f.name, f.kind === 'timer' ? f.schedule : '']),
    );
    http.mockRestore();
    timer.mockRestore();
  });
});

describe('the dev host over real HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    // The clock pinned (R22): the daily timer fired below runs for this morning, whatever day the test runs.
    api = await startApi('host', { now: () => new Date('2026-03-17T00:00:05Z') });
  });
  afterAll(() => api.close());

  it('serves every registered route under /api (each answers through its handler: 401 without a key)', async () => {
    for (const f of httpFns) {
      const path = '/' + f.route.replace(/\{[^}]+\}/g, 'x');
      const method = f.methods.find((m) => m !== 'OPTIONS') as string;
      const res = await api.call(method, path, { key: null, body: method === 'GET' ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code, `${method} ${path}`).toMatch(/key|link/);
    }
  });

  it('serves on http://localhost:<port>/api', () => {
    expect(api.host.url).toBe(`http://localhost:${api.host.port}/api`);
  });

  it('R22: fires a timer at its scheduled time (croner, UTC) with a Timer and an InvocationContext, once', async () => {
    // The clock pinned two seconds before 00:00 UTC (08:00 Beijing); croner's timeouts advance with it.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(new Date('2026-03-16T23:59:58Z'));
    const fired: { isPastDue: boolean; name: string; at: string }[] = [];
    const host = await startDevHost({
      port: 0,
      log: () => {},
      functions: [
        {
          name: 'atMidnight',
          kind: 'timer',
          schedule: '0 0 0 * * *',
          handler: (timer, ctx) =>
            void fired.push({
              isPastDue: timer.isPastDue,
              name: ctx.functionName,
              at: new Date().toISOString(),
            }),
        },
      ],
    });
    try {
      await vi.advanceTimersByTimeAsync(1_000);
      expect(fired).toEqual([]);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(fired).toEqual([{ isPastDue: false, name: 'atMidnight', at: '2026-03-17T00:00:00.000Z' }]);
    } finally {
      await host.close();
      vi.useRealTimers();
    }
  });

  it('runs the daily supervision timer on demand (as its schedule would) against the configured storage', async () => {
    expect(await subjectHistory(api.storage, { office: true })).toEqual([]);
    await api.host.fireTimer('dailySupervision');
    const runs = (await subjectHistory(api.storage, { office: true })).filter((h) => h.type === 'daily-run');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.data).toMatchObject({ ledgers: 0, queued: 0 });
    const office = await api.call('GET', '/history?office=true');
    expect(office.body.events.map((e: { type: string }) => e.type)).toEqual(['daily-run']);
  });
});

describe('the daily supervision timer handler', () => {
  it('R22: runs for today in Beijing and logs a missed schedule (isPastDue)', async () => {
    const api = await startApi('pastdue', { now: () => new Date('2026-03-16T23:30:00Z') });
    try {
      const logs: string[] = [];
      const ctx = new azf.InvocationContext({
        logHandler: (_level, ...args) => void logs.push(args.map(String).join(' ')),
      });
      await dailySupervision(
        {
          isPastDue: true,
          schedule: { adjustForDST: false },
          scheduleStatus: { last: '', next: '', lastUpdated: '' },
        },
        ctx,
      );
      expect(logs.join('\n')).toContain('isPastDue');
      // 23:30 UTC on the 16th is 07:30 on the 17th in Beijing.
      expect(logs.join('\n')).toContain('每日督办 2026-03-17');
    } finally {
      await api.close();
    }
  });
});
