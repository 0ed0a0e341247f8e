// Counts the attacks of the bad-input corpus: every attack tried is recorded with whether it was
// refused, and a file's summary (printed after its tests) fails if any got through.
import { afterAll, expect } from 'vitest';
import { appendFileSync, mkdirSync } from 'node:fs';

const counts = new Map<string, { tried: number; refused: number }>();

export function tally(category: string, refused: boolean): void {
  const c = counts.get(category) ?? { tried: 0, refused: 0 };
  c.tried++;
  if (refused) c.refused++;
  counts.set(category, c);
}

/** Registers the file's summary: one line per category in test-output/attacks.txt, and on the console. */
export function reportTally(file: string): void {
  afterAll(() => {
    const lines = [...counts].map(([cat, c]) => `${file}\t${cat}\t${c.tried}\t${c.refused}`);
    mkdirSync('test-output', { recursive: true });
    appendFileSync('test-output/attacks.txt', lines.join('\n') + '\n');
    console.log(`攻击样本（${file}）：${lines.map((l) => l.split('\t').slice(1).join(' ')).join('；')}`);
    for (const [cat, c] of counts) expect(c.refused, `${cat}: every attack refused`).toBe(c.tried);
  });
}
