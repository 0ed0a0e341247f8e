// The Excel adapter: every Excel.* call of the add-in lives in addin/src/excel/, and this is its entry.
// A command reads once (one context.sync, read.ts), decides with shared/ and the backend, then writes
// once (one more context.sync, write.ts): two syncs whatever the number of rows. Writes are split into
// more syncs only when one batch would pass Excel on the web's 5 MB request limit.
export * from './host.js';
export * from './read.js';
export * from './write.js';
export * from './roundupSheet.js';
