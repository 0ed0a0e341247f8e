// Whether the compiled `duban` in dist/cli/ may run, and whether its help text is current:
// CommonJS, so that the command's entry (bin/duban.cjs) checks it without starting Node's ES module
// loader, which a bare `duban --help` never needs. bin/build-cli.mjs records what it checks.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
// dist/cli is two levels below the root, like functions/cli: the command finds local.settings.json
// relative to its own file (functions/cli/config.ts REPO_ROOT), and that must hold in the bundle too.
const CLI_DIST = join(root, 'dist', 'cli');

/**
 * Why the compiled command cannot be used — not built, or one of its sources (or the installed
 * packages) changed since — or null when it is current. Each source's modification time is compared
 * with the one recorded at the build (not with the clock, which `faketime` may pin).
 */
function bundleStaleness(dist = CLI_DIST, base = root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dist, 'inputs.json'), 'utf8'));
  } catch {
    return '未编译（dist/cli 不存在）';
  }
  for (const [input, built] of Object.entries(manifest.inputs)) {
    // One stat per source (about 100): three milliseconds, against the half second tsx would cost.
    const mtime = statSync(join(base, input), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime !== built) return `源文件 ${input} 在编译之后有改动`;
  }
  return null;
}

/** The source of the help text: a literal in it, with nothing substituted (a test holds it to that). */
const HELP_SOURCE = 'functions/cli/main.ts';

/**
 * The help text of the build (dist/cli/help.txt), or null when it may not be the code's: not built, or
 * its one source changed since. One stat, not one per source: printing the help runs none of the rest.
 */
function currentHelp(dist = CLI_DIST, base = root) {
  try {
    const built = JSON.parse(readFileSync(join(dist, 'inputs.json'), 'utf8')).inputs[HELP_SOURCE];
    const mtime = statSync(join(base, HELP_SOURCE), { throwIfNoEntry: false })?.mtimeMs;
    if (built === undefined || mtime !== built) return null;
    return readFileSync(join(dist, 'help.txt'), 'utf8');
  } catch {
    return null;
  }
}

module.exports = { CLI_DIST, HELP_SOURCE, bundleStaleness, currentHelp };
