/**
 * The newcomer's path: root help says how to start, typos get "did you mean", `deskrun version` works,
 * `status` takes the instance names `add` prints, and every empty answer points at `deskrun add`.
 */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'
import {parse} from 'yaml'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, removeControllerPod, type Sandbox, useSandbox} from './support.js'

const GET_STARTED = 'deskrun add NAME --repository URL --auth-value-file FILE'

describe("the newcomer's path", () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('root help starts with how to get started', async () => {
    const help = await s.deskrun(['--help'])
    expectOk(help)
    const section = help.stdout.slice(help.stdout.indexOf('GET STARTED'), help.stdout.indexOf('TOPICS'))
    expect(section).to.contain('$ deskrun doctor').and.contain(`$ ${GET_STARTED}`)
    expect(help.stdout.indexOf('GET STARTED')).to.be.lessThan(help.stdout.indexOf('COMMANDS'))
  })

  it('deskrun version prints what --version prints', async () => {
    const flag = await s.deskrun(['--version'])
    const command = await s.deskrun(['version'])
    expectOk(command)
    expect(command.stdout)
      .to.equal(flag.stdout)
      .and.match(/^deskrun\/\d+\.\d+\.\d+ /)
  })

  it('a misspelt or shortened flag: the flag meant, and where to see them all (not the whole help)', async () => {
    const typo = await s.deskrun(['add', 'web', '--repo', 'https://github.com/o/r', '--max-runner', '2'])
    expect(typo.exitCode).to.equal(2)
    expect(unwrap(typo.stderr)).to.contain(
      'Unknown flag --repo. Did you mean --repository? Unknown flag --max-runner. Did you mean --max-runners? See the flags with: deskrun add --help',
    )
    expect(typo.stdout + typo.stderr).not.to.contain('RUNNER FLAGS')
    const nothingClose = await s.deskrun(['remove', 'web', '--frobnicate'])
    expect(nothingClose.exitCode).to.equal(2)
    expect(unwrap(nothingClose.stderr)).to.contain(
      'Unknown flag --frobnicate. See the flags with: deskrun remove --help',
    )
  })

  it('an unknown command says so and exits 127, as a shell does (on a terminal it asks "did you mean")', async () => {
    const result = await s.deskrun(['stauts'])
    expect(result.exitCode).to.equal(127)
    expect(unwrap(result.stderr)).to.contain('stauts is not a deskrun command').and.contain('deskrun help')
    expect(await s.fake.calls()).to.deep.equal([])
  })

  describe('on a config without installations', () => {
    it('status points at deskrun add, not at deskrun up', async () => {
      const status = await s.deskrun(['status'])
      expectOk(status)
      expect(status.stdout).to.contain(GET_STARTED).and.not.contain('deskrun up')
      expect((await s.deskrun(['list'])).stdout).to.contain(GET_STARTED)
    })

    it('up says so and creates nothing: no cluster, no controller', async () => {
      const config = await readFile(s.configFile, 'utf8')
      const up = await s.deskrun(['up'])
      expectOk(up)
      expect(up.stdout).to.contain(`No installations yet. Add one with: ${GET_STARTED}`)
      expect(await s.fake.clusters()).to.deep.equal([])
      expect((await s.fake.calls('helm')).filter((call) => call.argv[0] !== 'version')).to.deep.equal([])
      expect(await readFile(s.configFile, 'utf8')).to.equal(config)
    })

    it('up still uninstalls the scale sets deskrun deployed before, and leaves the rest', async () => {
      expectOk(await s.add('web'))
      await s.writeInstallations({})
      expectOk(await s.deskrun(['up']))
      const releases = (await s.fake.releases('deskrun')).map((release) => release.name)
      expect(releases).to.deep.equal(['arc'])
    })
  })

  describe('status of one instance', () => {
    it('status NAME-2 shows that instance of NAME (the runs-on value add printed)', async () => {
      const add = await s.add('multi', '--instances', '3')
      expectOk(add)
      expect(add.stdout).to.contain('runs-on: multi-2')
      const json = await s.deskrun(['status', 'multi-2', '--json'])
      expectOk(json)
      const [installation] = JSON.parse(json.stdout).installations
      expect(installation.name).to.equal('multi')
      expect(installation.scaleSets.map((scaleSet: {name: string}) => scaleSet.name)).to.deep.equal([
        'multi-2',
      ])
      const human = await s.deskrun(['status', 'multi-2'])
      expectOk(human)
      expect(human.stdout)
        .to.match(/^ {2}multi-2: release deployed/m)
        .and.not.match(/multi-[13]:/)
      const unknown = await s.deskrun(['status', 'multi-4'])
      expect(unknown.exitCode).to.equal(2)
      expect(unwrap(unknown.stderr)).to.contain('No installation or instance named "multi-4"')
    })
  })

  describe("add's closing hint", () => {
    /** The indented lines after "Route jobs to it with", as YAML a job could hold. */
    const routeLines = (stdout: string) => {
      const after = stdout.slice(stdout.indexOf('Route jobs')).split('\n').slice(1)
      return after.slice(
        0,
        after.findIndex((line) => !line.startsWith('  ')),
      )
    }

    it('in kubernetes mode shows the container: a job there must declare, as deskrun snippet does', async () => {
      const add = await s.add('kube', '--mode', 'kubernetes')
      expectOk(add)
      const lines = routeLines(add.stdout)
      expect(parse(lines.join('\n'))).to.deep.equal({'runs-on': 'kube', container: 'ubuntu:24.04'})
      expect(add.stdout).to.contain('deskrun snippet kube')
      const snippet = await s.deskrun(['snippet', 'kube'])
      expect(lines.map((line) => line.trim())).to.deep.equal(snippet.stdout.trim().split('\n'))
      const json = await s.add('kube-json', '--mode', 'kubernetes', '--json')
      expect(JSON.parse(json.stdout)).to.deep.include({scaleSets: ['kube-json'], jobContainer: 'required'})
    })

    it('with --instances says that any one of the names works', async () => {
      const add = await s.add('multi', '--mode', 'kubernetes', '--instances', '2')
      expectOk(add)
      expect(unwrap(add.stdout)).to.contain('Route jobs to it with any one of these (one runner each):')
      expect(routeLines(add.stdout)).to.deep.equal([
        '  runs-on: multi-1',
        '  runs-on: multi-2',
        '  container: ubuntu:24.04 # required in kubernetes mode: the steps run in this image',
      ])
      expect(add.stdout).to.contain('deskrun snippet multi prints a matrix')
    })

    it('in dind mode shows no container:', async () => {
      const add = await s.add('docker', '--mode', 'dind')
      expectOk(add)
      expect(routeLines(add.stdout)).to.deep.equal(['  runs-on: docker'])
    })
  })

  it('status: a controller that is not ready says where to look', async () => {
    expectOk(await s.add('web'))
    await removeControllerPod(s.fake)
    const status = await s.deskrun(['status'])
    expectOk(status)
    expect(status.stdout).to.contain(
      'Controller arc (arc-systems): deployed, chart 0.14.2, not ready\n' +
        '  Check its pods: kubectl --context kind-deskrun -n arc-systems get pods, and its log: deskrun logs --controller\n',
    )
  })
})
