#!/usr/bin/env node
// Compiles src/ into dist/. Start-up is felt on every command and by shell completion, and Node 20 spends
// most of it finding, reading and compiling modules one by one, and keeps no compiled code between runs.
//
// - dist/cli.cjs: what bin/run.js runs, in one CommonJS file: @oclif/core (with the changes of
//   scripts/oclif-start-up.mjs), execute(), the commands, hooks and help class, and the libraries they share.
//   A CommonJS file can be compiled with V8's code cache, which an ES module cannot (src/lib/cli/load-cli.ts
//   does that). What a module loads with `await import(...)` runs only when asked for. The heavy libraries
//   (HEAVY) stay out of it: they load from node_modules where a command uses them, so that a start without a
//   code cache (the first after an update) has less to compile.
// - dist/commands/, dist/hooks/, dist/help.js: ES modules of a few lines that take the module from
//   dist/cli.cjs. oclif finds commands, hooks and the help class by these paths (package.json, the
//   manifest), and so do `oclif manifest` and `oclif readme`.
// - dist/index.js: the public API for plugins (types, and helpers for their tests), an ES module of its own.
// - dist/lib/cli/load-cli.js, which bin/run.js loads first: Node's own modules and one constant of deskrun.
//
// tsc still checks the types and writes the .d.ts files of the public API (tsconfig.build.json);
// `npm run build` runs both, then `oclif manifest`.
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

import {oclifStartUp} from './oclif-start-up.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const BUILD_META = path.join(root, 'node_modules', '.cache', 'deskrun', 'build-meta.json')
const CLI = 'dist/cli.cjs'

/**
 * Libraries that only deploying, checking tools or writing the config needs (test/smoke/startup.test.ts
 * checks that the quick commands load none of them), and TypeScript, which oclif loads only to run a linked
 * plugin's sources.
 */
const HEAVY = [
  'execa',
  'listr2',
  'yaml',
  'ajv',
  'kubernetes-models',
  '@kubernetes-models/*',
  'write-file-atomic',
  'proper-lockfile',
  'typescript',
]

/** Every .ts file below src/DIR, as a path below src/ (commands live in folders by topic). */
const tsFiles = (dir) =>
  readdirSync(path.join(root, 'src', dir), {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(path.join(root, 'src'), path.join(entry.parentPath, entry.name)))

/** A module of dist/cli.cjs that others ask for: its source below src/, and its path (name) in dist/. */
const named = (source) => {
  const file = source.split(path.sep).join('/')
  return {source: file, name: file.replace(/\.ts$/, '.js')}
}
/** The ones oclif asks for by path (package.json, the manifest): each has its ES module in dist/. */
const byPath = [...tsFiles('commands'), ...tsFiles('hooks'), 'help.ts'].map(named)
/** ...and execute(), which bin/run.js asks dist/cli.cjs for itself. */
const modules = [...byPath, named('lib/cli/execute.ts')]

const common = {absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', logLevel: 'warning'}

// import() in code that vm.Script compiled needs importModuleDynamically, which Node 20 has only behind
// --experimental-vm-modules. The bundle's import() calls (oclif's of commands, hooks and plugins by absolute
// file URL; deskrun's of the libraries that are ES modules only) go through `__deskrunImport`, which
// load-cli.ts passes in; under Node's own require() (`oclif manifest`) the bundle uses its own import().
const IMPORT = `const __cliImport = typeof __deskrunImport === 'function' ? __deskrunImport : (specifier) => import(specifier);`
const IMPORT_CALL = /(?<![\w$.])import\((?!\))/g

const {metafile} = await build({
  ...common,
  stdin: {
    contents: [
      'const modules = {',
      ...modules.map(
        ({source, name}) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(`./src/${source}`)}),`,
      ),
      '}',
      '/** The module of dist/ at NAME (e.g. commands/list.js), as import() would give it. */',
      'exports.load = (name) => modules[name]()',
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'cli.cjs',
    loader: 'js',
  },
  outfile: CLI,
  format: 'cjs',
  sourcemap: true,
  external: HEAVY,
  // The sources that require() a library from an ES module ask for their own URL: src/lib/domain/yaml.ts
  // and the validators that `npm run schema` writes (ajv's runtime helpers).
  define: {'import.meta.url': '__cliUrl'},
  banner: {js: `${IMPORT} const __cliUrl = require('node:url').pathToFileURL(__filename).href;`},
  plugins: [oclifStartUp],
  metafile: true,
})

// The banner is the first line: the import() there is the one to keep. Then only ASCII (load-cli.ts reads
// the file as latin1, without decoding UTF-8): esbuild escapes all else but a few characters in regular
// expressions, where the escape means the same. The last line is a hash of the rest, which names the code
// cache (V8 itself compares only the source's length).
const output = readFileSync(path.join(root, CLI), 'utf8')
const firstLine = output.indexOf('\n') + 1
const code = `${output.slice(0, firstLine)}${output
  .slice(firstLine)
  .replace(IMPORT_CALL, '__cliImport(')
  .replaceAll(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`
writeFileSync(path.join(root, CLI), `${code}// ${createHash('sha256').update(code).digest('hex')}\n`)

// Each module that oclif asks for by path, as an ES module that takes it from dist/cli.cjs.
for (const {name} of byPath) {
  const file = path.join(root, 'dist', name)
  mkdirSync(path.dirname(file), {recursive: true})
  const cli = path.relative(path.dirname(file), path.join(root, CLI)).split(path.sep).join('/')
  writeFileSync(
    file,
    [
      `// Built by scripts/build.mjs: src/${name.replace(/\.js$/, '.ts')} is in dist/cli.cjs.`,
      "import {createRequire} from 'node:module'",
      `const module = await createRequire(import.meta.url)(${JSON.stringify(cli.startsWith('.') ? cli : `./${cli}`)}).load(${JSON.stringify(name)})`,
      'export default module.default',
      '',
    ].join('\n'),
  )
}

await build({
  ...common,
  entryPoints: ['src/index.ts', 'src/lib/cli/load-cli.ts'],
  outdir: 'dist',
  outbase: 'src',
  format: 'esm',
  sourcemap: true,
  external: HEAVY,
})

// Which sources went into dist/cli.cjs and what imports what: test/smoke/startup.test.ts tells from it what
// a command loads before it runs, now that the sources are no separate modules.
mkdirSync(path.dirname(BUILD_META), {recursive: true})
writeFileSync(BUILD_META, JSON.stringify(metafile))
