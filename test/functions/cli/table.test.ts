// The `duban` command's tables: Chinese characters take two terminal columns, so a clerk's columns
// line up in `duban ledger`'s table of a ledger. The widths the table counts itself agree with string-width.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { displayWidth, renderTable, truncate } from '../../../functions/cli/table.js';

describe('terminal tables', () => {
  it('R1: in the ledger table of `duban ledger` every character of the BMP counts as string-width counts it, alone and between two others (a mark, a joining letter or a control joins its neighbours)', () => {
    const wrong: string[] = [];
    for (let c = 0x20; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      for (const text of [ch, `调${ch}研`, `a${ch}b`])
        if (displayWidth(text) !== stringWidth(text)) {
          wrong.push(`U+${c.toString(16)} in ${JSON.stringify(text)}`);
          break;
        }
    }
    expect(wrong).toEqual([]);
    expect(displayWidth('县财政局（牵头）ABC')).toBe(stringWidth('县财政局（牵头）ABC'));
  });

  it('R1: the ledger table of `duban ledger`: columns line up under Chinese headers, and a long cell is cut with … at its column width', () => {
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

  it('R1: the ledger table of `duban ledger`: every cell is padded and cut exactly as string-width measures it — Chinese, stars, emoji, combining marks, long titles, numbers and empty cells', () => {
    // The table measured with string-width alone, character by character where a cell is cut.
    const reference = (headers: string[], rows: (string | number | null | undefined)[][], max: number[]) => {
      const fit = (text: string, width: number) => {
        if (stringWidth(text) <= width) return { text, width: stringWidth(text) };
        let out = '';
        let used = 0;
        for (const ch of text) {
          if (used + stringWidth(ch) > width - 1) break;
          out += ch;
          used += stringWidth(ch);
        }
        return { text: out + '…', width: used + 1 };
      };
      const cells = rows.map((r) =>
        r.map((c, i) => fit(c === null || c === undefined ? '' : String(c), max[i] ?? 40)),
      );
      const head = headers.map((h) => ({ text: h, width: stringWidth(h) }));
      const widths = head.map((h, i) => Math.max(h.width, ...cells.map((r) => r[i]?.width ?? 0)));
      const line = (r: { text: string; width: number }[]) =>
        r
          .map((c, i) => c.text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - c.width)))
          .join('  ')
          .trimEnd();
      return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
    };
    const headers = ['行', '工作任务', '牵头单位', '星级'];
    const rows: (string | number | null | undefined)[][] = [
      [4, '推进县城污水管网改造工程建设，完成年度投资目标', '县住房和城乡建设局', '★★★★★'],
      [5, 'Build 3 new schools in the county by December 2026', 'County Bureau of Education', '3★'],
      [6, '落实“双减”政策——课后服务全覆盖 😀👍🏽', '县教育局（牵头）', null],
      [7, 'e\u0301te\u0301 cafe\u0301 naïve résumé — 各种组合字符', undefined, '4★'],
      [8, '', '한국어 단위 ｶﾀｶﾅ ＡＢＣ', 5],
      [9, '⭐重点项目⭐', '县发改局', '★', '表头以外的一格'],
      [10, '调\u302A研', '县发改局', '3★'],
      [11, '调研', '县财政局', 'ﾀﾞｲﾔ'],
    ];
    for (const max of [
      [5, 28, 14, 6],
      [3, 10, 6, 2],
      [1, 2, 1, 1],
    ])
      expect(renderTable(headers, rows, max)).toBe(reference(headers, rows, max));
  });
});
