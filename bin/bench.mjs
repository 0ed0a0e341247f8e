#!/usr/bin/env node
// `npm run bench`: the benchmarks of every part, printed as Markdown (pasted into the README).
import { register } from 'tsx/esm/api';

register();
const { runBenchmarks } = await import('../bench/index.ts');
await runBenchmarks(process.argv.slice(2));
