// The suite's own rules, checked on its source: a test stands alone (no id kept from another test, so
// one failure does not cascade and `.only` runs any test by itself), proves an absence by a
// deterministic step rather than a sleep, and runs timers on a pinned clock (R22: every date is decided
// by a clock the test sets, never by the hour the suite happens to run).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = testFiles(join(root, 'test')).map((p) => ({
  path: relative(root, p),
  source: readFileSync(p, 'utf8'),
}));

/**
 * The source with comments removed and string literals emptied (line breaks kept), so that a word in a
 * message, a URL or a comment is not read as code; a template literal keeps its `${…}` expressions.
 */
export function codeOnly(source: string): string {
  let out = '';
  let i = 0;
  const keepBreaks = (text: string) => text.replace(/[^\n]/g, '');
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += keepBreaks(source.slice(i, stop));
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let kept = '';
      // A quote in a regular expression may open no string: a quoted string ends with its line at most.
      while (j < source.length && source[j] !== c && (c === '`' || source[j] !== '\n')) {
        if (source[j] === '\\') j++;
        else if (c === '`' && source[j] === '$' && source[j + 1] === '{') {
          const end = source.indexOf('}', j);
          kept += source.slice(j + 2, end) + ' ';
          j = end;
        } else if (source[j] === '\n') kept += '\n';
        j++;
      }
      out += c + kept + c;
      i = source[j] === '\n' ? j : j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The line ranges [start, end] (0-based, inclusive) of every `it(`/`test(` block, by prettier's indentation. */
function testBlocks(lines: string[]): [number, number][] {
  const out: [number, number][] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(?:it|test)(?:\.\w+)?\(/.exec(line);
    if (!m) return;
    const indent = m[1]!;
    let j = i + 1;
    while (j < lines.length && !(lines[j]!.startsWith(indent + '}') || lines[j]!.startsWith(indent + ')')))
      j++;
    out.push([i, j]);
  });
  return out;
}

/**
 * Variables declared outside any test that one test assigns and another reads without assigning it
 * itself: `file:line name (set in line a, read in line b)`.
 */
export function sharedAcrossTests(path: string, source: string): string[] {
  const lines = codeOnly(source).split('\n');
  const blocks = testBlocks(lines);
  const blockOf = (i: number) => blocks.findIndex(([a, b]) => i > a && i <= b);
  const found: string[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*let\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (!m || blockOf(i) !== -1) return;
    const name = m[1]!.replace(/\$/g, '\\$');
    const assigns = new RegExp(
      `(?<![\\w.$])(?<!(?:const|let|var)\\s+)${name}\\s*(?:=(?![=>])|\\+=|-=|\\+\\+|--)`,
    );
    const declares = new RegExp(`\\b(?:const|let|var)\\s+(?:[{[][^=]*)?\\b${name}\\b`);
    const uses = new RegExp(`(?<![\\w.$])${name}\\b`);
    const setIn = new Set<number>();
    const readIn = new Set<number>();
    const ownIn = new Set<number>();
    lines.forEach((l, k) => {
      const b = blockOf(k);
      if (b === -1) return;
      if (declares.test(l)) ownIn.add(b);
      else if (assigns.test(l)) setIn.add(b);
      else if (uses.test(l)) readIn.add(b);
    });
    for (const a of setIn)
      for (const r of readIn)
        if (r !== a && !setIn.has(r) && !ownIn.has(r) && !ownIn.has(a))
          found.push(
            `${path}:${i + 1} ${m[1]} (set in line ${blocks[a]![0] + 1}, read in line ${blocks[r]![0] + 1})`,
          );
  });
  return found;
}

// Services (not ids) that one test stops and starts again on purpose, the later tests using the one
// running: the backend a clerk sees go down and come back, the pane closed and reopened from the ribbon,
// Azurite stopped in the middle of a daily run.
const RESTARTED_SERVICES = new Set([
  'test/e2e/addin.test.ts backend',
  'test/e2e/addin.test.ts pane',
  'test/functions/fault.test.ts azurite',
]);

