// Builds the playground into playground/dist — separate from the add-in's build (addin/dist), which
// it never changes: the page's script, the in-browser Office/Excel host the add-in's pages load in
// place of office.js, copies of the add-in's pages wired to that host, the ribbon read from
// manifest.xml, and the example ledger.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
export const PLAYGROUND_DIST = join(here, 'dist');

/** A ribbon button as manifest.xml declares it. */
export interface RibbonButton {
  id: string;
  label: string;
  tip: string;
  icon: string;
  /** ExecuteFunction: the function file's FunctionName. */
  functionName?: string;
  /** ShowTaskpane: the pane's view (taskpane.html?view=…; '' = the pane's home). */
  view?: string;
}
export interface RibbonGroup {
  label: string;
  buttons: RibbonButton[];
}

/** The 督办 tab of manifest.xml: groups, buttons, labels, tooltips, icons and actions, in order. */
export function ribbonFromManifest(xml: string): { tab: string; groups: RibbonGroup[] } {
  const resource = (kind: 'String' | 'Url' | 'Image', id: string): string => {
    const m = new RegExp(`<bt:${kind} id="${id.replace(/\./g, '\\.')}" DefaultValue="([^"]*)"`).exec(xml);
    if (!m) throw new Error(`manifest.xml: 找不到资源 ${id}`);
    return m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  };
  const tabSection = /<CustomTab[\s\S]*?<\/CustomTab>/.exec(xml)?.[0] ?? '';
  const tabLabel = /<\/Group>\s*<Label resid="([^"]+)"/.exec(tabSection)?.[1];
  const groups: RibbonGroup[] = [];
  for (const g of tabSection.matchAll(/<Group id="[^"]+">([\s\S]*?)<\/Group>/g)) {
    const body = g[1]!;
    const label = resource('String', /<Label resid="([^"]+)"/.exec(body)![1]!);
    const buttons: RibbonButton[] = [];
    for (const c of body.matchAll(/<Control xsi:type="Button" id="([^"]+)">([\s\S]*?)<\/Control>/g)) {
      const cb = c[2]!;
      const icon = new URL(resource('Image', /<bt:Image size="32" resid="([^"]+)"/.exec(cb)![1]!)).pathname;
      const fn = /<FunctionName>([^<]+)<\/FunctionName>/.exec(cb)?.[1];
      const source = /<SourceLocation resid="([^"]+)"/.exec(cb)?.[1];
      const tipId = /<Description resid="([^"]+)"/.exec(cb)?.[1];
      buttons.push({
        id: c[1]!,
        label: resource('String', /<Label resid="([^"]+)"/.exec(cb)![1]!),
        tip: tipId ? resource('String', tipId) : '',
        icon,
        ...(fn ? { functionName: fn } : {}),
        ...(source ? { view: new URL(resource('Url', source)).searchParams.get('view') ?? '' } : {}),
      });
    }
    groups.push({ label, buttons });
  }
  return { tab: tabLabel ? resource('String', tabLabel) : '督办', groups };
}

const OFFICE_JS = /<script src="https:\/\/appsforoffice\.microsoft\.com\/[^"]+"><\/script>/;

/**
 * An add-in page wired to the playground's host: office.js (the CDN) replaced by the in-browser host,
 * its relative scripts and styles still the add-in's own build at the site root.
 */
export function wirePage(html: string): string {
  if (!OFFICE_JS.test(html))
    throw new Error('add-in page without office.js: cannot wire it to the playground');
  return (
    html
      // The page's Content-Security-Policy stays, less the Office CDN (nothing loads from it here) and
      // with the one <base> the playground adds allowed.
      .replace(/ https:\/\/appsforoffice\.microsoft\.com/g, '')
      .replace("base-uri 'none'", "base-uri 'self'")
      .replace('<head>', '<head>\n    <base href="/" />')
      .replace(OFFICE_JS, '<script src="/playground/officeHost.js"></script>')
  );
}

export async function buildPlayground(
  opts: { outdir?: string; minify?: boolean } = {},
): Promise<{ dir: string }> {
  const outdir = opts.outdir ?? PLAYGROUND_DIST;
  mkdirSync(join(outdir, 'pages'), { recursive: true });
  await build({
    entryPoints: {
      playground: join(here, 'src/page.ts'),
      officeHost: join(here, 'src/officeHost.ts'),
    },
    outdir,
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'edge100', 'safari15'],
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // ExcelJS's own browser bundle (its package entry needs Node's streams).
    alias: { exceljs: 'exceljs/dist/exceljs.min.js' },
  });
  for (const page of ['taskpane.html', 'commands.html', 'notice.html']) {
    writeFileSync(
      join(outdir, 'pages', page),
      wirePage(readFileSync(join(root, 'addin/src/taskpane', page), 'utf8')),
    );
  }
  writeFileSync(
    join(outdir, 'ribbon.json'),
    JSON.stringify(ribbonFromManifest(readFileSync(join(root, 'manifest.xml'), 'utf8'))),
  );
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  copyFileSync(join(here, 'playground.css'), join(outdir, 'playground.css'));
  copyFileSync(join(root, 'examples/ledger-2026.xlsx'), join(outdir, 'ledger-2026.xlsx'));
  return { dir: outdir };
}
