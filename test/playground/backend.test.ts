// The playground's backend and host, short of the browser: it runs only on local storage under a
// playground prefix (a reset there must never reach an office's real history, R8), its clock is the
// visitor's (R22), its ribbon is manifest.xml's, and its in-browser Excel takes typing as Excel does.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TableServiceClient } from '@azure/data-tables';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { startDevHost } from '../../functions/devhost.js';
import { RIBBON_COMMANDS } from '../../addin/src/commands/ribbon.js';
import { PANE_VIEWS } from '../../addin/src/taskpane/app.js';
import { ribbonFromManifest, wirePage } from '../../playground/build.js';
import { SimWorkbook } from '../../playground/simulatedExcel.js';
import {
  assertPlaygroundStorage,
  startPlaygroundBackend,
  type PlaygroundBackend,
} from '../../playground/server/backend.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let backend: PlaygroundBackend | undefined;

afterAll(async () => {
  await backend?.close();
});

describe('R8: the playground never touches an office’s real data', () => {
  it('refuses Azure storage, look-alike hosts and a prefix that is not a playground one', () => {
    const azure =
      'DefaultEndpointsProtocol=https;AccountName=countyduban;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn';
    expect(() => assertPlaygroundStorage(azure, 'playground')).toThrow('练习场只能使用本机存储（Azurite）');
    for (const host of ['127.0.0.1.duban.example', 'localhost.duban.example', '10.0.0.5'])
      expect(() =>
        assertPlaygroundStorage(
          `AccountName=x;AccountKey=a2V5;TableEndpoint=http://${host}/x;`,
          'playground',
        ),
      ).toThrow('本机存储');
    expect(() => assertPlaygroundStorage('UseDevelopmentStorage=true', 'duban')).toThrow(
      '练习场的表名前缀须以 playground 开头（现为 duban）',
    );
    // Look-alikes a regex over the whole string would take for local: the Table endpoint is what counts.
    for (const bypass of [
      'AccountName=x;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/;TableEndpoint=https://prod.table.core.windows.net/',
      'AccountName=x;AccountKey=a2V5;TableEndpoint=https://localhost:443@prod.table.core.windows.net/',
      'AccountName=x;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn;X=UseDevelopmentStorage=true',
      'UseDevelopmentStorage=true;TableEndpoint=https://prod.table.core.windows.net/',
    ])
      expect(() => assertPlaygroundStorage(bypass, 'playground'), bypass).toThrow('本机存储');
    expect(() => assertPlaygroundStorage('UseDevelopmentStorage=true', 'playground')).not.toThrow();
    expect(() =>
      assertPlaygroundStorage(
        'AccountName=x;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/x;',
        'playgroundA',
      ),
    ).not.toThrow();
  });

  it('the office’s backend (started without the playground flag) has no playground: the page gets 404 and stops', async () => {
    const office = await startDevHost({
      port: 0,
      timers: false,
      log: () => undefined,
      env: {
        DUBAN_STORAGE: inject('azuriteConnectionString'),
        DUBAN_TABLE_PREFIX: 'office',
        DUBAN_FUNCTION_KEY: 'office-key-0123456789',
      },
    });
    try {
      for (const path of ['playground', 'playground/reset', 'playground/clock']) {
        const res = await fetch(`${office.url}${path}`, {
          method: path === 'playground' ? 'GET' : 'POST',
          headers: { 'x-functions-key': 'office-key-0123456789', 'content-type': 'application/json' },
          body: path === 'playground' ? undefined : '{}',
        });
        expect(res.status).toBe(404);
      }
    } finally {
      await office.close();
    }
  });
});

