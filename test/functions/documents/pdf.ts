// A document as a reader sees it: the .docx converted to PDF by LibreOffice (headless, with its own
// profile so parallel runs never share one), the words and their boxes read back with `pdftotext -bbox`,
// and the pages kept as PNG images (pdftoppm) in test-output/documents/ for a person to look at.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One word as pdftotext places it, in points from the page's top-left corner. */
export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
export interface Page {
  width: number;
  height: number;
  words: Word[];
}
/** A line of text: the words whose boxes share a baseline, left to right. */
export interface Line {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  words: Word[];
}

export const MM = 72 / 25.4;

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function parseBbox(html: string): Page[] {
  const pages: Page[] = [];
  for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words = [
      ...(m[3] ?? '').matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
      ),
    ].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: decode(w[5] ?? ''),
    }));
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

/** The page's lines, top to bottom: words grouped by their bottom edge (within 2 pt). */
export function linesOf(page: Page): Line[] {
  const lines: Line[] = [];
  const sorted = [...page.words].sort((a, b) => a.yMax - b.yMax || a.xMin - b.xMin);
  for (const w of sorted) {
    const line = lines.find((l) => Math.abs(l.yMax - w.yMax) < 2);
    if (line) line.words.push(w);
    else lines.push({ text: '', xMin: 0, xMax: 0, yMin: 0, yMax: w.yMax, words: [w] });
  }
  for (const l of lines) {
    l.words.sort((a, b) => a.xMin - b.xMin);
    l.text = l.words.map((w) => w.text).join('');
    l.xMin = Math.min(...l.words.map((w) => w.xMin));
    l.xMax = Math.max(...l.words.map((w) => w.xMax));
    l.yMin = Math.min(...l.words.map((w) => w.yMin));
  }
  return lines.sort((a, b) => a.yMax - b.yMax);
}

export interface Rendered {
  pages: Page[];
  /** The PNG images of the pages, in test-output/documents/. */
  pngs: string[];
  pdf: string;
}

/**
 * Renders .docx bytes through LibreOffice to PDF, reads the words back and writes the pages as PNG
 * (test-output/documents/<name>-<n>.png). Throws when soffice or poppler is missing: these tests exist
 * to look at the document, a skipped look would pass unseen.
 */
export async function renderPdf(name: string, docx: Buffer): Promise<Rendered> {
  const work = await mkdtemp(join(tmpdir(), 'duban-render-'));
  try {
    const src = join(work, `${name}.docx`);
    await writeFile(src, docx);
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${join(work, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        work,
        src,
      ],
      { timeout: 120_000 },
    );
    const pdfPath = join(work, `${name}.pdf`);
    const { stdout } = await run('pdftotext', ['-bbox', pdfPath, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const outDir = resolve('test-output', 'documents');
    await mkdir(outDir, { recursive: true });
    const pdf = join(outDir, `${name}.pdf`);
    await copyFile(pdfPath, pdf);
    await run('pdftoppm', ['-r', '60', '-png', pdfPath, join(outDir, name)]);
    const pages = parseBbox(stdout);
    const width = String(pages.length).length;
    // pdftoppm numbers pages with as many digits as the last page needs (name-1.png or name-01.png).
    const pngs = pages.map((_, i) => join(outDir, `${name}-${String(i + 1).padStart(width, '0')}.png`));
    await readFile(pngs[0] as string);
    return { pages, pngs, pdf };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
