// Lint: typescript-eslint's recommended rules, plus the one rule of the house:
// shared/ is the pure domain and imports nothing of Node, Office, Azure or HTTP.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.azurite/**', 'test-output/**', '*/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['bin/**/*.mjs', 'addin/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The command's entry and what it checks before loading anything (bin/duban.cjs): CommonJS.
    files: ['bin/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // plain ES5 scripts the add-in's pages load as they are (no bundler)
    files: ['addin/src/**/*.js'],
    languageOptions: { ecmaVersion: 5, sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'os', 'child_process'],
              message: 'shared/ is pure: no Node imports.',
            },
            {
              group: ['@azure/*', 'exceljs', 'nodemailer', '@microsoft/*', 'office-*'],
              message: 'shared/ is pure: no Azure, Office or I/O imports.',
            },
            {
              group: ['../addin/*', '../functions/*', '../../addin/*', '../../functions/*'],
              message: 'shared/ must not depend on the adapters.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'fetch', 'Office', 'Excel', 'require'],
    },
  },
  {
    // The backend's layers: http → services → storage, notify → shared. A handler never imports
    // another handler (what two share is a service), and nothing below http/ imports it.
    files: ['functions/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                './*',
                '!./adapter.js',
                '!./auth.js',
                '!./route.js',
                '!./common.js',
                '!./channelSecrets.js',
                '!./feedbackForm.js',
                '!./feedbackPage.js',
              ],
              message:
                'A handler does not import another handler: move the shared work to functions/services/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/services/**/*.ts', 'functions/storage/**/*.ts', 'functions/notify/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../http/*', '../../http/*'], message: 'Only the hosts and the CLI import http/.' },
          ],
        },
      ],
    },
  },
);
