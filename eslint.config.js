// Lint rules catch mistakes; layout is prettier's job (.prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-sea/**', '**/node_modules/**', 'test/vectors/**', 'test/corpus/bad-inputs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Control characters in patterns are deliberate: hostile input and Go's escaping rules are about them.
      'no-control-regex': 'off',
      'prefer-const': ['error', { destructuring: 'all' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  // The launchers are CommonJS so they run before any bundle loads.
  { files: ['packages/cli/bin/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests poke at arbitrary JSON from servers and processes.
  { files: ['test/**', 'packages/*/test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
