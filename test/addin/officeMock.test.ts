// The adapter's writes through office-addin-mock (Microsoft's Office.js mock): the order of the
// operations Office receives — text format before the value, suspensions before the writes.
import { describe, expect, it } from 'vitest';
import { OfficeMockObject } from 'office-addin-mock';
import { selectCell, writePlan } from '../../addin/src/excel/workbook.js';

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
      'suspendCalculation ',
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

  it('skips suspensions the host does not support (ExcelApi 1.8 has no screen-updating suspension)', async () => {
    const { excel, log } = mockWorkbook();
    await writePlan(excel.context, (_n, v) => v === '1.8', '台账', {
      cells: [{ row: 2, column: 0, value: 'x' }],
      fills: [],
    });
    expect(log.map((l) => l.what)).toEqual(['suspendCalculation', 'values', 'sync']);
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
