#!/usr/bin/env node
// Compiles the `duban` command (functions/cli/main.ts and what it imports) to JavaScript in dist/cli/,
// so that the command starts without compiling TypeScript on every run. Run by `npm install`/`npm ci`
// (the `prepare` script) and by `npm run build`. Each sub-command stays its own chunk, loaded only when
// that command runs; packages stay in node_modules (external). dist/cli/inputs.json lists the sources
// the bundle was made from, so bin/duban.mjs can tell a bundle older than its sources.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// dist/cli is two levels below the root, like functions/cli: the command finds local.settings.json
// relative to its own file (functions/cli/config.ts REPO_ROOT), and that must hold in the bundle too.
export const CLI_DIST = join(root, 'dist', 'cli');

/**
 * Why the compiled command cannot be used — not built, or one of its sources (or the installed
 * packages) changed since — or null when it is current. Each source's modification time is compared
 * with the one recorded at the build (not with the clock, which `faketime` may pin).
 */
export function bundleStaleness(dist = CLI_DIST, base = root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dist, 'inputs.json'), 'utf8'));
  } catch {
    return '未编译（dist/cli 不存在）';
  }
  for (const [input, built] of Object.entries(manifest.inputs)) {
    // One stat per source (about 80): a millisecond or two, against the half second tsx would cost.
    const mtime = statSync(join(base, input), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime !== built) return `源文件 ${input} 在编译之后有改动`;
  }
  return null;
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
    .map((p) => relative(root, join(root, p)))
    .filter((p) => !p.startsWith('node_modules'))
    .sort();
  // package-lock.json: the packages the bundle imports are the ones installed with it.
  const recorded = Object.fromEntries(
    [...inputs, 'package-lock.json'].map((p) => [
      p,
      statSync(join(root, p), { throwIfNoEntry: false })?.mtimeMs ?? null,
    ]),
  );
  writeFileSync(join(CLI_DIST, 'inputs.json'), JSON.stringify({ inputs: recorded }));
  return { dir: CLI_DIST, files: readdirSync(CLI_DIST).length, inputs: inputs.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildCli();
  if (built) console.log(`duban built: ${relative(root, built.dir)} (${built.inputs} sources)`);
}
