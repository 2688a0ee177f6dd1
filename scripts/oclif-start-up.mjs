// What scripts/build.mjs changes in the copy of @oclif/core that it bundles, for deskrun's start-up
// (issue 11). Each change keeps oclif's answers and only moves or skips work that starting a command
// does not need. Found with `node --cpu-prof` and valgrind's callgrind on @oclif/core 4.x:
//
// - Inline requires. oclif is CommonJS compiled by tsc, and its modules require their dependencies at
//   the top: every command loaded the help renderer, ejs, the spinner frames, the globbing libraries
//   and `debug`. Each top-level `const x_1 = require("m")` whose uses all read a member (`x_1.name`)
//   becomes a function that requires "m" at its first use, as Metro's and Babel's lazy-require
//   transforms do. Nothing else in the module changes.
// - Plugin.load sorts each plugin's commands with localeCompare. Its first call builds ICU's collator,
//   about 10 ms on every start, for ids of lowercase words and colons. They are sorted by code unit.
// - The plugin loader matches each dependency in package.json against each `oclif.plugins` pattern with
//   minimatch, which compiled the pattern anew on each of its 50-odd calls. A pattern without any glob
//   character is compared as a string (minimatch's answer for it); any other is compiled once.
// - To tell WSL from Linux, oclif imports wsl-utils, which imports child_process (about 5 ms) for what
//   only runs on Windows. The check comes from is-wsl, as in wsl-utils itself.
// - Logger. deskrun gives oclif a silent logger unless DEBUG is set (src/lib/cli/execute.ts), so that the
//   `debug` library and its terminal checks are not loaded. Config.load made oclif's default logger
//   anyway, only to hand it to set(), which ignores it once a logger is set: it is made only when used.
//
// Each edit names the text it expects. When an update of oclif moves that text, the build fails and
// says which edit to look at again, rather than shipping a slower or different start.
import {readFile} from 'node:fs/promises'
import path from 'node:path'

/** A tsc-compiled top-level require: `const x_1 = require("m");`, maybe in __importDefault or __importStar. */
const TOP_LEVEL_REQUIRE =
  /^const (\w+_\d+) = ((?:__importDefault|__importStar)\(require\("[^"]+"\)\)|require\("[^"]+"\));$/gm

/**
 * SOURCE with each top-level require that is only ever read through a member turned into a function
 * that requires at first use. A name used any other way (passed on, re-exported) stays as it is.
 */
export function inlineRequires(source) {
  let result = source
  for (const [declaration, name, load] of source.matchAll(TOP_LEVEL_REQUIRE)) {
    const uses = source.match(new RegExp(`\\b${name}\\b`, 'g')).length - 1
    const memberReads = source.match(new RegExp(`\\b${name}\\.`, 'g'))?.length ?? 0
    if (uses === 0 || uses !== memberReads) continue
    result = result
      .replace(declaration, `let ${name}__module; const ${name}__load = () => (${name}__module ??= ${load});`)
      .replaceAll(new RegExp(`\\b${name}\\.`, 'g'), `(${name}__load()).`)
  }
  return result
}

/** Edits of single files of oclif, by path below @oclif/core/lib. */
export const EDITS = {
  'config/plugin.js': [
    {
      what: 'sort commands by code unit, without building the ICU collator',
      from: '.sort((a, b) => a.id.localeCompare(b.id))',
      to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
    },
  ],
  'logger.js': [
    {
      what: "make oclif's default logger only when no logger is set, as set() would ignore it",
      from: 'else {\n        set(makeLogger(OCLIF_NS));\n    }',
      to: "else if (!cachedLoggers.has('root')) {\n        set(makeLogger(OCLIF_NS));\n    }",
    },
  ],
}

/** The source of oclif's lib/RELATIVE as deskrun bundles it: requires inlined, edits made. */
export function trimOclifSource(relative, source) {
  let result = inlineRequires(source)
  for (const {what, from, to} of EDITS[relative] ?? []) {
    if (!result.includes(from))
      throw new Error(
        `@oclif/core changed: lib/${relative} no longer has \`${from}\` (${what}). See scripts/oclif-start-up.mjs.`,
      )
    result = result.replace(from, to)
  }
  return result
}

/**
 * The minimatch that oclif's plugin loader gets, given a `require` for the real one. Its source goes into
 * the bundle as it is, so it uses nothing from around it.
 */
export function pluginPatternMatch(require) {
  // Nothing for minimatch to expand: path segments of letters, digits, @ . - and _, none of them `.` or
  // `..`, and no leading `!` (negation) or `#` (comment).
  const literal = /^(?!\.\.?(?:\/|$))[\w@.-]+(?:\/(?!\.\.?(?:\/|$))[\w@.-]+)*$/
  const compiled = new Map()
  function minimatch(name, pattern, options) {
    if (options === undefined && literal.test(pattern) && literal.test(name)) return name === pattern
    const {Minimatch} = require('minimatch')
    if (options !== undefined) return new Minimatch(pattern, options).match(name)
    if (!compiled.has(pattern)) compiled.set(pattern, new Minimatch(pattern))
    return compiled.get(pattern).match(name)
  }
  return {minimatch}
}

/** Modules oclif imports that the bundle replaces: by importer (below @oclif/core/lib) and import. */
const SUBSTITUTES = [
  {
    importer: 'config/plugin-loader.js',
    specifier: 'minimatch',
    contents: `module.exports = (${pluginPatternMatch})(require)`,
  },
  {
    importer: 'util/os.js',
    specifier: 'wsl-utils',
    contents: `export {default as isWsl} from 'is-wsl'
      export const powerShellPath = async (...args) => (await import('wsl-utils')).powerShellPath(...args)`,
  },
]

const OCLIF_LIB = /[\\/]@oclif[\\/]core[\\/]lib[\\/]/

/** The esbuild plugin that bundles oclif with the changes above. */
export const oclifStartUp = {
  name: 'oclif-start-up',
  setup(build) {
    build.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/}, async ({path: file}) => ({
      contents: trimOclifSource(file.split(OCLIF_LIB)[1].replaceAll('\\', '/'), await readFile(file, 'utf8')),
      loader: 'js',
      resolveDir: path.dirname(file),
    }))
    for (const substitute of SUBSTITUTES)
      build.onResolve({filter: new RegExp(`^${substitute.specifier}$`)}, async (args) => {
        if (args.importer.split(OCLIF_LIB)[1]?.replaceAll('\\', '/') !== substitute.importer) return undefined
        // What the substitute imports resolves from the folder of the package it stands in for.
        const real = await build.resolve(substitute.specifier, {kind: args.kind, resolveDir: args.resolveDir})
        if (real.errors.length > 0) return {errors: real.errors}
        const resolveDir = path.dirname(real.path)
        return {
          path: substitute.specifier,
          namespace: 'oclif-start-up',
          pluginData: {...substitute, resolveDir},
        }
      })
    build.onLoad({filter: /.*/, namespace: 'oclif-start-up'}, ({pluginData: {contents, resolveDir}}) => ({
      contents,
      loader: 'js',
      resolveDir,
    }))
  },
}
