// Lint enforces the import boundaries of ARCHITECTURE.md, so they do not depend on memory:
//  - 'electron' only in main/shell/** and preload/**
//  - shared/** imports nothing from Node, the DOM frameworks, Electron, main/ or renderer/
//  - renderer/** never imports main/** or Node
//  - main/** never imports renderer/**
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];
const electronOnlyInShell = { name: 'electron', message: "Only main/shell and preload may import 'electron' (see ARCHITECTURE.md)." };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'portal-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  {
    files: ['main/shell/**', 'preload/**', 'test/unit/shell/**', 'test/stubs/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['main/**'],
    ignores: ['main/shell/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnlyInShell],
        patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }],
      }],
    },
  },
  {
    files: ['shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronOnlyInShell, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs in every process: no Node modules.' }))],
        patterns: [
          { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'shared/ imports only shared/ and pure libraries.' },
          { group: ['react', 'react-dom', 'react/*'], message: 'shared/ has no UI code.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [electronOnlyInShell, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node modules.' }))],
        patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'The renderer talks to the core only through api.call (renderer/api).' }],
      }],
    },
  },
);
