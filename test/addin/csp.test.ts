// The add-in's pages (R8: keys and who did what stay with the office): a Content-Security-Policy on
// every page that lets in only the add-in's own files and Office's script, with every inline script
// named by its hash; no source maps shipped; the key travels in a header, never in a URL.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAddin } from '../../addin/build.js';
import { DubanApi } from '../../addin/src/api/client.js';

const PAGES = join(process.cwd(), 'addin', 'src', 'taskpane');
const pages = readdirSync(PAGES).filter((f) => f.endsWith('.html'));

function cspOf(html: string): string {
  return /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
}

describe('R8: the add-in’s pages', () => {
  it.each(pages)(
    '%s carries a CSP: own files and Office’s script only, no unsafe-inline/eval, no plugins',
    (page) => {
      const html = readFileSync(join(PAGES, page), 'utf8');
      const csp = cspOf(html);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com( 'sha256-[^']+')*;/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*;|script-src[^;]*https:;/);
      // Every inline script is allowed by its own hash (an edited script without a new hash would not run).
      for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
        const hash = createHash('sha256').update(m[1]!).digest('base64');
        expect(csp).toContain(`'sha256-${hash}'`);
      }
      // No inline handlers or style attributes: the CSP would block them.
      expect(html).not.toMatch(/\son[a-z]+="|\sstyle="/);
    },
  );

  it('the production build ships no source maps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-csp-'));
    try {
      // A map left in the folder by an earlier debugging build is not shipped either.
      writeFileSync(join(dir, 'taskpane.js.map'), '{}');
      await buildAddin({ outdir: dir, minify: true });
      const files = readdirSync(dir);
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
      for (const js of files.filter((f) => f.endsWith('.js')))
        expect(readFileSync(join(dir, js), 'utf8')).not.toContain('sourceMappingURL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the client sends the key in x-functions-key and never in the URL', async () => {
    const seen: { url: string; key: string | null }[] = [];
    const api = new DubanApi(
      { url: 'https://duban.example.gov.cn/api', key: 'dbk_secret' },
      async (input, init) => {
        seen.push({ url: String(input), key: new Headers(init?.headers).get('x-functions-key') });
        return new Response(JSON.stringify({ role: 'clerk', clerk: '王文书' }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    );
    expect(await api.whoami()).toEqual({ role: 'clerk', clerk: '王文书' });
    expect(seen).toEqual([{ url: 'https://duban.example.gov.cn/api/whoami', key: 'dbk_secret' }]);
  });
});
