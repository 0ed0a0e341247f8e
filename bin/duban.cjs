#!/usr/bin/env node
// The `duban` command. Runs the compiled JavaScript in dist/cli/ (built by `npm install`'s `prepare`
// and by `npm run build`, bin/build-cli.mjs). A bundle whose sources changed since it was built (a
// developer edited functions/ after the install) is never run: the sources run through tsx instead, so the
// command always does what the code in the working tree says. DUBAN_REQUIRE_COMPILED=1 turns that
// fallback into an error (CI checks that the command is compiled right after install).
//
// CommonJS on purpose: `duban --help` (and `duban` alone) prints the help text the build took from the
// bundle (dist/cli/help.txt) without starting Node's ES module loader or the process's stdout
// stream, so it starts in about the time of a bare `node`. That text is printed only while its one
// source, functions/cli/main.ts, is the one built (staleness.cjs `currentHelp`); otherwise the code
// answers, compiled or through tsx. Every other command loads the bundle.
'use strict';
const { writeSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { bundleStaleness, currentHelp, CLI_DIST } = require('./staleness.cjs');

const argv = process.argv.slice(2);
// The same test as functions/cli/main.ts `main`: the first argument other than --verbose.
const [name] = argv.filter((a) => a !== '--verbose');
const help = !name || name === 'help' || name === '--help' || name === '-h' ? currentHelp() : null;
if (help !== null) {
  writeOut(help.endsWith('\n') ? help : `${help}\n`);
  // As main: the help asked for is a success; a bare `duban` is a usage error that shows it.
  process.exitCode = name ? 0 : 2;
} else {
  // A failure the command did not turn into its own message is printed by Node, exit code 1.
  void run().then((code) => {
    process.exitCode = code;
  });
}

/**
 * Writes to standard output straight to its descriptor. A reader that stopped early (EPIPE) or an
 * output closed from the start (EBADF) is not an error; a descriptor the parent made non-blocking
 * (EAGAIN) gets the rest through the stream. On Windows the stream is used throughout: a console
 * there takes text through the stream's UTF-16 path, and raw UTF-8 bytes would show the Chinese
 * garbled in a code page such as 936.
 */
function writeOut(text) {
  if (process.platform === 'win32') {
    streamOut(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  try {
    while (at < bytes.length) at += writeSync(1, bytes, at);
  } catch (e) {
    if (e.code === 'EAGAIN') streamOut(bytes.subarray(at));
    else if (e.code !== 'EPIPE' && e.code !== 'EBADF') throw e;
  }
}

/** Through the stream, a reader that stopped early (EPIPE) still no error. */
function streamOut(data) {
  process.stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
  process.stdout.write(data);
}

async function run() {
  // A reader that stops early (`duban ledger 台账.xlsx | head`) closes the pipe: the output it did not
  // want is not an error, and no stack trace is printed for it. The command still runs to its end (a
  // run-daily half done because its log was cut would be worse) and exits with its own code.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
      stream.write = (_chunk, _encoding, done) => {
        (typeof _encoding === 'function' ? _encoding : done)?.();
        return true;
      };
    });
  const stale = bundleStaleness();
  if (stale !== null && process.env.DUBAN_REQUIRE_COMPILED === '1') {
    process.stderr.write(
      `duban：编译版本不可用：${stale}；请运行 npm run build:cli（npm install 会自动编译）\n`,
    );
    return 2;
  }
  let main;
  if (stale === null) {
    ({ main } = await import(pathToFileURL(join(CLI_DIST, 'duban.mjs')).href));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import(pathToFileURL(join(__dirname, '..', 'functions', 'cli', 'main.ts')).href));
  }
  return main(argv);
}
