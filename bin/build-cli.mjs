#!/usr/bin/env node
// Compiles the `duban` command (functions/cli/main.ts and what it imports) to JavaScript in dist/cli/,
// so that the command starts without compiling TypeScript on every run. Run by `npm install`/`npm ci`
// (the `prepare` script) and by `npm run build`. Each sub-command stays its own chunk, loaded only when
// that command runs; packages stay in node_modules (external). dist/cli/inputs.json lists the sources
// the bundle was made from, so bin/duban.cjs can tell a bundle older than its sources; dist/cli/help.txt is the help
// text `duban --help` prints without loading the bundle.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path, { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_DIST, HELP_SOURCE, bundleStaleness, currentHelp } from './staleness.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export { CLI_DIST, HELP_SOURCE, bundleStaleness, currentHelp };

/**
 * The key a source is recorded under in inputs.json: its path from the root, with "/" on every system
 * (bin/staleness.cjs looks the help's source up as `functions/cli/main.ts`, Windows included).
 */
export function inputKey(base, source, paths = path) {
  return paths.relative(base, paths.join(base, source)).split(paths.sep).join('/');
}

export async function buildCli() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // An install without dev dependencies: the command then runs its sources through tsx.
    console.warn('duban: esbuild 未安装（未安装开发依赖），命令将直接运行 TypeScript 源码（较慢）');
    return null;
  }
  // Chunks of an earlier build would otherwise pile up: the directory holds only this build.
  rmSync(CLI_DIST, { recursive: true, force: true });
  mkdirSync(CLI_DIST, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { duban: join(root, 'functions', 'cli', 'main.ts') },
    outdir: CLI_DIST,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => inputKey(root, p))
    .filter((p) => !p.startsWith('node_modules'))
    .sort();
  // package-lock.json: the packages the bundle imports are the ones installed with it.
  const recorded = Object.fromEntries(
    [...inputs, 'package-lock.json'].map((p) => [
      p,
      statSync(join(root, p), { throwIfNoEntry: false })?.mtimeMs ?? null,
    ]),
  );
  // `duban --help` prints this file without loading the bundle (bin/duban.cjs): the text is the
  // bundle's own HELP, taken from what was just built (a fresh URL each build: never a cached one).
  const bundle = pathToFileURL(join(CLI_DIST, 'duban.mjs'));
  bundle.search = `?built=${Date.now()}`;
  writeFileSync(join(CLI_DIST, 'help.txt'), (await import(bundle.href)).HELP);
  // Written last: a build cut short leaves no manifest, so the command never runs half a build.
  writeFileSync(join(CLI_DIST, 'inputs.json'), JSON.stringify({ inputs: recorded }));
  return { dir: CLI_DIST, files: readdirSync(CLI_DIST).length, inputs: inputs.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildCli();
  if (built) console.log(`duban built: ${relative(root, built.dir)} (${built.inputs} sources)`);
}
