#!/usr/bin/env node
// Compiles src/ into dist/ as a few ES modules instead of hundreds: the commands, hooks, help class and
// public API are entry points, and what they share (deskrun's code, @oclif/core and the libraries) goes
// into chunks that each entry imports. Start-up is felt on every command and by shell completion, and
// Node 20 spends most of it finding, reading and compiling modules one by one. Heavy libraries that a
// command imports with `await import(...)` stay in chunks of their own, loaded when that code runs.
//
// tsc still checks the types and writes the .d.ts files of the public API (tsconfig.build.json);
// `npm run build` runs both, then `oclif manifest`.
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

import {oclifStartUp} from './oclif-start-up.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const BUILD_META = path.join(root, 'node_modules', '.cache', 'deskrun', 'build-meta.json')

/** Every .ts file below src/DIR (commands live in folders by topic). */
const tsFiles = (dir) =>
  readdirSync(path.join(root, 'src', dir), {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))

const {metafile} = await build({
  absWorkingDir: root,
  entryPoints: [
    ...tsFiles('commands'),
    ...tsFiles('hooks'),
    'src/help.ts',
    'src/index.ts',
    'src/lib/cli/execute.ts',
  ],
  outdir: 'dist',
  outbase: 'src',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // oclif loads TypeScript only to run a linked plugin's sources, never in deskrun's own start-up.
  external: ['typescript'],
  // Libraries written as CommonJS call require() and read __filename; in an ES module both have to be made.
  banner: {
    js: [
      "import {createRequire as __deskrunCreateRequire} from 'node:module'",
      "import {dirname as __deskrunDirname} from 'node:path'",
      "import {fileURLToPath as __deskrunFileURLToPath} from 'node:url'",
      'const require = __deskrunCreateRequire(import.meta.url)',
      'const __filename = __deskrunFileURLToPath(import.meta.url)',
      'const __dirname = __deskrunDirname(__filename)',
    ].join('; '),
  },
  plugins: [oclifStartUp],
  logLevel: 'warning',
  metafile: true,
})

// Which sources went into which file of dist/: test/smoke/startup.test.ts tells from it which libraries
// a command loads, now that they are no separate modules.
mkdirSync(path.dirname(BUILD_META), {recursive: true})
writeFileSync(BUILD_META, JSON.stringify(metafile))
