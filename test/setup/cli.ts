// The `duban` command the tests run is the compiled one, as `npm install` leaves it: built once here,
// before any test file starts (never while one runs it), when it is missing or older than its sources.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CliBuild {
  bundleStaleness(): string | null;
  buildCli(): Promise<unknown>;
}

export async function setup(): Promise<void> {
  const script = join(import.meta.dirname, '..', '..', 'bin', 'build-cli.mjs');
  const { bundleStaleness, buildCli } = (await import(pathToFileURL(script).href)) as CliBuild;
  if (bundleStaleness() !== null) await buildCli();
}
