/**
 * Container modes from oclif plugins, through the CLI (in process): the example plugin linked into the
 * sandbox's oclif data folder (under its HOME), deployed against the fake tools, then unlinked; and
 * broken fixture plugins that the CLI must survive with one clear warning each. test/smoke/plugins.test.ts
 * links and uses the example through processes.
 */
import path from 'node:path'

import {expect} from 'chai'
import {parse} from 'yaml'

import {buildExamplePlugin, EXAMPLE_PLUGIN} from '../helpers/example-plugin.js'
import {REPO_ROOT, unwrap} from '../helpers/fake-tools.js'
import {expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins')

type Container = {
  name: string
  env?: {name: string; value?: string}[]
  resources?: {limits?: Record<string, string>}
}
type PodSpec = {runtimeClassName?: string; tolerations?: {key: string}[]; containers: Container[]}

/** Each warning of a run, unwrapped. */
const warningsOf = (stderr: string): string[] =>
  unwrap(stderr)
    .split(/(?=Warning: |Error: )/)
    .filter((part) => part.startsWith('Warning: '))
    .map((part) => part.trim())

async function link(s: Sandbox, dir: string): Promise<void> {
  expectOk(await s.deskrun(['plugins', 'link', dir, '--no-install']))
}

const modeNames = async (s: Sandbox): Promise<string[]> => {
  const result = await s.deskrun(['modes', '--json'])
  expectOk(result)
  return (JSON.parse(result.stdout).modes as {name: string}[]).map((mode) => mode.name)
}

const hookExtension = async (s: Sandbox, name: string) =>
  (await s.fake.objects(CLUSTER, {kind: 'ConfigMap', namespace: 'arc-runners'})).find(
    (object) => object.metadata.name === `${name}-hook-extension`,
  )

describe('container modes from plugins', function () {
  this.timeout(120_000)
  let s: Sandbox

  // What `plugins link` loads is the example's build: make it from the current source.
  before(async () => {
    await buildExamplePlugin()
  })
  beforeEach(async () => {
    s = await sandbox()
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  describe('the example plugin, linked', () => {
    beforeEach(() => link(s, EXAMPLE_PLUGIN))

    it('modes lists its modes with the plugin as their source, in the table and under --json', async () => {
      const human = await s.deskrun(['modes'])
      expectOk(human)
      expect(human.stdout).to.match(/^\s*gpu\s+yes\s+deskrun-plugin-gpu@0\.1\.0\s+Each job runs/m)
      expect(human.stdout).to.match(/^\s*gpu-runner\s+yes\s+deskrun-plugin-gpu@0\.1\.0\s+/m)
      expect(human.stdout).to.match(/^\s*kubernetes\s+yes\s+built-in\s+/m)
      expect(human.stderr).not.to.match(/Warning/)

      const json = JSON.parse((await s.deskrun(['modes', '--json'])).stdout)
      expect(json.warnings).to.deep.equal([])
      expect(json.modes.find((mode: {name: string}) => mode.name === 'gpu')).to.deep.include({
        takesCaches: true,
        source: {type: 'plugin', name: 'deskrun-plugin-gpu', version: '0.1.0'},
      })
      expect(json.modes[0]).to.deep.include({name: 'kubernetes', source: {type: 'built-in'}})
      expect(await s.fake.calls()).to.deep.equal([])
    })

    it('add --mode gpu deploys what the plugin rendered, and remove takes it all away', async () => {
      const added = await s.add('gpu-box', '--mode', 'gpu', '--cache', '/root/.cache')
      expectOk(added)
      expect(added.stdout).to.contain('runs-on: gpu-box')

      const release = (await s.fake.releases(CLUSTER)).find((candidate) => candidate.name === 'gpu-box')!
      expect(release.values?.containerMode).to.deep.equal({type: 'kubernetes-novolume'})
      expect(release.values).to.deep.include({
        runnerScaleSetName: 'gpu-box',
        githubConfigSecret: 'gpu-box-github-auth',
      })
      const runner = (release.podTemplate?.spec as PodSpec).containers.find((c) => c.name === 'runner')!
      expect(runner.env).to.deep.include({
        name: 'ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE',
        value: '/home/runner/hook-extension/content',
      })
      expect(runner.resources).to.equal(undefined)

      const configMap = await hookExtension(s, 'gpu-box')
      expect(configMap, 'the hook extension the plugin returned').to.exist
      expect(configMap!.metadata.labels).to.deep.include({'deskrun.io/installation': 'gpu-box'})
      const template = parse(Object.values(configMap!.data as Record<string, string>)[0]) as {spec: PodSpec}
      expect(template.spec.runtimeClassName).to.equal('nvidia')
      const job = template.spec.containers.find((container) => container.name === '$job')!
      expect(job.resources?.limits).to.deep.equal({'nvidia.com/gpu': '1'})
      expect(JSON.stringify(template.spec)).to.contain('/var/lib/deskrun/cache/gpu-box/cache-0')

      expectOk(await s.add('gpu-direct', '--mode', 'gpu-runner', '--min-runners', '0'))
      const direct = (await s.fake.releases(CLUSTER)).find((candidate) => candidate.name === 'gpu-direct')!
      const spec = direct.podTemplate?.spec as PodSpec
      expect(spec.runtimeClassName).to.equal('nvidia')
      expect(spec.containers.find((c) => c.name === 'runner')!.resources?.limits).to.deep.equal({
        'nvidia.com/gpu': '1',
      })

      expectOk(await s.deskrun(['remove', 'gpu-box']))
      expectOk(await s.deskrun(['remove', 'gpu-direct']))
      expect((await s.fake.releases(CLUSTER)).map((r) => r.name)).to.deep.equal(['arc'])
      expect(await hookExtension(s, 'gpu-box')).to.equal(undefined)
      expect((await s.config()).installations).to.deep.equal({})
    })

    it('plugins unlink takes its modes away; a config that still uses one names the plugin to install', async () => {
      expectOk(await s.add('gpu-box', '--mode', 'gpu'))
      expectOk(await s.deskrun(['plugins', 'unlink', 'deskrun-plugin-gpu']))
      expect(await modeNames(s)).to.deep.equal(['kubernetes', 'cached-privileged-kubernetes', 'dind'])

      const callsBefore = (await s.fake.calls()).length
      const up = await s.deskrun(['up'])
      expect(up.exitCode).to.equal(1)
      expect(unwrap(up.stderr)).to.contain(
        'Installation "gpu-box" uses container mode "gpu" from the plugin deskrun-plugin-gpu, which is no longer installed.',
      )
      expect(unwrap(up.stderr)).to.contain('Install it again: deskrun plugins install deskrun-plugin-gpu')
      const json = await s.deskrun(['up', '--json'])
      expect(json.exitCode).to.equal(1)
      const [skipped] = JSON.parse(json.stdout).skipped
      expect(skipped.installation).to.equal('gpu-box')
      expect(skipped.problems[0]).to.contain('deskrun-plugin-gpu, which is no longer installed')
      expect(skipped.hint).to.contain('Install it again: deskrun plugins install deskrun-plugin-gpu')
      expect((await s.fake.calls()).length, 'nothing reached a tool').to.equal(callsBefore)

      // What the plugin deployed can still be removed without it.
      expectOk(await s.deskrun(['remove', 'gpu-box']))
      expect(await hookExtension(s, 'gpu-box')).to.equal(undefined)
    })
  })

  describe('broken plugins', () => {
    beforeEach(async () => {
      await link(s, EXAMPLE_PLUGIN)
      // The example's modes are seen first, so it keeps "gpu" when the faulty plugin offers it too.
      expect(await modeNames(s)).to.include('gpu')
      await link(s, path.join(FIXTURES, 'deskrun-plugin-throws'))
      await link(s, path.join(FIXTURES, 'deskrun-plugin-faulty'))
    })

    it('the CLI keeps working; every bad plugin or mode is left out with one warning naming the plugin', async () => {
      const result = await s.deskrun(['modes'])
      expectOk(result)
      expect(result.stdout).to.match(/^\s*faulty-ok\s+no\s+deskrun-plugin-faulty@1\.0\.0\s+/m)
      expect(result.stdout).to.match(/^\s*gpu\s+yes\s+deskrun-plugin-gpu@0\.1\.0\s+/m)
      const warnings = warningsOf(result.stderr).filter((warning) => warning.startsWith('Warning: Plugin'))
      const expected = [
        'Plugin deskrun-plugin-throws@1.0.0 could not provide container modes, so they are left out: cannot reach the licence server',
        'Plugin deskrun-plugin-faulty@1.0.0: mode "faulty-no-summary" has no summary; that mode is left out.',
        'Plugin deskrun-plugin-faulty@1.0.0: mode name "Not A Name" is not a lower-case DNS-style name',
        'Plugin deskrun-plugin-faulty@1.0.0: a mode must be an object, not number 42; that mode is left out.',
        'Plugin deskrun-plugin-faulty@1.0.0: mode "kubernetes" is already provided by deskrun itself; that mode is left out.',
        'Plugin deskrun-plugin-faulty@1.0.0: mode "gpu" is already provided by plugin deskrun-plugin-gpu; that mode is left out.',
      ]
      for (const line of expected)
        expect(
          warnings.filter((warning) => warning.includes(line)),
          line,
        ).to.have.length(1)
      expect(warnings).to.have.length(expected.length)

      const json = JSON.parse((await s.deskrun(['modes', '--json'])).stdout)
      expect(json.modes.map((mode: {name: string}) => mode.name)).to.deep.equal([
        'kubernetes',
        'cached-privileged-kubernetes',
        'dind',
        'faulty-ok',
        'faulty-render',
        'faulty-throws',
        'gpu',
        'gpu-runner',
      ])
      expect(json.warnings).to.have.length(expected.length)
      expectOk(await s.deskrun(['list']))
    })

    it('DESKRUN_DEBUG=1 adds the details: the stack of the hook that threw', async () => {
      const quiet = await s.deskrun(['modes'])
      expect(quiet.stderr).not.to.contain('hooks/modes.js')
      const debug = await s.deskrun(['modes'], {env: {DESKRUN_DEBUG: '1'}})
      expectOk(debug)
      expect(debug.stderr).to.contain('deskrun-plugin-throws@1.0.0')
      expect(debug.stderr).to.contain(path.join('deskrun-plugin-throws', 'hooks', 'modes.js'))
    })

    it('a mode whose output is invalid, or whose render throws, is named in the error before any tool runs', async () => {
      const invalid = await s.add('bad-box', '--mode', 'faulty-render')
      expect(invalid.exitCode).to.equal(1)
      const message = unwrap(invalid.stderr)
      expect(message).to.contain(
        'Container mode "faulty-render" (deskrun-plugin-faulty@1.0.0) rendered an invalid',
      )
      expect(message).to.contain('values set githubConfigUrl, which deskrun sets itself')
      expect(message).to.contain('Deployment "miner" (apps/v1): a mode may only return ConfigMap')
      expect(message).to.contain('Try this: Update or report the plugin deskrun-plugin-faulty')

      const thrown = await s.add('bad-box', '--mode', 'faulty-throws')
      expect(thrown.exitCode).to.equal(1)
      expect(unwrap(thrown.stderr)).to.contain(
        'Container mode "faulty-throws" (deskrun-plugin-faulty@1.0.0) failed to render "bad-box": render exploded',
      )

      expect(await s.fake.calls()).to.deep.equal([])
      expect((await s.config()).installations).to.deep.equal({})

      expectOk(await s.add('fine-box', '--mode', 'faulty-ok'))
    })

    it('up deploys the others and reports an installation whose mode throws while rendering', async () => {
      await s.writeInstallations({
        'fine-box': {ContainerMode: 'faulty-ok'},
        'bad-box': {ContainerMode: 'faulty-throws'},
      })
      const result = await s.deskrun(['up'])
      expect(result.exitCode, result.stderr).to.equal(1)
      const report = unwrap(result.stderr.slice(result.stderr.indexOf('Not deployed')))
      expect(report).to.contain('bad-box').and.contain('failed to render "bad-box": render exploded')
      expect((await s.fake.releases(CLUSTER)).map((release) => release.name).sort()).to.deep.equal([
        'arc',
        'fine-box',
      ])
    })
  })

  describe('a plugin whose hook never answers', () => {
    const NEVER_ANSWERS = path.join(FIXTURES, 'deskrun-plugin-never-answers')
    beforeEach(() => link(s, NEVER_ANSWERS))

    it('modes goes on after the timeout, with one warning naming the plugin', async () => {
      // The timeout is 10 s; tests shorten it. test/smoke/plugins.test.ts shows that the process ends.
      const result = await s.deskrun(['modes'], {env: {DESKRUN_PLUGIN_TIMEOUT_MS: '200'}})
      expectOk(result)
      expect(result.stdout).to.match(/^\s*kubernetes\s+yes\s+built-in\s+/m)
      const warnings = warningsOf(result.stderr).filter((warning) => warning.startsWith('Warning: Plugin'))
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.contain(
        'Plugin deskrun-plugin-never-answers@1.0.0 could not provide container modes, so they are left out',
      )
    })

    it('status, remove and cluster status never run plugin hooks: they render no mode', async () => {
      await s.writeInstallations({box: {}})
      // With the default timeout: a command that ran the hook would wait 10 s and warn.
      for (const args of [['status'], ['cluster', 'status'], ['remove', 'box']]) {
        const result = await s.deskrun(args)
        expectOk(result)
        expect(result.stderr, args.join(' ')).not.to.contain('deskrun-plugin-never-answers')
      }
      expect((await s.config()).installations).to.deep.equal({})
    })
  })

  describe('a plugin that prints to stdout', () => {
    beforeEach(() => link(s, path.join(FIXTURES, 'deskrun-plugin-noisy')))

    it('under --json stdout holds the JSON document only; what the plugin printed goes to stderr', async () => {
      const modes = await s.deskrun(['modes', '--json'])
      expectOk(modes)
      expect(JSON.parse(modes.stdout).modes.map((mode: {name: string}) => mode.name)).to.include('noisy')
      expect(modes.stderr).to.contain('noisy: looking for GPUs').and.to.contain('noisy: found none')

      const added = await s.add('box', '--mode', 'noisy', '--json')
      expectOk(added)
      expect(JSON.parse(added.stdout)).to.deep.include({installation: 'box', mode: 'noisy'})
      for (const result of [modes, added]) expect(result.stdout).not.to.contain('noisy:')

      // Without --json, stdout is the user's to read: the plugin's lines stay where it wrote them.
      expect((await s.deskrun(['modes'])).stdout).to.contain('noisy: looking for GPUs')
    })
  })
})
