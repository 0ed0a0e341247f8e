// Timing helpers for `npm run bench`: medians of repeated runs, figures reported as ratios to a
// baseline measured in the same run (the machines are noisy; absolute numbers travel badly).
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  ratio?: number;
  goal?: string;
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function formatResults(title: string, results: BenchResult[]): string {
  const lines = [`## ${title}`];
  for (const r of results) {
    const value = r.unit === 'ms' ? `${r.value.toFixed(1)} ms` : `${r.value} ${r.unit}`;
    const ratio = r.ratio === undefined ? '' : `  (${r.ratio.toFixed(2)}× baseline)`;
    lines.push(`- ${r.name}: ${value}${ratio}${r.goal ? `  goal ${r.goal}` : ''}`);
  }
  return lines.join('\n');
}

/** Peak resident memory of this process while `fn` runs (sampled every 50 ms), in MB. */
export async function peakRss(fn: () => Promise<unknown>): Promise<number> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6);
}
