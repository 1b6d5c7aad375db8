import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layering (VS Code style): folder names state the runtime; imports point inward.
const noElectronInEngine = {
  files: ['src/main/**/*.ts'],
  ignores: ['src/main/app/**'],
  rules: {
    'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/app may import electron.' }] }],
  },
};
const sharedIsPure = {
  files: ['src/shared/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: ['node:*', 'electron', 'react', '**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports nothing platform-specific.' }] },
    ],
  },
};
const rendererNoEngine = {
  files: ['src/renderer/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: ['node:*', 'electron', '**/main/**', '**/preload/**'], message: 'The renderer talks to the engine only through src/shared and its api client.' }] },
    ],
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'resources/**', 'models/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', Buffer: 'readonly', window: 'readonly', document: 'readonly', fetch: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', WebSocket: 'readonly', navigator: 'readonly', localStorage: 'readonly', KeyboardEvent: 'readonly', HTMLElement: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  noElectronInEngine,
  sharedIsPure,
  rendererNoEngine,
);
