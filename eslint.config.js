// One lint setup for the whole repository. The `zones` below make the process boundaries of
// DESIGN.md a lint error: what a folder may import is written here once.
import js from '@eslint/js';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import noUntranslatedText from './apps/desktop/scripts/noUntranslatedText.js';

const node = (names) => names.map((name) => ({ name, message: 'Node built-ins are not allowed here.' }));
const NODE_BUILTINS = node([
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'util',
  'events',
  'stream',
]);
const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});
const pkg = (name, message) => ({ name, message });

// "Only X may import Y" rules. Each is the import restriction under its own name, so it adds to a
// folder's zone above instead of replacing it (flat config keeps one set of options per rule).
const boundaries = {
  rules: {
    bridge: builtinRules.get('no-restricted-imports'),
    'browser-transport': builtinRules.get('no-restricted-imports'),
    server: builtinRules.get('no-restricted-imports'),
    electron: tseslint.plugin.rules['no-restricted-imports'],
  },
};
const RENDERER = 'apps/desktop/src/renderer';
/**
 * The renderer's parts whose text comes from the message catalogue (src/renderer/i18n): a
 * hard-coded string in their JSX is an error. Each feature folder joins when it is translated.
 */
const TRANSLATED = [
  'App.tsx',
  'i18n',
  'settings',
  'ui',
  'call',
  'chat',
  'people',
  'decisions',
  'recording',
  'notes',
  'captions',
  'insights',
  'e2ee',
  'media',
  'collab',
  'pages',
  'audit',
  'scim',
  'integrations',
  'browser',
  'presence',
  'session',
  'meetings',
  'experts',
  'linked',
  'streaming',
  'webinar',
  'phone',
  'whiteboard',
  'diagnostics',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '.tools/**',
      'artifacts/**',
      '.turbo/**',
      'e2e/probe/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  { plugins: { boundaries, tandem: { rules: { 'no-untranslated-text': noUntranslatedText } } } },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests.' },
      ],
    },
  },
  {
    files: ['packages/shared/**/*.ts'],
    ...{
      rules: restrict(
        [
          pkg('electron', 'shared is pure'),
          pkg('react', 'shared is pure'),
          pkg('livekit-client', 'shared is pure'),
          pkg('livekit-server-sdk', 'shared is pure'),
          pkg('better-sqlite3', 'shared is pure'),
        ],
        [{ group: ['node:*'], message: 'shared is pure TypeScript + zod: no Node built-ins.' }],
      ),
    },
  },
  {
    // Both apps import it; it imports only Node built-ins (the caller says where better-sqlite3 is).
    files: ['packages/sqlite-checkpointer/src/**/*.ts'],
    ignores: ['packages/sqlite-checkpointer/src/**/*.test.ts'],
    rules: restrict(
      [pkg('better-sqlite3', 'the caller passes where better-sqlite3 is; the worker requires it from there')],
      [{ group: ['@tandem/*', 'electron', 'react'], message: 'sqlite-checkpointer imports only Node built-ins.' }],
    ),
  },
  {
    files: ['apps/desktop/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [
        pkg('electron', 'The renderer talks to main only through its bridge module.'),
        pkg('better-sqlite3', 'Only main/db owns SQLite.'),
        ...NODE_BUILTINS,
      ],
      [
        { group: ['node:*'], message: 'The renderer is DOM only.' },
        { group: ['**/main/**', '**/preload/**'], message: 'The renderer may not import main or preload code.' },
      ],
    ),
  },
  {
    files: ['apps/desktop/src/preload/**/*.ts'],
    rules: restrict(
      [
        pkg('react', 'preload has no UI'),
        pkg('livekit-client', 'preload has no logic'),
        pkg('better-sqlite3', 'Only main/db owns SQLite.'),
      ],
      [
        {
          group: ['**/main/**', '**/renderer/**'],
          message: 'preload only exposes the IPC contract from @tandem/shared.',
        },
      ],
    ),
  },
  {
    files: ['apps/desktop/src/main/**/*.ts'],
    ignores: ['apps/desktop/src/main/db/**'],
    rules: {
      ...restrict(
        [
          pkg('react', 'main has no UI'),
          pkg('livekit-client', 'media lives in the renderer'),
          pkg('better-sqlite3', 'Only main/db owns SQLite.'),
        ],
        [{ group: ['**/renderer/**', '**/preload/**'], message: 'main may not import renderer or preload code.' }],
      ),
      'no-console': 'error',
    },
  },
  {
    files: ['apps/desktop/src/main/db/**/*.ts'],
    rules: restrict([pkg('electron', 'db runs in a worker thread and never imports electron.')]),
  },
  {
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/livekit/**', 'apps/server/src/store/**', 'apps/server/src/**/*.test.ts'],
    rules: {
      ...restrict(
        [
          pkg('livekit-server-sdk', 'Only apps/server/src/livekit imports livekit-server-sdk.'),
          pkg('better-sqlite3', 'Only apps/server/src/store touches the database.'),
          pkg('kysely', 'Only apps/server/src/store touches the database.'),
        ],
        [{ group: ['**/apps/desktop/**', '@tandem/desktop'], message: 'The server never imports the desktop app.' }],
      ),
    },
  },
  {
    files: ['apps/recorder/src/**/*.ts'],
    rules: {
      ...restrict(
        [pkg('livekit-server-sdk', 'The recorder gets its token from the server.')],
        [
          {
            group: ['**/apps/server/**', '@tandem/server', '**/apps/desktop/**', '@tandem/desktop'],
            message: 'The recorder is its own process: it speaks to the server over IPC and loads the page by URL.',
          },
        ],
      ),
      'no-console': 'error',
    },
  },
  {
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/config.ts', 'apps/server/src/main.ts', 'apps/server/src/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'config.ts is the only reader of the environment.' },
      ],
    },
  },
  {
    files: [`${RENDERER}/**/*.{ts,tsx}`],
    ignores: [`${RENDERER}/main.tsx`],
    rules: {
      'boundaries/bridge': [
        'error',
        {
          patterns: [
            {
              group: ['**/bridge.ts'],
              message:
                'Only main.tsx, the composition root, imports the bridge: take the client or a controller from props or a context main.tsx provides.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [`${RENDERER}/**/*.{ts,tsx}`],
    ignores: [`${RENDERER}/bridge.ts`],
    rules: {
      'boundaries/browser-transport': [
        'error',
        {
          patterns: [
            {
              group: ['**/browser/transport.ts', './transport.ts'],
              message: 'Only bridge.ts picks the browser transport; share types through client.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['e2e/**', 'bench/**', 'apps/server/**', 'apps/desktop/src/main/testing/**'],
    rules: {
      'boundaries/server': [
        'error',
        {
          paths: [
            pkg(
              '@tandem/server',
              'Only test support starts the real server: e2e/, bench/ and apps/desktop/src/main/testing/ (desktop tests use its realServer.ts).',
            ),
          ],
        },
      ],
    },
  },
  {
    // The renderer, the preload and main/db have stricter zones of their own above.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: [
      `${RENDERER}/**`,
      'apps/desktop/src/preload/**',
      'apps/desktop/src/main/db/**',
      'apps/desktop/src/main/index.ts',
      'apps/desktop/src/main/platform/electron.ts',
      'apps/desktop/src/main/updates/electronUpdates.ts',
    ],
    rules: {
      'boundaries/electron': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowTypeImports: true,
              message:
                'electron is imported only by main/index.ts (the composition root), main/platform/electron.ts, main/updates/electronUpdates.ts and the preload; elsewhere only its types (apps/desktop/README.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: TRANSLATED.map((part) => (part.endsWith('.tsx') ? `${RENDERER}/${part}` : `${RENDERER}/${part}/**/*.tsx`)),
    ignores: ['**/*.test.tsx'],
    rules: { 'tandem/no-untranslated-text': 'error' },
  },
);
