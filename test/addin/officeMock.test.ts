// The adapter's writes through office-addin-mock (Microsoft's Office.js mock): the order of the
// operations Office receives — text format before the value, suspensions before the writes.
import { describe, expect, it } from 'vitest';
import { OfficeMockObject } from 'office-addin-mock';
import { readSheet, selectCell, writePlan } from '../../addin/src/excel/workbook.js';

interface Recorded {
  address: string;
  what: string;
  value: unknown;
}

function mockWorkbook() {
  const log: Recorded[] = [];
  const range = (address: string) => ({
    set values(v: unknown) {
      log.push({ address, what: 'values', value: v });
    },
    set numberFormat(v: unknown) {
      log.push({ address, what: 'numberFormat', value: v });
    },
    format: {
      fill: {
        set color(c: unknown) {
          log.push({ address, what: 'fill', value: c });
        },
        clear: () => log.push({ address, what: 'fill', value: null }),
      },
    },
    select: () => log.push({ address, what: 'select', value: true }),
  });
  const data = {
    context: {
      workbook: {
        application: {
          suspendApiCalculationUntilNextSync: () =>
            log.push({ address: '', what: 'suspendCalculation', value: true }),
          suspendScreenUpdatingUntilNextSync: () =>
            log.push({ address: '', what: 'suspendScreen', value: true }),
        },
        worksheets: {
          getItem: (name: string) => ({
            getRange: (address: string) => range(`${name}!${address}`),
            activate: () => log.push({ address: name, what: 'activate', value: true }),
          }),
        },
      },
      sync: async () => {
        log.push({ address: '', what: 'sync', value: true });
      },
    },
    run: async function (cb: (context: unknown) => Promise<unknown>) {
      return cb(this.context);
    },
  };
  const excel = new OfficeMockObject(data) as unknown as {
    context: Excel.RequestContext;
    run<T>(cb: (c: Excel.RequestContext) => Promise<T>): Promise<T>;
  };
  return { excel, log };
}

describe('the adapter through office-addin-mock', () => {
  it('formats formula-looking text as text before writing it, and writes runs of a column as one range', async () => {
    const { excel, log } = mockWorkbook();
    await writePlan(excel.context, () => true, '台账', {
      cells: [
        { row: 5, column: 12, value: 'DB-2026-0001' },
        { row: 6, column: 12, value: '=cmd|calc' },
        { row: 7, column: 12, value: 'DB-2026-0003' },
      ],
      fills: [{ row: 20, column: 4, columnEnd: 4, color: '#FFC7CE' }],
    });
    expect(log.map((l) => `${l.what} ${l.address}`)).toEqual([
      'suspendScreen ',
      'numberFormat 台账!M6',
      'values 台账!M5:M7',
      'fill 台账!E20',
      'sync ',
    ]);
    expect(log.find((l) => l.what === 'numberFormat')?.value).toEqual([['@']]);
    expect(log.find((l) => l.what === 'values')?.value).toEqual([
      ['DB-2026-0001'],
      ['=cmd|calc'],
      ['DB-2026-0003'],
    ]);
  });

  it('skips suspensions the host does not support (ExcelApi 1.8 has no screen-updating suspension), and never suspends calculation', async () => {
    const { excel, log } = mockWorkbook();
    await writePlan(excel.context, (_n, v) => v === '1.8', '台账', {
      cells: [{ row: 2, column: 0, value: 'x' }],
      fills: [],
    });
    expect(log.map((l) => l.what)).toEqual(['values', 'sync']);
  });

  it('jump-to-cell activates the ledger sheet and selects the cell, in one sync', async () => {
    const { excel, log } = mockWorkbook();
    await selectCell(excel, '重点工作台账', 21, 7);
    expect(log.map((l) => `${l.what} ${l.address}`)).toEqual([
      'activate 重点工作台账',
      'select 重点工作台账!H21',
      'sync ',
    ]);
  });
});

/**
 * The read through office-addin-mock: properties can only be read after load + sync (the mock answers
 * an error text otherwise, which the adapter would then parse as garbage, so the assertions catch it).
 */
function mockReader(values: unknown[][], mergedAddress: string | null) {
  const calls: string[] = [];
  let syncs = 0;
  const merged = { address: mergedAddress ?? '' };
  const data = {
    context: {
      workbook: {
        worksheets: {
          active: {
            name: '台账',
            protection: { protected: false },
            used: {
              values,
              rowIndex: 0,
              columnIndex: 0,
              merged,
              getMergedAreasOrNullObject: function (this: { merged: unknown }) {
                calls.push('getMergedAreasOrNullObject');
                return this.merged;
              },
            },
            getUsedRangeOrNullObject: function (this: { used: unknown }) {
              return this.used;
            },
          },
          getActiveWorksheet: function (this: { active: unknown }) {
            return this.active;
          },
        },
        selected: { address: '台账!A3:L3' },
        getSelectedRanges: function (this: { selected: unknown }) {
          return this.selected;
        },
        // The record of painted cells (a workbook setting), absent in this workbook.
        settings: {
          item: { value: '' },
          getItemOrNullObject: function (this: { item: unknown }) {
            return this.item;
          },
        },
      },
    },
  };
  const mock = new OfficeMockObject(data) as unknown as {
    context: { workbook: unknown; sync(): Promise<void> };
  };
  // isNullObject comes with every sync in Office.js, without a load.
  const ws = (mock.context.workbook as { worksheets: { active: { used: Record<string, unknown> } } })
    .worksheets.active;
  Object.defineProperty(ws.used, 'isNullObject', { value: false });
  Object.defineProperty(ws.used.merged, 'isNullObject', { value: mergedAddress === null });
  const settings = (mock.context.workbook as { settings: { item: object } }).settings;
  Object.defineProperty(settings.item, 'isNullObject', { value: true });
  const sync = mock.context.sync.bind(mock.context);
  mock.context.sync = async () => {
    syncs++;
    await sync();
    // The mock settles nested properties in later microtasks: one turn of the event loop runs them all.
    await new Promise((r) => setImmediate(r));
  };
  return { context: mock.context as unknown as Excel.RequestContext, calls, syncs: () => syncs };
}

describe('the read through office-addin-mock (R4: merged areas)', () => {
  const values = [
    ['序号', '工作任务', '牵头单位'],
    ['1', '任务一', '县财政局'],
    ['2', '任务二', ''],
  ];

  it('R4: with ExcelApi 1.13 the merged areas are loaded in the one read sync and passed on as A1 areas', async () => {
    const m = mockReader(values, '台账!A1:C1,台账!C2:C3');
    const read = await readSheet(m.context, () => true);
    expect(m.calls).toEqual(['getMergedAreasOrNullObject']);
    expect(m.syncs()).toBe(1);
    expect(read.merges).toEqual(['台账!A1:C1', '台账!C2:C3']);
    expect(read.values).toEqual(values);
    expect(read.selectedRows).toEqual([3]);
  });

  it('R4: a sheet without merged areas gives an empty list (a null object), still one sync', async () => {
    const m = mockReader(values, null);
    const read = await readSheet(m.context, () => true);
    expect(read.merges).toEqual([]);
    expect(m.syncs()).toBe(1);
  });

  it('R4: below ExcelApi 1.13 the merged areas are never asked for (the reader infers them)', async () => {
    const m = mockReader(values, '台账!C2:C3');
    const read = await readSheet(m.context, (_n, v) => Number(v.split('.')[1]) <= 12);
    expect(m.calls).toEqual([]);
    expect(read.merges).toBeNull();
    expect(m.syncs()).toBe(1);
  });
});
