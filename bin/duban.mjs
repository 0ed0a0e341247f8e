#!/usr/bin/env node
// The `duban` command. Runs the compiled JavaScript in dist/cli/ (built by `npm install`'s `prepare`
// and by `npm run build`, bin/build-cli.mjs). A bundle whose sources changed since it was built (a
// developer edited functions/ after the install) is never run: the sources run through tsx instead, so the
// command always does what the code in the working tree says. DUBAN_REQUIRE_COMPILED=1 turns that
// fallback into an error (CI checks that the command is compiled right after install).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleStaleness, CLI_DIST } from './build-cli.mjs';

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
let main;
if (stale === null) {
  ({ main } = await import(pathToFileURL(join(CLI_DIST, 'duban.mjs')).href));
} else if (process.env.DUBAN_REQUIRE_COMPILED === '1') {
  process.stderr.write(
    `duban：编译版本不可用：${stale}；请运行 npm run build:cli（npm install 会自动编译）\n`,
  );
  process.exit(2);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../functions/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
