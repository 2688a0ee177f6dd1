/**
 * What the quick commands load. Start-up is felt on every command and by shell completion, so the
 * libraries that only deploying, checking tools or writing the config needs must stay out of them.
 * No timing here: `npm run bench` (bench/startup.mjs) measures. Runs the build (bin/run.js): the
 * heavy libraries load from node_modules, where the records see them; the light ones are inside
 * dist/cli.cjs, and the build's record (scripts/build.mjs) says what imports what in there.
 */
import {execFile} from 'node:child_process'
import {readdir, readFile, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'

import {expect} from 'chai'

import {REPO_ROOT} from '../helpers/fake-tools.js'
import {sandbox, type Sandbox} from '../cli/support.js'

/** esbuild's record of dist/cli.cjs: the sources in it, and what each imports. */
interface Meta {
  inputs: Record<string, {imports: {path: string; kind: string; external?: boolean}[]}>
  outputs: Record<string, {inputs: Record<string, unknown>}>
}
const BUILD_META = path.join(REPO_ROOT, 'node_modules', '.cache', 'deskrun', 'build-meta.json')

const HEAVY = [
  'execa',
  'listr2',
  'yaml',
  'ajv',
  'kubernetes-models',
  'write-file-atomic',
  'proper-lockfile',
  '@oclif/table',
]

/** Registers a module hook that appends every module URL the process resolves to $LOADED_MODULES. */
const RECORD = `data:text/javascript,${encodeURIComponent(`
import {register} from 'node:module'
register('data:text/javascript,' + encodeURIComponent(\`
import {appendFileSync} from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(process.env.LOADED_MODULES, resolved.url + '\\\\n')
  return resolved
}\`))
`)}`

/**
 * A preload that writes at exit what the resolve hook does not see: the built-in modules Node loaded
 * (process.moduleLoadList) to $LOADED_BUILTINS, and the files require() loaded to $LOADED_BUILTINS.cjs.
 */
let RECORD_BUILTINS: string

describe('start-up of the quick commands', function () {
  this.timeout(60_000)
  let s: Sandbox
  before(async () => {
    s = await sandbox({processes: true})
    RECORD_BUILTINS = path.join(s.fake.root, 'record-builtins.cjs')
    await writeFile(
      RECORD_BUILTINS,
      `process.on('exit', () => {
        const {writeFileSync} = require('node:fs')
        writeFileSync(process.env.LOADED_BUILTINS, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join('\\n'))
        writeFileSync(process.env.LOADED_BUILTINS + '.cjs', Object.keys(require.cache).join('\\n'))
      })`,
    )
    await s.writeInstallations({
      one: {},
      two: {ContainerMode: 'dind', CachePaths: [{Target: '/var/lib/docker'}]},
    })
  })
  after(() => s.fake.cleanup())

  /**
   * Runs deskrun with ARGS and a record of the modules it loads: the ones it resolves or require()s,
   * then Node's built-in ones.
   */
  const run = async (args: string[]): Promise<{resolved: string[]; builtins: string[]}> => {
    const file = path.join(s.fake.root, `loaded-${args.join('-')}.txt`)
    const builtinsFile = `${file}.builtins`
    const bin = path.join(REPO_ROOT, 'bin', 'run.js')
    // The exit code does not matter here (doctor may find problems): what was loaded does.
    await new Promise((resolve) =>
      execFile(
        process.execPath,
        ['--import', RECORD, '--require', RECORD_BUILTINS, bin, ...args],
        {env: {...s.fake.env(), LOADED_MODULES: file, LOADED_BUILTINS: builtinsFile}},
        resolve,
      ),
    )
    const lines = async (name: string) => (await readFile(name, 'utf8')).split('\n').filter(Boolean)
    return {
      resolved: [...(await lines(file)), ...(await lines(`${builtinsFile}.cjs`))],
      builtins: await lines(builtinsFile),
    }
  }
  const loaded = async (args: string[]) => (await run(args)).resolved
  /** The heavy packages among the loaded modules (none is inside dist/cli.cjs: see below). */
  const heavyIn = (modules: string[]) =>
    // The config check's generated code needs only ajv's runtime helpers, a few lines each.
    HEAVY.filter((name) =>
      modules.some(
        (module) =>
          module.includes(`node_modules/${name}/`) && !module.includes('node_modules/ajv/dist/runtime/'),
      ),
    )

  const quick = [
    ['--version'],
    ['--help'],
    ['list'],
    ['modes'],
    ['list', '--json'],
    // Read only, and what a command loads before it runs: its help, and a flag mistake.
    ['defaults'],
    ['cache', 'list'],
    ['add', '--help'],
    ['pause', '--no-such-flag'],
  ]
  for (const args of quick)
    it(`deskrun ${args.join(' ')} loads none of ${HEAVY.join(', ')}`, async () => {
      expect(heavyIn(await loaded(args))).to.deep.equal([])
    })

  it('the record sees them where they are used: doctor runs the tools (through execa), snippet plans', async () => {
    expect(heavyIn(await loaded(['doctor', '--json']))).to.include('execa')
    expect(heavyIn(await loaded(['snippet', 'one']))).to.include('kubernetes-models')
  })

  it('the heavy libraries are not in dist/cli.cjs: they load from node_modules, where the records above see them', async () => {
    const {outputs} = JSON.parse(await readFile(BUILD_META, 'utf8')) as Meta
    const bundled = Object.keys(outputs['dist/cli.cjs'].inputs)
    expect(bundled).to.include('src/commands/up.ts')
    expect(
      HEAVY.filter((name) => bundled.some((source) => source.includes(`node_modules/${name}/`))),
    ).to.deep.equal([])
  })

  it('no command module loads its work before run(): --help and a flag mistake load no app, pipeline or heavy library', async () => {
    const {inputs} = JSON.parse(await readFile(BUILD_META, 'utf8')) as Meta
    /** The sources that loading SOURCE runs: its static imports, theirs, and so on (not `await import()`). */
    const staticClosure = (source: string, seen = new Set<string>()): Set<string> => {
      seen.add(source)
      for (const {path: next, kind} of inputs[source]?.imports ?? [])
        if ((kind === 'import-statement' || kind === 'require-call') && !seen.has(next))
          staticClosure(next, seen)
      return seen
    }
    const commands = Object.keys(inputs).filter((source) => /^src\/commands\/.*\.ts$/.test(source))
    expect(commands).to.include('src/commands/up.ts')
    const early: Record<string, string[]> = {}
    for (const command of commands) {
      const found = [...staticClosure(command)].filter(
        (source) =>
          /^src\/lib\/(app|pipeline)\//.test(source) ||
          HEAVY.some((name) => source === name || source.startsWith(`${name}/`)),
      )
      if (found.length > 0) early[command] = found
    }
    expect(early).to.deep.equal({})
  })

  // What only some commands need, and oclif required on every start (scripts/oclif-start-up.mjs).
  const LATE_BUILTINS = ['child_process', 'perf_hooks', 'readline']
  for (const args of [['--version'], ['list'], ['modes']])
    it(`deskrun ${args.join(' ')} loads none of the built-in modules ${LATE_BUILTINS.join(', ')}`, async () => {
      const {builtins} = await run(args)
      expect(builtins).to.include('fs') // the record works
      expect(LATE_BUILTINS.filter((name) => builtins.includes(name))).to.deep.equal([])
    })

  it('the record sees built-in modules where they are used: doctor starts the tools (child_process)', async () => {
    expect((await run(['doctor', '--json'])).builtins).to.include('child_process')
  })

  it('keeps a code cache for each kind of run: the first run makes it, the next ones use it as it is', async () => {
    const bin = path.join(REPO_ROOT, 'bin', 'run.js')
    const cache = path.join(s.fake.root, 'code-cache')
    const deskrun = async (args: string[]) =>
      (
        await promisify(execFile)(process.execPath, [bin, ...args], {
          env: s.fake.env({extra: {DESKRUN_CACHE_DIR: cache}}),
        })
      ).stdout
    const files = async () => {
      const [build, ...others] = await readdir(path.join(cache, 'code.v8'))
      expect(others).to.deep.equal([])
      const folder = path.join(cache, 'code.v8', build)
      const names = (await readdir(folder)).sort()
      return Object.fromEntries(
        await Promise.all(
          names.map(async (name) => [name, (await stat(path.join(folder, name))).mtimeMs] as const),
        ),
      )
    }
    const version = await deskrun(['--version'])
    expect(version).to.match(/^deskrun\/\d/)
    const first = await files()
    expect(Object.keys(first)).to.deep.equal(['version.bin'])
    // V8 took the cache: a refused one would be made again at exit.
    expect(await deskrun(['--version'])).to.equal(version)
    expect(await files()).to.deep.equal(first)
    await deskrun(['modes'])
    expect(Object.keys(await files())).to.deep.equal(['modes.bin', 'version.bin'])

    // A file V8 refuses: deskrun runs as without one, and makes it again.
    const [build] = await readdir(path.join(cache, 'code.v8'))
    const versionCache = path.join(cache, 'code.v8', build, 'version.bin')
    await writeFile(versionCache, 'not what V8 wrote')
    expect(await deskrun(['--version'])).to.equal(version)
    expect((await readFile(versionCache)).toString()).not.to.equal('not what V8 wrote')
  })

  it("still shows oclif's debug output when DEBUG asks for it (the silent logger is only for starts without)", async () => {
    const bin = path.join(REPO_ROOT, 'bin', 'run.js')
    const stderr = (env: Record<string, string>) =>
      new Promise<string>((resolve) =>
        execFile(process.execPath, [bin, '--version'], {env: {...s.fake.env(), ...env}}, (_, __, err) =>
          resolve(err),
        ),
      )
    expect(await stderr({DEBUG: 'oclif:*'})).to.match(/oclif:main process\.argv/)
    expect(await stderr({})).to.equal('')
  })
})
