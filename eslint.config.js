// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Inner layers may not import outer ones: `core` imports nothing of ours. */
const layers = {
  core: [],
  journal: ['core'],
  store: ['core', 'journal'],
  erpnext: ['core'],
  sync: ['core', 'journal', 'store', 'erpnext'],
  sim: ['core'],
  receipt: ['core'],
  pos: ['core', 'journal', 'store', 'receipt'],
  server: ['core', 'journal', 'store', 'erpnext', 'sync', 'receipt', 'pos'],
  web: ['core'],
};
const all = [
  'core',
  'journal',
  'store',
  'erpnext',
  'sync',
  'sim',
  'receipt',
  'pos',
  'server',
  'web',
  'cli',
];

const boundaryRules = Object.entries(layers).map(([layer, allowed]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: all
          .filter((other) => other !== layer && !allowed.includes(other))
          .map((other) => ({
            // `./…` is the module's own subfolder (src/sim/erpnext is not src/erpnext).
            group: [`**/${other}/*`, `**/${other}`, '!./**'],
            message: `src/${layer} may not import src/${other} (see DEVELOPERS.md, Architecture).`,
          })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object, not an enum.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'core/ is pure: no I/O.' },
        { name: 'process', message: 'core/ is pure: no I/O.' },
      ],
    },
  },
  ...boundaryRules,
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
