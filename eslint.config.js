import js from '@eslint/js';
import { dirname, join, normalize, relative, sep } from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * The engine's floor plan (docs/architecture.md): each src/main folder and the folders it may import, lowest floor
 * first. A folder always may import itself and src/shared; anything else is an error naming the forbidden import.
 * engine/kernel and engine/host are separate floors: capabilities stand on the kernel, the host composes them.
 */
export const FLOORS = {
  util: [],
  race: ['util'],
  'engine/kernel': ['util'],
  data: ['race', 'util', 'engine/kernel'],
  compute: ['data', 'util'],
  registry: ['data', 'util'],
  features: ['data', 'race', 'util', 'engine/kernel'],
  tyres: ['compute', 'data', 'race', 'util', 'engine/kernel'],
  monitoring: ['features', 'data', 'util', 'engine/kernel'],
  models: ['tyres', 'features', 'monitoring', 'registry', 'compute', 'data', 'race', 'util', 'engine/kernel'],
  training: ['models', 'tyres', 'features', 'monitoring', 'registry', 'compute', 'data', 'race', 'util'],
  strategy: ['tyres', 'registry', 'compute', 'data', 'race', 'util', 'engine/kernel'],
  replay: ['data', 'race', 'util', 'engine/kernel'],
  commentary: ['replay', 'data', 'race', 'util', 'engine/kernel'],
  timing: ['data', 'race', 'util'],
  update: ['timing', 'monitoring', 'features', 'data', 'race', 'util', 'engine/kernel'],
  live: ['timing', 'update', 'commentary', 'replay', 'strategy', 'models', 'monitoring', 'tyres', 'features', 'data', 'race', 'util', 'engine/kernel'],
  'engine/host': ['live', 'timing', 'update', 'commentary', 'replay', 'strategy', 'training', 'models', 'monitoring', 'tyres', 'features', 'registry', 'compute', 'data', 'race', 'util', 'engine/kernel'],
  server: ['engine/host', 'engine/kernel', 'monitoring', 'data', 'util'],
  cli: ['server', 'engine/host', 'live', 'timing', 'update', 'commentary', 'replay', 'strategy', 'training', 'models', 'monitoring', 'tyres', 'features', 'registry', 'compute', 'data', 'race', 'util', 'engine/kernel'],
  app: ['server', 'engine/host', 'engine/kernel', 'data', 'util'],
};

/** The floor of a path relative to the project root (src/main/<floor>/…), or null outside src/main. */
export function floorOf(path) {
  const rel = normalize(path).split(sep).join('/');
  const m = /^src\/main\/(engine\/[^/]+|[^/]+)\//.exec(rel);
  return m ? m[1] : null;
}

const floorsRule = {
  meta: { type: 'problem', messages: { up: 'src/main/{{from}} may not import {{to}} ("{{spec}}"): the floor plan (eslint.config.js FLOORS) allows {{allowed}}.' } },
  create(context) {
    const file = relative(context.cwd, context.filename);
    const from = floorOf(file);
    if (!from || !(from in FLOORS)) return {};
    const allowed = new Set([from, ...FLOORS[from]]);
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = floorOf(join(dirname(file), spec));
      if (to && !allowed.has(to))
        context.report({ node, messageId: 'up', data: { from, to, spec, allowed: [...allowed].slice(1).join(', ') || 'nothing' } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};
/** No import() of the project's own modules with a computed specifier: lint, tsc and readers must see every edge. */
const literalImportsRule = {
  meta: { type: 'problem', messages: { computed: 'import() needs a literal specifier, so the import graph stays visible (list the modules in code).' } },
  create(context) {
    return {
      ImportExpression: (n) => {
        const s = n.source;
        if (s.type === 'Literal' || (s.type === 'TemplateLiteral' && s.expressions.length === 0)) return;
        context.report({ node: n, messageId: 'computed' });
      },
    };
  },
};
const floors = {
  files: ['src/main/**/*.ts'],
  ignores: ['src/main/**/*.test.ts', 'src/main/**/testing/**'],
  plugins: { pitwall: { rules: { floors: floorsRule, 'literal-imports': literalImportsRule } } },
  rules: { 'pitwall/floors': 'error', 'pitwall/literal-imports': 'error' },
};

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
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'resources/**', 'models/**', '.stryker-tmp/**', 'reports/**'] },
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
  floors,
  sharedIsPure,
  rendererNoEngine,
);
