import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, makeSettings } from '../../../shared/settings.js';
import { docKindForColor, formatDocNumber, parseDocNumber } from '../../../shared/rules/docNumber.js';

describe('document numbers', () => {
  it('R14: 提示函 and 预警通知书 numbers read 友政督提〔2026〕7号 and 友政督警〔2026〕3号', () => {
    expect(formatDocNumber('tishihan', 2026, 7, DEFAULT_SETTINGS)).toBe('友政督提〔2026〕7号');
    expect(formatDocNumber('yujing', 2026, 3, DEFAULT_SETTINGS)).toBe('友政督警〔2026〕3号');
  });

  it('R14: the prefixes are settings', () => {
    const s = makeSettings({ docPrefixes: { tishihan: '某政督提' } });
    expect(formatDocNumber('tishihan', 2027, 12, s)).toBe('某政督提〔2027〕12号');
    expect(formatDocNumber('yujing', 2027, 1, s)).toBe('友政督警〔2027〕1号');
  });

  it('R14: a number is a positive whole number', () => {
    expect(() => formatDocNumber('tishihan', 2026, 0, DEFAULT_SETTINGS)).toThrow('文号序号应为正整数');
    expect(() => formatDocNumber('tishihan', 2026, 1.5, DEFAULT_SETTINGS)).toThrow('文号序号应为正整数');
  });

  it('R14: a formatted number reads back to its kind, year and number', () => {
    expect(parseDocNumber('友政督警〔2026〕3号', DEFAULT_SETTINGS)).toEqual({
      kind: 'yujing',
      year: 2026,
      n: 3,
    });
    expect(parseDocNumber('友政督提[2026]17号', DEFAULT_SETTINGS)).toEqual({
      kind: 'tishihan',
      year: 2026,
      n: 17,
    });
    expect(parseDocNumber('友政办发〔2023〕1号', DEFAULT_SETTINGS)).toBeNull();
  });

  it('R14: a yellow card is followed by a 提示函, an orange card by a 预警通知书, red by neither', () => {
    expect(docKindForColor('yellow')).toBe('tishihan');
    expect(docKindForColor('orange')).toBe('yujing');
    expect(docKindForColor('red')).toBeNull();
  });
});
