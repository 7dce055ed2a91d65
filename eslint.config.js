// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Import direction is the architecture (DESIGN.md section 7): shared/ imports neither side,
 * renderer/ never imports main/, and only main/electron/ imports electron.
 */
const noElectron = { name: 'electron', message: 'Only main/electron/ may import electron.' };
const layer = (patterns, message) => ({
  'no-restricted-imports': [
    'error',
    { paths: [noElectron], patterns: [{ group: patterns, message }] },
  ],
});

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/artifacts/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: layer(
      ['**/main/**', '**/renderer/**', 'node:*', 'electron', 'react', 'react-dom'],
      'shared/ is pure: it imports neither main/, renderer/, Node nor Electron.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer(
      ['**/main/**', 'node:*'],
      'renderer/ talks to main only through window.custodian.',
    ),
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: layer(['**/renderer/**'], 'main/ never imports the renderer.'),
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }] },
      ],
    },
  },
);
