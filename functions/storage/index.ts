// Table Storage for the backend: one module per kind of record; the key design is in README.md beside this file.
export * from './client.js';
export * from './keys.js';
export * from './config.js';
export * from './tasks.js';
export * from './events.js';
export * from './units.js';
export * from './counters.js';
export * from './records.js';
export * from './large.js';
export * from './links.js';
export * from './clerks.js';
export * from './parallel.js';
export * from './dailyRuns.js';
