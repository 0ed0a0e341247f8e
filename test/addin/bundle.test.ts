// The task pane's script as Office downloads it: under its 90 KiB gzip budget, and the zod inside it,
// without its JSON Schema modules, still checks every request body as the backend does (R3: a 销号
// without its 依据 is refused in Chinese before it is sent).
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDIN_PLUGINS, buildAddin } from '../../addin/build.js';

const GOAL_BYTES = 90 * 1024;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duban-bundle-'));
  await buildAddin({ outdir: dir, minify: true });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the task pane’s script', () => {
  it('is under 90 KiB gzip, and carries none of zod’s JSON Schema conversion', () => {
    const script = readFileSync(join(dir, 'taskpane.js'));
    expect(gzipSync(script).length).toBeLessThanOrEqual(GOAL_BYTES);
    // fromJSONSchema's dialect names would be there if the module were bundled.
    expect(script.toString('utf8')).not.toContain('draft-2020-12');
  });

  it('R3: the bundled zod checks a body as the backend does; only JSON Schema conversion is refused', async () => {
    const entry = [
      "import { CloseTasksRequestSchema } from './shared/api.js';",
      "import { toJSONSchema } from 'zod';",
      'const body = { ledgerId: "ledger-2026", taskIds: ["DB-2026-0001"], date: "2026-11-26", by: "王文书" };',
      'const good = CloseTasksRequestSchema.safeParse({ ...body, note: "已完工验收" });',
      'const bad = CloseTasksRequestSchema.safeParse({ ...body, note: "  " });',
      'let refused = "";',
      'try { toJSONSchema(CloseTasksRequestSchema); } catch (e) { refused = String(e.message); }',
      'globalThis.result = { good: good.success, bad: bad.success ? "" : bad.error.issues[0].message, refused };',
    ].join('\n');
    const out = await build({
      stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      format: 'iife',
      minify: true,
      write: false,
      logLevel: 'silent',
      plugins: ADDIN_PLUGINS,
    });
    const sandbox: { result?: { good: boolean; bad: string; refused: string } } = {};
    runInNewContext(out.outputFiles[0]!.text, sandbox);
    expect(sandbox.result).toEqual({
      good: true,
      bad: '请填写销号依据',
      refused: 'JSON Schema is not bundled in the add-in',
    });
  });
});
