/**
 * What the quick commands load. Start-up is felt on every command and by shell completion, so the
 * libraries that only deploying, checking tools or writing the config needs must stay out of them.
 * No timing here: `npm run bench` (bench/startup.mjs) measures. Runs the build (bin/run.js): the
 * libraries are inside dist/'s chunks, and the build's record (scripts/build.mjs) says which chunk holds
 * which library's files.
 */
import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {REPO_ROOT} from '../helpers/fake-tools.js'
import {sandbox, type Sandbox} from '../cli/support.js'

/** esbuild's record of the build: each file of dist/ and the sources in it. */
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
  /** The heavy packages among the loaded modules and the sources built into them. */
  const heavyIn = async (modules: string[]) => {
    const {outputs} = JSON.parse(await readFile(BUILD_META, 'utf8')) as {
      outputs: Record<string, {inputs: Record<string, unknown>}>
    }
    const sources = modules.flatMap((url) => {
      const file = url.startsWith('file:') ? path.relative(REPO_ROOT, fileURLToPath(url)) : url
      return [url, ...Object.keys(outputs[file]?.inputs ?? {})]
    })
    // The config check's generated code needs only ajv's runtime helpers, a few lines each.
    const heavy = sources.filter((source) => !source.includes('node_modules/ajv/dist/runtime/'))
    return HEAVY.filter((name) => heavy.some((source) => source.includes(`node_modules/${name}/`)))
  }

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
      expect(await heavyIn(await loaded(args))).to.deep.equal([])
    })

  it('the record sees them where they are used: doctor runs the tools (through execa), snippet plans', async () => {
    expect(await heavyIn(await loaded(['doctor', '--json']))).to.include('execa')
    expect(await heavyIn(await loaded(['snippet', 'one']))).to.include('kubernetes-models')
  })

  it('no command module loads its work before run(): --help and a flag mistake load no app, pipeline or heavy library', async () => {
    const {outputs} = JSON.parse(await readFile(BUILD_META, 'utf8')) as {
      outputs: Record<string, {imports: {path: string; kind: string}[]; inputs: Record<string, unknown>}>
    }
    /** The files of dist/ that loading FILE loads: its static imports, theirs, and so on. */
    const staticClosure = (file: string, seen = new Set<string>()): Set<string> => {
      seen.add(file)
      for (const {path: next, kind} of outputs[file].imports)
        if (kind === 'import-statement' && next in outputs && !seen.has(next)) staticClosure(next, seen)
      return seen
    }
    const commands = Object.keys(outputs).filter((file) => /^dist\/commands\/.*\.js$/.test(file))
    expect(commands).to.include('dist/commands/up.js')
    const early: Record<string, string[]> = {}
    for (const command of commands) {
      const files = [...staticClosure(command)]
      const work = files
        .flatMap((file) => Object.keys(outputs[file].inputs))
        .filter((source) => /^src\/lib\/(app|pipeline)\//.test(source))
      const found = [...(await heavyIn(files)), ...work]
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
