/**
 * loadModes and findMode over a stand-in for oclif's Config: which modes are kept, which are left out
 * with which warning, who wins a name, what a hook receives, and what a missing mode's error says.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {Config} from '@oclif/core'
import {expect} from 'chai'

import {DeskrunError} from '../../src/lib/domain/errors.js'
import {defineContainerMode, type ContainerMode} from '../../src/lib/domain/modes/api.js'
import {builtinModes} from '../../src/lib/domain/modes/builtins.js'
import * as helpers from '../../src/lib/domain/modes/helpers.js'
import {
  describeSource,
  findMode,
  MODES_HOOK,
  modeHelpers,
  type ModeRegistry,
} from '../../src/lib/domain/modes/registry.js'
import {loadModes} from '../../src/lib/adapters/plugins.js'
import {completionCandidates} from '../../src/lib/cli/completion/candidates.js'

interface Plugin {
  name: string
  version?: string
  /** What its hook returns; an Error is thrown instead. */
  answer: unknown
}

interface HookCall {
  event: string
  options: Record<string, unknown>
  timeout?: number
  captureErrors?: boolean
}

const mode = (name: string, extra: Partial<ContainerMode> = {}): ContainerMode =>
  defineContainerMode({
    name,
    summary: `The ${name} mode.`,
    takesCaches: false,
    render: () => ({values: {}}),
    ...extra,
  })

