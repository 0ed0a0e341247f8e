/* global document */
// Draws the ribbon icons (16/32/80 px PNGs, the logo also 64) with Chromium's canvas, so they are crisp at every size
// and the CJK glyphs use the machine's Noto CJK font. Run: node addin/assets/make-icons.mjs
import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// kind: tile (glyph on a rounded tile), star (a gold star with a digit/glyph), card (a tilted card), check, chart
const ICONS = {
  logo: { kind: 'tile', bg: '#A4262C', glyph: '督' },
  pane: { kind: 'tile', bg: '#A4262C', glyph: '督' },
  sync: { kind: 'tile', bg: '#217346', glyph: '同' },
  check: { kind: 'tile', bg: '#217346', glyph: '查' },
  starsByKind: { kind: 'star', glyph: '类' },
  stars3: { kind: 'star', glyph: '3' },
  stars4: { kind: 'star', glyph: '4' },
  stars5: { kind: 'star', glyph: '5' },
  yellow: { kind: 'card', bg: '#FFD966', edge: '#BF9000' },
  orange: { kind: 'card', bg: '#F4B183', edge: '#C55A11' },
  interview: { kind: 'tile', bg: '#C00000', glyph: '谈' },
  close: { kind: 'check', bg: '#107C10' },
  reminders: { kind: 'tile', bg: '#0F6CBD', glyph: '提' },
  roundup: { kind: 'chart', bg: '#0F6CBD' },
};

function draw(spec, size) {
  const c = document.createElement('canvas');
  c.width = c.height = size;
  const g = c.getContext('2d');
  const s = size / 32;
  const round = (x, y, w, h, r) => {
    g.beginPath();
    g.moveTo(x + r, y);
    g.arcTo(x + w, y, x + w, y + h, r);
    g.arcTo(x + w, y + h, x, y + h, r);
    g.arcTo(x, y + h, x, y, r);
    g.arcTo(x, y, x + w, y, r);
    g.closePath();
  };
  const font = (px) => `bold ${px}px "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif`;
  if (spec.kind === 'tile' || spec.kind === 'check' || spec.kind === 'chart') {
    round(1 * s, 1 * s, 30 * s, 30 * s, 5 * s);
    g.fillStyle = spec.bg;
    g.fill();
  }
  g.fillStyle = '#fff';
  g.strokeStyle = '#fff';
  if (spec.kind === 'tile') {
    g.font = font(Math.round(24 * s));
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(spec.glyph, 16 * s, 17 * s);
  } else if (spec.kind === 'check') {
    g.lineWidth = 4.5 * s;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(7 * s, 16.5 * s);
    g.lineTo(13.5 * s, 23 * s);
    g.lineTo(25 * s, 9 * s);
    g.stroke();
  } else if (spec.kind === 'chart') {
    const bars = [
      [6, 18, 5, 9],
      [13.5, 11, 5, 16],
      [21, 6, 5, 21],
    ];
    for (const [x, y, w, h] of bars) g.fillRect(x * s, y * s, w * s, h * s);
  } else if (spec.kind === 'star') {
    g.beginPath();
    for (let i = 0; i < 10; i++) {
      const r = (i % 2 === 0 ? 15.5 : 7) * s;
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      g.lineTo(16 * s + r * Math.cos(a), 17 * s + r * Math.sin(a));
    }
    g.closePath();
    g.fillStyle = '#FFB900';
    g.fill();
    g.lineWidth = Math.max(1, 1.2 * s);
    g.strokeStyle = '#986F0B';
    g.stroke();
    g.fillStyle = '#3B2300';
    g.font = font(Math.round((spec.glyph.length === 1 && /\d/.test(spec.glyph) ? 14 : 11) * s));
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(spec.glyph, 16 * s, 19 * s);
  } else if (spec.kind === 'card') {
    g.save();
    g.translate(16 * s, 16 * s);
    g.rotate(-0.22);
    round(-9 * s, -13 * s, 18 * s, 26 * s, 3 * s);
    g.fillStyle = spec.bg;
    g.fill();
    g.lineWidth = Math.max(1, 2 * s);
    g.strokeStyle = spec.edge;
    g.stroke();
    g.restore();
  }
  return c.toDataURL('image/png');
}

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'duban-icons-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage();
await page.setContent('<html><body style="font-family:\'Noto Sans CJK SC\'">督</body></html>');
for (const [name, spec] of Object.entries(ICONS)) {
  // The logo also at 64 px: the manifest's HighResolutionIconUrl (Office recommends 64, IconUrl 32).
  for (const size of name === 'logo' ? [16, 32, 64, 80] : [16, 32, 80]) {
    const url = await page.evaluate(`(${draw.toString()})(${JSON.stringify(spec)}, ${size})`);
    writeFileSync(join(here, `${name}-${size}.png`), Buffer.from(url.split(',')[1], 'base64'));
  }
}
await browser.close();
console.log(`wrote ${Object.keys(ICONS).length * 3 + 1} icons to ${here}`);
