// docs/rules.md is the repository's own statement of R1–R22: it must stay true to the tree it describes.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesDoc = readFileSync(join(root, 'docs', 'rules.md'), 'utf8');

/** The paragraph of each rule: from its bold `**Rn —` to the next rule or heading. */
function ruleSections(): Map<number, string> {
  const out = new Map<number, string>();
  const re = /^\*\*R(\d+) —[\s\S]*?(?=^\*\*R\d+ —|^## |(?![\s\S]))/gm;
  for (const m of rulesDoc.matchAll(re)) out.set(Number(m[1]), m[0]);
  return out;
}

const pathsIn = (text: string): string[] => [...text.matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]!);

describe('docs/rules.md, the project’s own rules R1–R22', () => {
  const sections = ruleSections();

  it('states every rule R1–R22 once, in order', () => {
    expect([...sections.keys()]).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('names, for every rule, the file that decides it and files that exist', () => {
    for (const [id, text] of sections) {
      expect(text, `R${id} says where it is decided`).toMatch(/Decided in `/);
      for (const p of pathsIn(text)) expect(existsSync(join(root, p)), `R${id} cites ${p}`).toBe(true);
    }
  });

  it('lists as proof of a rule only tests that name that rule', () => {
    for (const [id, text] of sections) {
      const proof = /Proved by (.*)/.exec(text)?.[1] ?? '';
      const tests = pathsIn(proof);
      expect(tests.length, `R${id} names its tests`).toBeGreaterThan(0);
      for (const t of tests) {
        const src = readFileSync(join(root, t), 'utf8');
        expect(new RegExp(`\\bR${id}\\b`).test(src), `${t} names R${id}`).toBe(true);
      }
    }
  });
});

describe('the repository stands on its own', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mjs|js|html|css)$/.test(name)) files.push(p);
    }
  };
  for (const d of ['shared', 'functions', 'addin', 'bin', 'bench', 'test']) walk(join(root, d));

  it('no source file cites a spec document a clone does not have', () => {
    const self = fileURLToPath(import.meta.url);
    const citing = files.filter(
      (f) => f !== self && /\b(RULES|ARCHITECTURE)\.md\b/.test(readFileSync(f, 'utf8')),
    );
    expect(citing.map((f) => f.slice(root.length + 1))).toEqual([]);
  });

  it('comments and test names say the invariant they protect, not which review asked for it', () => {
    const self = fileURLToPath(import.meta.url);
    const pattern = new RegExp(['review', '( finding)? ?#?[0-9]+'].join(''), 'i');
    const citing = files.filter((f) => f !== self && pattern.test(readFileSync(f, 'utf8')));
    expect(citing.map((f) => f.slice(root.length + 1))).toEqual([]);
  });
});
