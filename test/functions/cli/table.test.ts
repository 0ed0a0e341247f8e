// The `duban` command's tables: Chinese characters take two terminal columns, so a clerk's columns
// line up in `duban ledger`'s table of a ledger. The widths the table counts itself agree with string-width.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { displayWidth, renderTable, truncate } from '../../../functions/cli/table.js';

describe('terminal tables', () => {
  it('the ledger table of `duban ledger`: every CJK ideograph, kana, hangul syllable, CJK punctuation and fullwidth form counts as string-width counts it', () => {
    const ranges: [number, number][] = [
      [0x4e00, 0x9fff],
      [0x3000, 0x303e],
      [0x3041, 0x3096],
      [0x30a0, 0x30ff],
      [0xac00, 0xd7a3],
      [0xff01, 0xff60],
      [0xffe0, 0xffe6],
      [0x20, 0x7e],
      [0xa0, 0x2fff],
    ];
    const wrong: string[] = [];
    for (const [from, to] of ranges)
      for (let c = from; c <= to; c++) {
        const ch = String.fromCharCode(c);
        if (displayWidth(ch) !== stringWidth(ch)) wrong.push(c.toString(16));
      }
    expect(wrong).toEqual([]);
    expect(displayWidth('县财政局（牵头）ABC')).toBe(stringWidth('县财政局（牵头）ABC'));
  });

  it('the ledger table of `duban ledger`: columns line up under Chinese headers, and a long cell is cut with … at its column width', () => {
    const out = renderTable(
      ['编号', '牵头单位', '星级'],
      [
        ['1', '县财政局', '3★'],
        ['12', '县发展和改革局（牵头）', '5★'],
      ],
      [10, 10, 10],
    ).split('\n');
    // The display column where the third cell starts is the same on every line.
    const third = ['星级', '3★', '5★'];
    const starAt = [out[0]!, out[2]!, out[3]!].map((l, i) => stringWidth(l.slice(0, l.indexOf(third[i]!))));
    expect(new Set(starAt).size).toBe(1);
    expect(out[3]).toContain('县发展和…');
    expect(stringWidth(truncate('县发展和改革局（牵头）', 10))).toBeLessThanOrEqual(10);
  });
});
