import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

/**
 * The layers, each importing only those below it: cli (src/commands, src/lib/cli) -> app (one function
 * per command, doctor) -> pipeline (listr2 steps) -> adapters (tools, config store, locks, credential
 * reading, plugin loading, downloads, host facts) -> domain (pure: modes, ARC values, installations,
 * config format, the plan). Only adapters/tools/exec.ts starts processes.
 */
const above = {
  domain: ['adapters', 'pipeline', 'app', 'cli'],
  adapters: ['pipeline', 'app', 'cli'],
  pipeline: ['app', 'cli'],
  app: ['cli'],
}
const processes = ['execa', 'node:child_process'].map((name) => ({
  name,
  message: 'Only src/lib/adapters/tools/exec.ts starts processes: go through the tool adapters.',
}))
// @oclif/core's index loads all of oclif (and checks Node's version with semver) before anything runs:
// deskrun imports the parts it uses (@oclif/core/command, /flags, ...), which start faster.
const oclifIndex = {
  name: '@oclif/core',
  message:
    "Import from @oclif/core's parts (@oclif/core/flags, /errors, /ux, /command...): its index loads all of oclif.",
  allowTypeImports: true,
}
const layerRules = (layer, extraPaths = []) => ({
  files: [`src/lib/${layer}/**/*.ts`],
  ignores: ['src/lib/adapters/tools/exec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [...processes, oclifIndex, ...extraPaths],
        patterns: [
          {
            group: above[layer].flatMap((name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`]),
            message: `src/lib/${layer} may not import a layer above it (${above[layer].join(', ')}).`,
          },
        ],
      },
    ],
  },
})
const domainIo = ['node:fs', 'node:fs/promises', 'proper-lockfile', 'write-file-atomic', 'listr2'].map(
  (name) => ({name, message: 'The domain is pure: I/O belongs in src/lib/adapters.', allowTypeImports: true}),
)

export default tseslint.config(
  {
    ignores: [
      '**/*.generated.js',
      'dist/**',
      'examples/*/dist/**',
      'node_modules/**',
      'tmp/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
    },
  },
  {
    // Rules that need the types: promises that nobody awaits or that go where a plain callback is
    // expected, awaiting what is no promise, throwing what is no Error.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['execa', 'node:child_process', 'node:fs', 'node:fs/promises'].map((name) => ({
              name,
              message: 'Commands stay thin: put I/O in src/lib.',
            })),
            oclifIndex,
          ],
          patterns: [
            {
              group: ['app', 'pipeline'].flatMap((layer) => [`../lib/${layer}/*`, `../../lib/${layer}/*`]),
              allowTypeImports: true,
              message:
                'A command imports its app module in run(), after this.parse (await import(...)): `deskrun <command> --help` and a mistyped flag then load none of it.',
            },
          ],
        },
      ],
    },
  },
  layerRules('domain', domainIo),
  layerRules('adapters'),
  layerRules('pipeline'),
  layerRules('app'),
  {
    files: ['src/lib/cli/**/*.ts', 'src/hooks/**/*.ts', 'src/*.ts'],
    rules: {'no-restricted-imports': ['error', {paths: [...processes, oclifIndex]}]},
  },
  {
    // Tests dig into JSON from the tools, and chai asserts with property expressions.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-expressions': 'off'},
  },
  {
    files: [
      'test/fake-tools/**/*.js',
      'test/fixtures/**/*.js',
      'bin/**/*.js',
      'examples/**/*.js',
      'bench/**/*.mjs',
      'scripts/**/*.mjs',
    ],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        structuredClone: 'readonly',
        URL: 'readonly',
      },
    },
  },
  prettier,
)