describe('the suite stands test by test', () => {
  it('R22: no test keeps an id (or anything else) that another test set: each sets up what it needs', () => {
    const shared = files
      .flatMap((f) => sharedAcrossTests(f.path, f.source))
      .filter((s) => !RESTARTED_SERVICES.has(s.replace(/:\d+ (\S+) .*$/, ' $1')));
    expect(shared).toEqual([]);
  });

  it('R22: the check finds an id set in one test and read in the next, and not one each test sets itself', () => {
    const source = [
      "describe('cards', () => {",
      "  let cardId = '';",
      "  let clock = 'monday';",
      "  it('issues', async () => {",
      '    cardId = await issue();',
      "    clock = 'tuesday';",
      '  });',
      "  it('interviews', async () => {",
      "    clock = 'wednesday';",
      '    await interview(cardId, clock);',
      '  });',
      '});',
    ].join('\n');
    expect(sharedAcrossTests('x.test.ts', source)).toEqual([
      'x.test.ts:2 cardId (set in line 4, read in line 8)',
    ]);
  });

  it('R22: no test waits on a timer to prove something did not happen (no sleep, delay, setTimeout or waitForTimeout in a test file)', () => {
    const sleeping = files.flatMap((f) =>
      codeOnly(f.source)
        .split('\n')
        .flatMap((line, i) =>
          /\b(?:setTimeout|sleep|delay|waitForTimeout)\s*\(/.test(line)
            ? [`${f.path}:${i + 1} ${line.trim()}`]
            : [],
        ),
    );
    expect(sleeping).toEqual([]);
  });

  it('R22: no test is left focused (.only), which would silently skip the rest of its file', () => {
    const focused = files.filter((f) => /\b(?:it|test|describe)\.only\s*\(/.test(codeOnly(f.source)));
    expect(focused.map((f) => f.path)).toEqual([]);
  });
});

describe('timers run on a pinned clock (R22)', () => {
  /** Every `runDaily({ … })` call of a source, as the text of its options. */
  const runDailyCalls = (source: string): string[] => {
    const out: string[] = [];
    for (const m of source.matchAll(/\brunDaily\(\{/g)) {
      let depth = 0;
      let i = m.index + m[0].length - 1;
      for (; i < source.length; i++) {
        if (source[i] === '{') depth++;
        else if (source[i] === '}' && --depth === 0) break;
      }
      out.push(source.slice(m.index, i + 1));
    }
    return out;
  };

  it('R22: every daily run a test starts is given its moment (now), never the machine’s', () => {
    const unpinned = files.flatMap((f) =>
      runDailyCalls(codeOnly(f.source))
        .filter((call) => !/\bnow\b/.test(call))
        .map((call) => `${f.path}: ${call.replace(/\s+/g, ' ')}`),
    );
    expect(unpinned).toEqual([]);
  });

  it('R22: a test of the dev host’s own schedule (a timer function, catchUpMissed) fakes the clock', () => {
    const unpinned = files.filter((f) => {
      const code = codeOnly(f.source);
      const schedules = /\bkind:\s*'timer',\s*schedule:/.test(f.source) || /\bcatchUpMissed\(/.test(code);
      return schedules && !/\bvi\.useFakeTimers\(/.test(code);
    });
    expect(unpinned.map((f) => f.path)).toEqual([]);
  });

  it('R22: a test that fires a timer by hand starts its API on a pinned clock', () => {
    const unpinned = files.filter((f) => {
      const code = codeOnly(f.source);
      if (!/\bfireTimer\(/.test(code)) return false;
      const apis = [...code.matchAll(/\bstartApi\(([^;]*?)\);/g)].map((m) => m[1]!);
      return !/\bvi\.useFakeTimers\(/.test(code) && apis.some((args) => !/\bnow\b/.test(args));
    });
    expect(unpinned.map((f) => f.path)).toEqual([]);
  });
});
