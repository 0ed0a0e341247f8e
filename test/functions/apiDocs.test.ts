// The API as documented is the API as registered: both READMEs' tables are read and compared with
// functions/registry.ts in both directions (routes, methods, query parameters), and a query
// parameter a route does not read is a 400 naming it — never silently ignored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type HttpFunction } from '../../functions/registry.js';
import { ChannelSchema, UnitContactRequestSchema } from '../../shared/api.js';
import { KEY, startApi, type TestApi } from './support/api.js';

const root = join(import.meta.dirname, '..', '..');
const httpFns = FUNCTIONS.filter((f): f is HttpFunction => f.kind === 'http');

/** `METHOD route` → its query parameters, sorted. */
type Api = Map<string, string[]>;

function registryApi(): Api {
  const out: Api = new Map();
  for (const f of httpFns)
    for (const m of f.methods)
      if (m !== 'OPTIONS') out.set(`${m} ${f.route}`, [...(f.query[m] ?? [])].sort());
  return out;
}

const queryNames = (text: string) =>
  [...new Set([...text.matchAll(/[?&]([A-Za-z]+)=/g)].map((m) => m[1]!))].sort();

function tableRows(markdown: string, heading: string, firstHeader: string): string[][] {
  const from = markdown.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(from).split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${firstHeader}`));
  expect(start, firstHeader).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** functions/README.md: `| GET / PUT | `/route` | query or body | answer |`; a query belongs to GET. */
function functionsReadmeApi(): Api {
  const md = readFileSync(join(root, 'functions', 'README.md'), 'utf8');
  const out: Api = new Map();
  for (const [methods, route, query] of tableRows(md, '## Endpoints', 'method')) {
    const path = /^`\/(.+)`$/.exec(route!)?.[1];
    expect(path, route).toBeDefined();
    for (const m of methods!.split('/').map((x) => x.trim())) {
      const key = `${m} ${path}`;
      expect(out.has(key), `${key} listed twice`).toBe(false);
      out.set(key, m === 'GET' ? queryNames(query!) : []);
    }
  }
  return out;
}

/** README.md: `` `GET/PUT units/{unit}`, `GET units?asOf=` `` in the first column. */
function mainReadmeApi(): Api {
  const md = readFileSync(join(root, 'README.md'), 'utf8');
  const out: Api = new Map();
  for (const [first] of tableRows(md, '## HTTP API', 'method, route and query')) {
    const spans = [...first!.matchAll(/`([A-Z/]+) ([^`?]+)(\?[^`]*)?`/g)];
    expect(spans.length, first).toBeGreaterThan(0);
    for (const [, methods, path, query] of spans) {
      for (const m of methods!.split('/')) {
        const key = `${m} ${path}`;
        expect(out.has(key), `${key} listed twice`).toBe(false);
        out.set(key, m === 'GET' ? queryNames(query ?? '') : []);
      }
    }
  }
  return out;
}

function compare(documented: Api, registered: Api) {
  expect([...documented.keys()].sort(), 'routes and methods').toEqual([...registered.keys()].sort());
  for (const [key, query] of registered)
    expect(documented.get(key), `query parameters of ${key}`).toEqual(query);
}

describe('the API documentation against the registry', () => {
  it('functions/README.md lists every route, method and query parameter that exists, and only those', () => {
    compare(functionsReadmeApi(), registryApi());
  });

  it('README.md’s table lists every route, method and query parameter that exists, and only those', () => {
    compare(mainReadmeApi(), registryApi());
  });

  it('R15: the reminders of a day are asked with ?on= (the parameter the handler reads), not ?date=', () => {
    expect(registryApi().get('GET reminders')).toEqual(['ledgerId', 'on']);
    expect(mainReadmeApi().get('GET reminders')).toEqual(['ledgerId', 'on']);
  });
});

describe('unknown query parameters over real HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi('apidocs');
  });
  afterAll(() => api.close());

  it('R15: GET /reminders?date= is a 400 naming date and the parameters it takes; ?on= answers the day', async () => {
    const wrong = await api.call('GET', '/reminders?date=2026-03-17');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('unknown_query_parameter');
    expect(wrong.body.error.message).toBe('不支持的查询参数：date（GET 本接口可用的查询参数：on、ledgerId）');
    const right = await api.call('GET', '/reminders?on=2026-03-17');
    expect(right.status).toBe(200);
    expect(right.body.on).toBe('2026-03-17');
  });

  it('R8: a route without query parameters says so; several unknown ones are all named; ?code= is never taken for an unknown parameter (the key travels in the header: 401 with the reason)', async () => {
    const settings = await api.call('GET', '/settings?verbose=1&lang=zh');
    expect(settings.status).toBe(400);
    expect(settings.body.error.message).toBe('不支持的查询参数：verbose、lang（GET 本接口不接受查询参数）');
    const history = await api.call('GET', '/history?task=T1&unit=县财政局');
    expect(history.status).toBe(400);
    expect(history.body.error.message).toContain('不支持的查询参数：task');
    expect(history.body.error.message).toContain('taskId');
    const byCode = await api.call('GET', `/settings?code=${encodeURIComponent(KEY)}`, { key: null });
    expect(byCode.status).toBe(401);
    expect(byCode.body.error.code).not.toBe('unknown_query_parameter');
    expect(byCode.body.error.message).toContain('?code=');
  });

  it('R19: the unit’s page opens from a link WeChat re-shared with its own parameters (not refused as unknown)', async () => {
    const res = await api.call('GET', '/feedback/not-a-token?from=singlemessage&isappinstalled=0', {
      key: null,
    });
    expect(res.body?.error?.code).not.toBe('unknown_query_parameter');
    expect(res.status).toBe(401);
  });

  it('without the function key the answer is 401, whatever the query says (the key is checked first)', async () => {
    const res = await api.call('GET', '/reminders?date=2026-03-17', { key: null });
    expect(res.status).toBe(401);
  });

  it('every documented query parameter of every GET route is accepted (none refused as unknown)', async () => {
    for (const [key, params] of functionsReadmeApi()) {
      if (!key.startsWith('GET ') || params.length === 0) continue;
      const path = '/' + key.slice(4).replace(/\{[^}]+\}/g, 'x');
      const query = params.map((p) => `${p}=x`).join('&');
      const res = await api.call('GET', `${path}?${query}`);
      expect(res.body?.error?.code, `${key}?${query}`).not.toBe('unknown_query_parameter');
    }
  });
});

describe('the channels as documented in functions/notify/README.md', () => {
  const md = readFileSync(join(root, 'functions', 'notify', 'README.md'), 'utf8');
  const section = md.slice(md.indexOf('### Setting a unit'));

  it('R17: every kind the API accepts has a row with its fields and an example that the API accepts', () => {
    const rows = tableRows(section, '### Setting a unit', '`kind`');
    const kinds = rows.map(([kind]) => /^`(\w+)`$/.exec(kind!)?.[1]);
    expect(kinds).toEqual(ChannelSchema.options.map((o) => o.shape.kind.value));
    for (const [kind, , example] of rows) {
      const channel = JSON.parse(/^`(.*)`$/.exec(example!)![1]!) as { kind: string };
      expect(`\`${channel.kind}\``).toBe(kind);
      expect(ChannelSchema.safeParse(channel).success, example).toBe(true);
    }
  });

  it('R17: the curl examples send bodies the API accepts, to a route that exists, with the key', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    const bodies = [...block.matchAll(/-d '([^']+)'/g)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(bodies.length).toBe(2);
    for (const body of bodies) expect(UnitContactRequestSchema.safeParse(body).success).toBe(true);
    expect(block).toContain('/api/units/$UNIT');
    expect(registryApi().has('PUT units/{unit}')).toBe(true);
    expect(block.match(/x-functions-key: \$KEY/g)).toHaveLength(3);
  });
});
