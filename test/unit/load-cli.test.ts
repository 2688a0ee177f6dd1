import {createHash} from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'

import {cacheDir, loadCli, runKind} from '../../src/lib/cli/load-cli.js'
import {defaultCacheRoot} from '../../src/lib/domain/settings.js'

/**
 * A file built as scripts/build.mjs builds dist/cli.cjs: its import() through __deskrunImport, a hash of it
 * last. A comment of the same length tells runs apart: V8 keeps a script compiled once in memory and would
 * not look at the cache for the same source again in this process (a real run compiles it once), yet it
 * accepts the cache for another source of that length.
 */
function writeBundle(file: string, body: string, run = 0): string {
  const code = (comment: string) =>
    [
      "const __cliImport = typeof __deskrunImport === 'function' ? __deskrunImport : (specifier) => import(specifier);",
      'exports.load = async (name) => ({name, imported: await __cliImport("node:os"), body: compute()})',
      `function compute() { return ${JSON.stringify(body)}.split('').reverse().join('') } /* ${comment} */`,
      '',
    ].join('\n')
  const hash = createHash('sha256').update(code('')).digest('hex')
  writeFileSync(file, `${code(String(run).padStart(4, '0'))}// ${hash}\n`)
  return hash
}

describe('loadCli: dist/cli.cjs with V8 code cache', () => {
  let dir: string
  let bundle: string
  let env: NodeJS.ProcessEnv
  const imports: string[] = []
  const importModule = async (specifier: string) => {
    imports.push(specifier)
    return {specifier}
  }
  /** Loads the bundle as a run with ARGV would, and returns the writes it left for the exit. */
  let body: string
  let runs = 0
  const load = (argv: string[], options: {env?: NodeJS.ProcessEnv} = {}) => {
    writeBundle(bundle, body, ++runs)
    const exits: (() => void)[] = []
    const cli = loadCli(pathToFileURL(bundle), importModule, {
      env: options.env ?? env,
      argv,
      atExit: (write) => exits.push(write),
    })
    return {cli, exits}
  }
  const builds = () => path.join(dir, 'cache', 'code.v8')
  /** The cache file of KIND in the one build folder (but for those in BESIDES). */
  const cacheFile = (kind: string, besides: string[] = []) => {
    const [build] = readdirSync(builds()).filter(
      (name) => name !== 'not-a-build' && !besides.includes(path.join(builds(), name)),
    )
    return path.join(builds(), build, `${kind}.bin`)
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deskrun-load-cli-'))
    bundle = path.join(dir, 'cli.cjs')
    body = 'deskrun'
    env = {DESKRUN_CACHE_DIR: path.join(dir, 'cache')}
    imports.length = 0
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('runs the file as CommonJS: its exports, require() finds it, its import() is the one given', async () => {
    const {cli} = load(['list'])
    expect(await cli.load('commands/list.js')).to.deep.equal({
      name: 'commands/list.js',
      imported: {specifier: 'node:os'},
      body: 'nurksed',
    })
    expect(imports).to.deep.equal(['node:os'])
    expect(createRequire(bundle)(bundle)).to.equal(cli)
  })

  it('makes the cache at exit, after the run, for its kind of run: a file only the user can read', async () => {
    const {cli, exits} = load(['list', '--json'])
    await cli.load('commands/list.js')
    expect(exits).to.have.length(1)
    expect(existsSync(builds())).to.equal(false)
    exits[0]()
    const [build] = readdirSync(builds())
    expect(build).to.equal(`${writeBundle(bundle, body).slice(0, 16)}-${process.version}-${process.arch}`)
    expect(readdirSync(path.join(builds(), build))).to.deep.equal(['list.bin'])
    expect(statSync(cacheFile('list')).mode & 0o777).to.equal(0o600)
    expect(statSync(path.join(builds(), build)).mode & 0o777).to.equal(0o700)
  })

  it('the next run of that kind uses it and writes nothing; data V8 refuses is made again', () => {
    load(['list']).exits[0]()
    expect(load(['list']).exits).to.have.length(0)
    writeFileSync(cacheFile('list'), Buffer.from('not what V8 wrote'), {mode: 0o600})
    const {exits} = load(['list'])
    expect(exits).to.have.length(1)
    exits[0]()
    expect(readFileSync(cacheFile('list')).toString()).not.to.equal('not what V8 wrote')
    expect(load(['list']).exits).to.have.length(0)
  })

  it('each kind of run has a file of its own', () => {
    load(['list']).exits[0]()
    load(['--version']).exits[0]()
    load(['add', 'web', '--help']).exits[0]()
    expect(readdirSync(path.dirname(cacheFile('list'))).sort()).to.deep.equal([
      'add-help.bin',
      'list.bin',
      'version.bin',
    ])
  })

  it('a new build of the file removes the caches of the others but the two most recent, and nothing else', () => {
    mkdirSync(builds(), {recursive: true, mode: 0o700})
    mkdirSync(path.join(builds(), 'not-a-build'))
    const folders: string[] = []
    for (const [i, version] of ['one', 'two', 'three', 'four'].entries()) {
      body = version
      load(['list']).exits[0]()
      const folder = path.dirname(cacheFile('list', folders))
      // Made a minute apart: the newest is the most recent, whatever the clock's resolution.
      utimesSync(folder, new Date(Date.now() - (10 - i) * 60_000), new Date(Date.now() - (10 - i) * 60_000))
      folders.push(folder)
    }
    expect(folders.map((folder) => existsSync(folder))).to.deep.equal([false, true, true, true])
    expect(existsSync(path.join(builds(), 'not-a-build'))).to.equal(true)
  })

  it('uses no file that somebody else could have written: it neither reads nor replaces it', function () {
    if (process.platform === 'win32') this.skip()
    load(['list']).exits[0]()
    const file = cacheFile('list')
    const written = readFileSync(file)
    chmodSync(file, 0o620)
    expect(load(['list']).exits).to.have.length(0)
    writeFileSync(file, Buffer.from('written by the group'))
    expect(load(['list']).exits).to.have.length(0)
    expect(readFileSync(file).toString()).to.equal('written by the group')

    chmodSync(file, 0o600)
    writeFileSync(file, written)
    chmodSync(path.dirname(file), 0o777)
    expect(load(['list']).exits).to.have.length(0)
    chmodSync(path.dirname(file), 0o700)
    chmodSync(builds(), 0o757)
    expect(load(['list']).exits).to.have.length(0)
  })

  it("uses no file of another user (sudo with the user's HOME)", function () {
    if (process.getuid?.() !== 0) this.skip() // only root can give a file away
    load(['list']).exits[0]()
    writeFileSync(cacheFile('list'), Buffer.from('another user'))
    chownSync(cacheFile('list'), 4321, 4321)
    expect(load(['list']).exits).to.have.length(0)
    expect(readFileSync(cacheFile('list')).toString()).to.equal('another user')
  })

  it('keeps no cache for what cannot be a command', () => {
    expect(load(['Web/App']).exits).to.have.length(0)
    expect(existsSync(builds())).to.equal(false)
  })

  it('keeps no cache for a file that does not end with its hash (not built by scripts/build.mjs)', async () => {
    const exits: (() => void)[] = []
    writeFileSync(bundle, 'exports.load = async (name) => ({name})\n')
    const cli = loadCli(pathToFileURL(bundle), importModule, {
      env,
      argv: ['list'],
      atExit: (write) => exits.push(write),
    })
    expect(await cli.load('commands/list.js')).to.deep.equal({name: 'commands/list.js'})
    expect(exits).to.have.length(0)
  })

  it("NODE_DISABLE_COMPILE_CACHE: Node's require() loads it, with its own import(), and no cache is kept", async () => {
    const {cli, exits} = load(['list'], {env: {...env, NODE_DISABLE_COMPILE_CACHE: '1'}})
    expect(exits).to.have.length(0)
    expect((await cli.load('commands/list.js')).imported).to.have.property('platform')
    expect(existsSync(builds())).to.equal(false)
  })
})

describe('runKind: which cache a run uses', () => {
  const cases: [string[], string | undefined][] = [
    [['--version'], 'version'],
    [['-v'], 'version'],
    [[], 'help'],
    [['--help'], 'help'],
    [['help', 'add'], 'help'],
    [['list'], 'list'],
    [['list', '--json'], 'list'],
    [['remove', 'web', '--purge-cache'], 'remove'],
    [['cache', 'list'], 'cache'],
    [['add', 'web', '--help'], 'add-help'],
    [['add', '-h'], 'add-help'],
    [['Web/App'], undefined],
    [['../x'], undefined],
  ]
  for (const [argv, kind] of cases)
    it(`deskrun ${argv.join(' ') || '(nothing)'}: ${kind ?? 'none'}`, () =>
      expect(runKind(argv)).to.equal(kind))
})

describe("cacheDir: where oclif's Config puts deskrun's cache", () => {
  it('DESKRUN_CACHE_DIR; ~/Library/Caches on macOS, LOCALAPPDATA on Windows; else the default cache root', () => {
    expect(cacheDir({DESKRUN_CACHE_DIR: '/c', HOME: '/h'}, 'linux')).to.equal('/c')
    expect(cacheDir({HOME: '/h', XDG_CACHE_HOME: '/x'}, 'darwin')).to.equal(
      path.join('/h', 'Library', 'Caches', 'deskrun'),
    )
    expect(cacheDir({LOCALAPPDATA: '/l'}, 'win32')).to.equal(path.join('/l', 'deskrun'))
    expect(cacheDir({XDG_CACHE_HOME: '/x'}, 'linux')).to.equal(path.join('/x', 'deskrun'))
    // The XDG spec says to ignore a relative value, as for the runners' caches.
    expect(cacheDir({XDG_CACHE_HOME: 'x'}, 'linux')).to.equal(path.join(os.homedir(), '.cache', 'deskrun'))
    expect(cacheDir({}, 'linux')).to.equal(defaultCacheRoot({}))
  })
})
