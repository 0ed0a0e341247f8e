// The office's documents as plain content (see content.ts); rendered to .docx by functions/documents.
export * from './content.js';
export * from './letter.js';
export * from './roundupReport.js';
export * from './redCard.js';
