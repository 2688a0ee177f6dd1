import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'examples/*/dist/**', 'node_modules/**', 'tmp/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: ['execa', 'node:child_process', 'node:fs', 'node:fs/promises'].map((name) => ({
            name,
            message: 'Commands stay thin: put I/O in src/lib.',
          })),
        },
      ],
    },
  },
  {
    // Tests dig into JSON from the tools, and chai asserts with property expressions.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off'},
  },
  {
    files: ['test/fake-tools/**/*.js', 'bin/**/*.js', 'examples/**/*.js', 'bench/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        structuredClone: 'readonly',
      },
    },
  },
  prettier,
)
