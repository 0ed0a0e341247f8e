// One Azurite for the whole test run; each test file uses its own table-name prefix.
import type { TestProject } from 'vitest/node';
import './provided.js';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';

let azurite: RunningAzurite | undefined;

export async function setup(project: TestProject): Promise<void> {
  azurite = await startAzurite();
  project.provide('azuriteConnectionString', azurite.connectionString);
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}
