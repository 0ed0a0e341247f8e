// Where Chinese text may break: between words, never inside one (GB/T 9704 7.3.1: a long title breaks
// between words). Intl.Segmenter's dictionary knows common words; it leaves office terms it does not
// know (督检, 住建局, 汇总) as single characters, so runs of single characters are glued back together —
// except the particles a line may well start or end with.

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/** Single characters that stand as words of their own: a title may break before or after them. */
const PARTICLES = new Set([
  '的',
  '和',
  '与',
  '及',
  '对',
  '在',
  '为',
  '于',
  '把',
  '将',
  '被',
  '、',
  '，',
  '。',
  '：',
  '；',
]);
/** Office terms kept whole even where the dictionary splits them into two words. */
const TERMS = [
  '重点工作',
  '汇总报告',
  '通报批评',
  '专题报告',
  '预警通知书',
  '提示函',
  '督办检查室',
  '人民政府',
  '办公室',
];

/** The text as a list of unbreakable pieces whose concatenation is the text. */
export function words(text: string): string[] {
  const out: string[] = [];
  let glue = false;
  for (const { segment } of segmenter.segment(text)) {
    const single = [...segment].length === 1 && !PARTICLES.has(segment);
    const digits = /^[0-9０-９]+$/.test(segment);
    const prev = out[out.length - 1];
    // 2026|年 and 督|检 are one word; so is a run of characters the dictionary left single.
    if (prev !== undefined && glue && (single || digits)) out[out.length - 1] = prev + segment;
    else out.push(segment);
    glue = single || digits;
  }
  // Terms the dictionary split into whole words (汇总|报告): one piece, so no line breaks inside them.
  for (const term of TERMS) {
    for (let i = 0; i < out.length; i++) {
      let joined = '';
      for (let j = i; j < out.length && joined.length < term.length; j++) {
        joined += out[j];
        if (joined === term && j > i) {
          out.splice(i, j - i + 1, term);
          break;
        }
        if (!term.startsWith(joined)) break;
      }
    }
  }
  return out;
}

/**
 * A title set in lines of at most `max` characters, broken between words: the fewest lines that fit,
 * as even as the words allow, each no longer than the one above it where the words allow (the
 * standard's trapezoid).
 */
export function titleLines(text: string, max: number): string[] {
  const length = [...text].length;
  if (length <= max) return [text];
  const pieces = words(text);
  const sizes = pieces.map((p) => [...p].length);
  for (let lines = Math.ceil(length / max); lines <= pieces.length; lines++) {
    const target = length / lines;
    let best: { cost: number; breaks: number[] } | null = null;
    // Every way of cutting the pieces into `lines` lines (titles are short: a few thousand at most).
    const search = (from: number, left: number, breaks: number[], lens: number[]) => {
      if (left === 1) {
        const len = sizes.slice(from).reduce((a, b) => a + b, 0);
        if (len > max || len === 0) return;
        const all = [...lens, len];
        let cost = all.reduce((c, l) => c + (l - target) ** 2, 0);
        for (let i = 1; i < all.length; i++) if ((all[i] as number) > (all[i - 1] as number)) cost += 1000;
        if (!best || cost < best.cost) best = { cost, breaks: [...breaks] };
        return;
      }
      let len = 0;
      for (let i = from; i < pieces.length - left + 1; i++) {
        len += sizes[i] as number;
        if (len > max) break;
        search(i + 1, left - 1, [...breaks, i + 1], [...lens, len]);
      }
    };
    search(0, lines, [], []);
    const found = best as { cost: number; breaks: number[] } | null;
    if (found) {
      const cuts = [0, ...found.breaks, pieces.length];
      return cuts.slice(1).map((end, i) => pieces.slice(cuts[i], end).join(''));
    }
  }
  return [text];
}