describe('container mode registry', () => {
  let cacheDir: string
  let calls: HookCall[]

  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-registry-'))
    calls = []
  })
  afterEach(() => rm(cacheDir, {recursive: true, force: true}))

  /** A Config whose plugins answer the hook as given, in the given order (oclif's is arbitrary). */
  function config(plugins: Plugin[]): Config {
    const runHook = async (
      event: string,
      options: Record<string, unknown>,
      timeout?: number,
      captureErrors?: boolean,
    ) => {
      calls.push({event, options, timeout, captureErrors})
      const result = {successes: [] as unknown[], failures: [] as unknown[]}
      for (const {name, version = '1.0.0', answer} of plugins) {
        const plugin = {name, version, root: `/plugins/${name}`}
        if (answer instanceof Error) result.failures.push({plugin, error: answer})
        else result.successes.push({plugin, result: answer})
      }
      return result
    }
    return {pjson: {name: 'deskrun'}, cacheDir, runHook} as unknown as Config
  }

  const deskrun: Plugin = {name: 'deskrun', version: '0.1.0', answer: builtinModes}
  const names = (registry: ModeRegistry) => registry.modes.map((entry) => entry.mode.name)
  const sources = (registry: ModeRegistry) => registry.modes.map((entry) => describeSource(entry.source))

  it('shell completion waits 1.5 s, not 10, and offers what a silent plugin provided before', async () => {
    const env = process.env.DESKRUN_PLUGIN_TIMEOUT_MS
    delete process.env.DESKRUN_PLUGIN_TIMEOUT_MS
    try {
      const remembered = {'silent-mode': {plugin: 'deskrun-plugin-silent', version: '1.0.0'}}
      await writeFile(path.join(cacheDir, 'container-mode-plugins.json'), JSON.stringify(remembered))
      const plugins = config([deskrun, {name: 'deskrun-plugin-silent', answer: new Error('timed out')}])

      const candidates = await completionCandidates('mode', plugins)
      expect(candidates.map((candidate) => candidate.value)).to.deep.equal([
        ...builtinModes.map((builtin) => builtin.name),
        'silent-mode',
      ])
      expect(candidates.at(-1)).to.deep.equal({
        value: 'silent-mode',
        description: 'from deskrun-plugin-silent',
      })
      await loadModes(plugins)
      expect(calls.map((call) => call.timeout)).to.deep.equal([1500, 10_000])
    } finally {
      if (env !== undefined) process.env.DESKRUN_PLUGIN_TIMEOUT_MS = env
    }
  })

  it("runs the hook once, capturing errors, with a timeout, and hands it deskrun's helpers", async () => {
    await loadModes(config([deskrun]))
    expect(calls).to.have.length(1)
    expect(calls[0]).to.deep.include({event: MODES_HOOK, captureErrors: true})
    expect(calls[0].timeout).to.be.a('number').and.be.above(0)
    expect(calls[0].options.helpers).to.equal(modeHelpers)
    for (const [name, value] of Object.entries(helpers))
      expect(modeHelpers, name).to.have.property(name, value)
    expect(modeHelpers.defineContainerMode).to.equal(defineContainerMode)
    expect(Object.isFrozen(modeHelpers)).to.equal(true)
  })

  it('lists the built-ins first, then plugins by name, each mode with its source', async () => {
    const registry = await loadModes(
      config([
        {name: 'deskrun-plugin-zeta', answer: [mode('zeta')]},
        {name: 'deskrun-plugin-alpha', version: '2.1.0', answer: [mode('alpha-one'), mode('alpha-two')]},
        deskrun,
      ]),
    )
    expect(names(registry)).to.deep.equal([
      ...builtinModes.map((m) => m.name),
      'alpha-one',
      'alpha-two',
      'zeta',
    ])
    expect(sources(registry).slice(3)).to.deep.equal([
      'deskrun-plugin-alpha@2.1.0',
      'deskrun-plugin-alpha@2.1.0',
      'deskrun-plugin-zeta@1.0.0',
    ])
    expect(sources(registry).slice(0, 3)).to.deep.equal(['built-in', 'built-in', 'built-in'])
    expect(registry.warnings).to.deep.equal([])
  })

  it('leaves out a plugin whose hook throws, or answers with something else than a list, with one warning each', async () => {
    const error = new Error('cannot reach the licence server')
    const registry = await loadModes(
      config([
        deskrun,
        {name: 'deskrun-plugin-throws', answer: error},
        {name: 'deskrun-plugin-odd', answer: {modes: []}},
        {name: 'deskrun-plugin-fine', answer: [mode('fine')]},
      ]),
    )
    expect(names(registry)).to.include('fine')
    expect(registry.warnings).to.deep.equal([
      'Plugin deskrun-plugin-throws@1.0.0 could not provide container modes, so they are left out: cannot reach the licence server',
      `Plugin deskrun-plugin-odd@1.0.0 answered ${MODES_HOOK} with an object with modes instead of a list of modes; its modes are left out.`,
    ])
    expect(registry.details[0]).to.contain('deskrun-plugin-throws@1.0.0 (/plugins/deskrun-plugin-throws)')
    expect(registry.details[0]).to.contain(error.stack!.split('\n')[1].trim())
    expect(registry.failedPlugins).to.deep.equal(['deskrun-plugin-throws', 'deskrun-plugin-odd'])
  })

  it('leaves out each invalid mode with a warning that names the plugin and the reason', async () => {
    const registry = await loadModes(
      config([
        deskrun,
        {
          name: 'deskrun-plugin-faulty',
          answer: [
            mode('good'),
            42,
            null,
            mode('Bad_Name'),
            mode('no-summary', {summary: '  '}),
            {name: 'no-caches-flag', summary: 'x', render: () => ({values: {}})},
            {name: 'no-render', summary: 'x', takesCaches: false},
            mode('bad-validate', {validate: 'yes' as never}),
          ],
        },
      ]),
    )
    expect(names(registry)).to.deep.equal([...builtinModes.map((m) => m.name), 'good'])
    const who = 'Plugin deskrun-plugin-faulty@1.0.0: '
    expect(registry.warnings).to.deep.equal(
      [
        'a mode must be an object, not number 42',
        'a mode must be an object, not null',
        'mode name "Bad_Name" is not a lower-case DNS-style name (a-z, 0-9 and -)',
        'mode "no-summary" has no summary',
        'mode "no-caches-flag" must say whether it takes caches (takesCaches: true or false)',
        'mode "no-render" has no render function',
        'mode "bad-validate" has a validate that is not a function',
      ].map((problem) => `${who}${problem}; that mode is left out.`),
    )
  })

  it('gives a name to deskrun first, then to the plugin that had it before, then by plugin name', async () => {
    const plugins: Plugin[] = [
      deskrun,
      {name: 'deskrun-plugin-copycat', answer: [mode('kubernetes'), mode('gpu'), mode('copycat')]},
      {name: 'deskrun-plugin-gpu', answer: [mode('gpu')]},
    ]
    // Without history, the plugin whose name sorts first wins.
    const fresh = await loadModes(config(plugins))
    expect(sources(fresh)[names(fresh).indexOf('gpu')]).to.equal('deskrun-plugin-copycat@1.0.0')
    expect(fresh.warnings).to.deep.equal([
      'Plugin deskrun-plugin-copycat@1.0.0: mode "kubernetes" is already provided by deskrun itself; that mode is left out.',
      'Plugin deskrun-plugin-gpu@1.0.0: mode "gpu" is already provided by plugin deskrun-plugin-copycat; that mode is left out.',
    ])

    // Once deskrun has seen gpu come from deskrun-plugin-gpu, a newcomer cannot take it.
    await rm(cacheDir, {recursive: true, force: true})
    await loadModes(config([deskrun, {name: 'deskrun-plugin-gpu', answer: [mode('gpu')]}]))
    const later = await loadModes(config(plugins))
    expect(sources(later)[names(later).indexOf('gpu')]).to.equal('deskrun-plugin-gpu@1.0.0')
    expect(later.warnings).to.include(
      'Plugin deskrun-plugin-copycat@1.0.0: mode "gpu" is already provided by plugin deskrun-plugin-gpu; that mode is left out.',
    )
    expect(names(later)).to.deep.equal([...builtinModes.map((m) => m.name), 'copycat', 'gpu'])
  })

  it('remembers which plugin provided each mode, in the cache folder, writing only on change', async () => {
    await loadModes(config([deskrun, {name: 'deskrun-plugin-gpu', version: '0.1.0', answer: [mode('gpu')]}]))
    const file = path.join(cacheDir, 'container-mode-plugins.json')
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal({
      gpu: {plugin: 'deskrun-plugin-gpu', version: '0.1.0'},
    })
    // Written compactly: a rewrite would indent it again.
    const unchanged = JSON.stringify({gpu: {plugin: 'deskrun-plugin-gpu', version: '0.1.0'}})
    await writeFile(file, unchanged)
    const registry = await loadModes(config([deskrun]))
    expect(await readFile(file, 'utf8'), 'the plugin is gone, the memory stays, unwritten').to.equal(
      unchanged,
    )
    expect(registry.remembered).to.deep.equal({gpu: {plugin: 'deskrun-plugin-gpu', version: '0.1.0'}})

    await writeFile(file, '{not json')
    expect((await loadModes(config([deskrun]))).remembered, 'a broken memory is ignored').to.deep.equal({})
  })

  describe('findMode', () => {
    const message = (run: () => unknown): DeskrunError => {
      try {
        run()
      } catch (error) {
        expect(error).to.be.instanceOf(DeskrunError)
        return error as DeskrunError
      }

      throw new Error('findMode did not throw')
    }

    it('returns the registered mode with its source', async () => {
      const registry = await loadModes(config([deskrun, {name: 'deskrun-plugin-gpu', answer: [mode('gpu')]}]))
      expect(findMode(registry, 'gpu').source).to.deep.equal({
        type: 'plugin',
        name: 'deskrun-plugin-gpu',
        version: '1.0.0',
      })
    })

    it('names the plugin a missing mode came from, and how to install it again', async () => {
      await loadModes(config([deskrun, {name: 'deskrun-plugin-gpu', answer: [mode('gpu')]}]))
      const registry = await loadModes(config([deskrun]))
      const error = message(() => findMode(registry, 'gpu'))
      expect(error.code).to.equal('UNKNOWN_MODE')
      expect(error.message).to.equal(
        'Container mode "gpu" comes from the plugin deskrun-plugin-gpu, which is no longer installed.',
      )
      expect(error.hint).to.contain('Install it again: deskrun plugins install deskrun-plugin-gpu')
      expect(error.hint).to.contain(
        'Or pick another mode: kubernetes, cached-privileged-kubernetes, dind (deskrun modes).',
      )

      const withInstallation = message(() => findMode(registry, 'gpu', {installation: 'gpu-box'}))
      expect(withInstallation.message).to.equal(
        'Installation "gpu-box" uses container mode "gpu" from the plugin deskrun-plugin-gpu, which is no longer installed.',
      )
      const fromConfig = message(() => findMode(registry, 'nix', {plugin: 'deskrun-plugin-nix'}))
      expect(fromConfig.hint).to.contain('deskrun plugins install deskrun-plugin-nix')
    })

    it('says when that plugin failed to load, or when the mode was left out', async () => {
      await loadModes(config([deskrun, {name: 'deskrun-plugin-gpu', answer: [mode('gpu')]}]))
      const failed = await loadModes(
        config([deskrun, {name: 'deskrun-plugin-gpu', answer: new Error('boom')}]),
      )
      expect(message(() => findMode(failed, 'gpu')).message).to.equal(
        'Container mode "gpu" comes from the plugin deskrun-plugin-gpu, which failed to load (see the warning above).',
      )
      const rejected = await loadModes(
        config([deskrun, {name: 'deskrun-plugin-gpu', answer: [mode('gpu', {summary: ''})]}]),
      )
      expect(message(() => findMode(rejected, 'gpu')).message).to.equal(
        'Container mode "gpu" was left out: Plugin deskrun-plugin-gpu@1.0.0: mode "gpu" has no summary; that mode is left out.',
      )
    })

    it('without any history, says the mode probably came from a plugin that is gone', async () => {
      const registry = await loadModes(config([deskrun]))
      const error = message(() => findMode(registry, 'mystery', {installation: 'box'}))
      expect(error.message).to.equal(
        `Installation "box" uses container mode "mystery", which is not available: it is not one of deskrun's own modes, so it probably came from a plugin that is no longer installed.`,
      )
      expect(error.hint).to.contain('deskrun plugins install <plugin>')
    })
  })
})