describe('the playground backend: key, clock and reset', () => {
  it('asks for its key, takes the visitor’s day (R22), refuses a bad date in Chinese, and a reset moves to fresh tables whose old ones are dropped (R8)', async () => {
    const storage = inject('azuriteConnectionString');
    backend = await startPlaygroundBackend({
      storage,
      publicUrl: 'https://localhost:3000/playground',
      today: '2026-03-02',
    });
    const call = (path: string, body?: unknown, key = backend!.key) =>
      fetch(`${backend!.url}/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-functions-key': key, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await call('playground', undefined, 'wrong')).status).toBe(401);
    const state = (await (await call('playground')).json()) as {
      playground: boolean;
      today: string;
      prefix: string;
    };
    expect(state).toMatchObject({ playground: true, today: '2026-03-02' });
    expect(state.prefix.startsWith('playground')).toBe(true);

    const moved = await call('playground/clock', { today: '2026-06-30' });
    expect(((await moved.json()) as { today: string }).today).toBe('2026-06-30');
    // The product's own handlers run on the visitor's day: 今日提示 without a date answers for it.
    const reminders = (await (await call('reminders')).json()) as { on: string };
    expect(reminders.on).toBe('2026-06-30');
    const bad = await call('playground/clock', { today: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fa5]/);

    // Something written before the reset: the unit's contacts.
    const put = await fetch(`${backend.url}/units/${encodeURIComponent('县教育局')}`, {
      method: 'PUT',
      headers: { 'x-functions-key': backend.key, 'content-type': 'application/json' },
      body: JSON.stringify({ channels: [] }),
    });
    expect(put.status).toBe(200);
    const reset = (await (await call('playground/reset', {})).json()) as { today: string; prefix: string };
    expect(reset.today).toBe('2026-03-02');
    expect(reset.prefix).not.toBe(state.prefix);
    const after = await fetch(`${backend.url}/units/${encodeURIComponent('县教育局')}`, {
      headers: { 'x-functions-key': backend.key },
    });
    expect(after.status).toBe(404);
    const service = TableServiceClient.fromConnectionString(storage, { allowInsecureConnection: true });
    await expect
      .poll(
        async () => {
          const names: string[] = [];
          for await (const t of service.listTables())
            if (t.name?.startsWith(state.prefix)) names.push(t.name);
          return names;
        },
        { timeout: 10_000 },
      )
      .toEqual([]);
  });
});

describe('the playground’s Excel: the ribbon of manifest.xml, the add-in’s pages, typing as Excel takes it', () => {
  it('R5, R9: every ribbon command of manifest.xml is shown, each ExecuteFunction has its registered command, each ShowTaskpane a pane view', () => {
    const ribbon = ribbonFromManifest(readFileSync(join(root, 'manifest.xml'), 'utf8'));
    expect(ribbon.tab).toBe('督办');
    const buttons = ribbon.groups.flatMap((g) => g.buttons);
    const functions = buttons.flatMap((b) => (b.functionName ? [b.functionName] : []));
    expect(functions.sort()).toEqual(Object.keys(RIBBON_COMMANDS).sort());
    for (const b of buttons.filter((x) => x.view !== undefined))
      expect(['', ...PANE_VIEWS]).toContain(b.view);
    expect(buttons.every((b) => b.label && b.icon.startsWith('/assets/'))).toBe(true);
  });

  it('the add-in’s pages are wired to the in-browser host instead of office.js, and a page without office.js is refused', () => {
    const page = wirePage(readFileSync(join(root, 'addin/src/taskpane/taskpane.html'), 'utf8'));
    expect(page).not.toContain('appsforoffice.microsoft.com');
    expect(page).toContain('<script src="/playground/officeHost.js"></script>');
    expect(page).toContain('<script src="taskpane.js"></script>');
    expect(() => wirePage('<html><head></head></html>')).toThrow('office.js');
  });

  it('R1: a visitor’s typing is taken as Excel takes it, and refused where Excel refuses it', () => {
    const wb = new SimWorkbook();
    wb.addSheet('台账', [
      ['友谊县台账', '', ''],
      ['序号', '完成时限', '星级'],
    ]);
    wb.merge('台账', 'A1:C1');
    wb.typeInto('台账', 'B3', '2026-12-31');
    expect(wb.cell('台账', 'B3')).toMatchObject({ value: 46387, numberFormat: 'yyyy-mm-dd' });
    wb.typeInto('台账', 'A3', '12');
    expect(wb.cell('台账', 'A3').value).toBe(12);
    wb.typeInto('台账', 'C3', '=1+2');
    expect(wb.cell('台账', 'C3')).toMatchObject({ value: 3, formula: '=1+2' });
    wb.typeInto('台账', 'B4', '2026-02-30');
    expect(wb.cell('台账', 'B4').value).toBe('2026-02-30');
    expect(() => wb.typeInto('台账', 'B1', '标题')).toThrow('不能更改合并单元格的一部分');
    wb.sheet({ name: '台账' }).protected = true;
    expect(() => wb.typeInto('台账', 'A5', '1')).toThrow('工作表受保护');
    expect(wb.cell('台账', 'A5').value).toBe('');
  });
});
