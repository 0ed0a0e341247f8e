// manifest.xml: valid against the Office task-pane XSDs (offline, xmllint), and consistent with itself
// and with the code: every resid resolves, every FunctionName is registered with
// Office.actions.associate, ids are unique, every URL is https, every icon exists at its size.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PANE_VIEWS } from '../../addin/src/taskpane/app.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = readFileSync(join(root, 'manifest.xml'), 'utf8');
const schemaDir = join(root, '..', 'shared', 'schemas', 'office-manifest');
const xsd = join(schemaDir, 'OfficeAppManifestV1_1.xsd');
const haveXsd = existsSync(xsd);

function all(re: RegExp): RegExpExecArray[] {
  return [...manifest.matchAll(new RegExp(re.source, 'g'))];
}

/** PNG width and height from the IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('manifest.xml', () => {
  it.skipIf(!haveXsd)(
    `validates against the Office task-pane XSDs with xmllint${haveXsd ? '' : ' — XSD step SKIPPED: ../shared/schemas/office-manifest is not present'}`,
    () => {
      const out = execFileSync('xmllint', ['--noout', '--schema', xsd, join(root, 'manifest.xml')], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect(out).toBe('');
    },
  );

  it('is an Excel task-pane add-in, zh-CN with en-US overrides, ExcelApi 1.8, ReadWriteDocument', () => {
    expect(manifest).toMatch(/xsi:type="TaskPaneApp"/);
    expect(manifest).toMatch(/<Host Name="Workbook"\/>/);
    expect(manifest).toMatch(/<DefaultLocale>zh-CN<\/DefaultLocale>/);
    expect(manifest).toMatch(/<Set Name="ExcelApi" MinVersion="1\.8"\/>/);
    expect(manifest).toMatch(/<Permissions>ReadWriteDocument<\/Permissions>/);
    expect(all(/Locale="en-US"/).length).toBeGreaterThan(20);
  });

  it('has the 督办 tab with its groups and one button per command, no menus', () => {
    expect(manifest).not.toMatch(/xsi:type="Menu"/);
    const strings = new Map(all(/<bt:String id="([^"]+)" DefaultValue="([^"]*)"/).map((m) => [m[1]!, m[2]!]));
    const label = (resid: string) => strings.get(resid);
    const groups = all(/<Group id="([^"]+)">\s*<Label resid="([^"]+)"\/>([\s\S]*?)<\/Group>/).map((m) => ({
      label: label(m[2]!),
      buttons: [...m[3]!.matchAll(/<Control xsi:type="Button" id="[^"]+">\s*<Label resid="([^"]+)"\/>/g)].map(
        (b) => label(b[1]!),
      ),
    }));
    expect(label('Tab.Label')).toBe('督办');
    expect(groups).toEqual([
      { label: '台账', buttons: ['同步台账', '检查台账'] },
      { label: '赋星', buttons: ['按类别赋星', '三星', '四星', '五星'] },
      { label: '亮牌', buttons: ['黄牌', '橙牌', '约谈登记'] },
      { label: '销号', buttons: ['销号'] },
      { label: '提示', buttons: ['今日提示'] },
      { label: '汇总', buttons: ['督检汇总'] },
      { label: '督办面板', buttons: ['督办面板'] },
    ]);
    // 约谈登记, 销号, 今日提示, 督检汇总 and 督办面板 open the pane (it must show even when it was closed);
    // one container (the same TaskpaneId), a view per button.
    const panes = all(
      /<Action xsi:type="ShowTaskpane">\s*<TaskpaneId>([^<]+)<\/TaskpaneId>\s*<SourceLocation resid="([^"]+)"\/>/,
    );
    expect(panes).toHaveLength(5);
    expect(new Set(panes.map((m) => m[1]))).toEqual(new Set(['Office.AutoShowTaskpaneWithDocument']));
    const urls = new Map(all(/<bt:Url id="([^"]+)" DefaultValue="([^"]+)"/).map((m) => [m[1]!, m[2]!]));
    const views = panes.map((m) => new URL(urls.get(m[2]!)!).searchParams.get('view'));
    expect(views).toEqual(['interview', 'close', 'reminders', 'roundup', null]);
    expect(views.filter((v) => v !== null)).toEqual([...PANE_VIEWS]);
  });

  it('resolves every resid, and every resource id is unique', () => {
    const defined = all(/<bt:(?:Image|Url|String) id="([^"]+)"/).map((m) => m[1]!);
    expect(new Set(defined).size).toBe(defined.length);
    const used = all(/resid="([^"]+)"/).map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((r) => !defined.includes(r))).toEqual([]);
    for (const r of used) expect(r.length).toBeLessThanOrEqual(32);
  });

  it('gives every control, group and tab a unique id and every ExecuteFunction its own FunctionName', () => {
    const ids = all(/<(?:CustomTab|Group|Control)[^>]* id="([^"]+)"/).map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    const functions = all(/<FunctionName>([^<]+)<\/FunctionName>/).map((m) => m[1]!);
    expect(functions).toHaveLength(8);
    expect(new Set(functions).size).toBe(functions.length);
  });

  it('uses https for every URL', () => {
    const urls = [...all(/DefaultValue="(\w+:\/\/[^"]+)"/), ...all(/<AppDomain>([^<]+)<\/AppDomain>/)].map(
      (m) => m[1]!,
    );
    expect(urls.length).toBeGreaterThan(40);
    expect(urls.filter((u) => !u.startsWith('https://'))).toEqual([]);
  });

  it('references icons that exist as PNGs of the stated size under addin/assets', () => {
    const images = all(/<bt:Image id="([^"]+)" DefaultValue="https:\/\/localhost:3000\/assets\/([^"]+)"/);
    expect(images.length).toBe(42);
    const sizeOf = new Map(all(/<bt:Image size="(\d+)" resid="([^"]+)"/).map((m) => [m[2]!, Number(m[1])]));
    for (const [, id, file] of images) {
      const { width, height } = pngSize(join(root, 'addin', 'assets', file!));
      const declared = sizeOf.get(id!) ?? Number(/-(\d+)\.png$/.exec(file!)?.[1]);
      expect({ file, width, height }).toEqual({ file, width: declared, height: declared });
    }
    // IconUrl 32 px, HighResolutionIconUrl 64 px (Office's recommended sizes).
    const appIcons = all(
      /<(IconUrl|HighResolutionIconUrl) DefaultValue="https:\/\/localhost:3000\/assets\/([^"]+)"/,
    ).map((m) => ({ element: m[1]!, ...pngSize(join(root, 'addin', 'assets', m[2]!)) }));
    expect(appIcons).toEqual([
      { element: 'IconUrl', width: 32, height: 32 },
      { element: 'HighResolutionIconUrl', width: 64, height: 64 },
    ]);
  });
});

describe('the function file registers every FunctionName of the manifest', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('calls Office.actions.associate once for each, and for nothing else', async () => {
    const associated: string[] = [];
    vi.stubGlobal('Office', {
      onReady: (cb: () => void) => {
        cb();
        return Promise.resolve({ host: 'Excel', platform: 'OfficeOnline' });
      },
      actions: { associate: (name: string) => associated.push(name) },
    });
    await import('../../addin/src/commands/index.js');
    const functions = all(/<FunctionName>([^<]+)<\/FunctionName>/).map((m) => m[1]!);
    expect([...associated].sort()).toEqual([...functions].sort());
  });

  it('on an old host (Trident/EdgeHTML) commands.html’s ES5 fallback answers every FunctionName too', () => {
    const html = readFileSync(join(root, 'addin', 'src', 'taskpane', 'commands.html'), 'utf8');
    const names = /var names = \[([^\]]+)\]/
      .exec(html)?.[1]
      ?.match(/'([^']+)'/g)
      ?.map((n) => n.slice(1, -1));
    const functions = all(/<FunctionName>([^<]+)<\/FunctionName>/).map((m) => m[1]!);
    expect([...(names ?? [])].sort()).toEqual([...functions].sort());
  });
});
