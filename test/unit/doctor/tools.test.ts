import {expect} from 'chai'

import {checkDocker, checkTool} from '../../../src/lib/doctor/checks/tools.js'
import {DeskrunError} from '../../../src/lib/errors.js'
import {FakeTools, context, failed, healthyMachine, healthyWorld, missing, type World} from './fakes.js'

const tools = (world: Partial<World> = {}) => new FakeTools({...healthyWorld(), ...world})
const versions = (answers: Partial<World['versions']>) => ({
  versions: {...healthyWorld().versions, ...answers},
})

describe('doctor: tool checks', () => {
  describe('kind, helm and kubectl', () => {
    it('reports the version and which copy is used', async () => {
      const machine = healthyMachine()
      machine.programs.kind = {path: '/home/dev/.deskrun/bin/kind', source: 'deskrun'}
      const ctx = context(tools(), machine)
      const kind = await checkTool(ctx, 'kind')
      expect(kind).to.include({id: 'kind', status: 'ok'})
      expect(kind.found).to.match(/^v0\.29\.0 \(deskrun's copy: .*\/\.deskrun\/bin\/kind\)$/)
      expect(kind.tool).to.deep.equal({
        path: '/home/dev/.deskrun/bin/kind',
        source: 'deskrun',
        version: '0.29.0',
      })
      expect((await checkTool(ctx, 'helm')).found).to.equal('v3.18.4 (PATH: /usr/local/bin/helm)')
      expect((await checkTool(ctx, 'kubectl')).found).to.equal('v1.33.1 (PATH: /usr/local/bin/kubectl)')
    })

    it('fails a missing tool with deskrun’s pinned install as the fix', async () => {
      const machine = healthyMachine()
      delete machine.programs.helm
      const fake = tools()
      const check = await checkTool(context(fake, machine), 'helm')
      expect(check).to.include({status: 'fail', provisionable: true})
      expect(check.found).to.contain('not found')
      expect(check.fix)
        .to.contain('deskrun doctor --fix')
        .and.contain('helm v3.18.4')
        .and.contain('helm.sh/docs')
      expect(fake.calls).to.deep.equal([])
    })

    it('points at the install docs alone where deskrun has no pinned download', async () => {
      const machine = healthyMachine()
      delete machine.programs.kind
      const check = await checkTool(context(tools(), machine, {provisionable: () => undefined}), 'kind')
      expect(check).to.include({status: 'fail', provisionable: false})
      expect(check.fix).to.match(/^Install kind: https:\/\/kind\.sigs\.k8s\.io/)
    })

    it('fails versions older than deskrun supports', async () => {
      const old = versions({
        kind: {version: '0.17.0', output: 'kind v0.17.0 go1.19.2 linux/amd64'},
        helm: {version: '3.12.3', output: 'v3.12.3+g3a31588'},
        kubectl: {version: '1.26.9', output: '{"clientVersion": {"gitVersion": "v1.26.9"}}'},
      })
      const ctx = context(tools(old), healthyMachine())
      for (const [tool, floor] of [
        ['kind', '0.20.0'],
        ['helm', '3.13.0'],
        ['kubectl', '1.27.0'],
      ] as const) {
        const check = await checkTool(ctx, tool)
        expect(check.status, tool).to.equal('fail')
        expect(check.found, tool).to.contain('too old').and.contain(floor)
        expect(check.provisionable, tool).to.equal(true)
      }
    })

    it('fails a copy that does not run, and warns about output it cannot read', async () => {
      const answers = versions({
        kind: failed('cannot execute binary file: Exec format error'),
        helm: {output: 'something else'},
      })
      const ctx = context(tools(answers), healthyMachine())
      const kind = await checkTool(ctx, 'kind')
      expect(kind.status).to.equal('fail')
      expect(kind.found).to.contain('/usr/local/bin/kind does not run: cannot execute binary file')
      const helm = await checkTool(ctx, 'helm')
      expect(helm.status).to.equal('warn')
      expect(helm.found).to.equal('unrecognised version "something else" (PATH: /usr/local/bin/helm)')
    })

    it('treats a tool that vanished between lookup and run as missing', async () => {
      const check = await checkTool(
        context(tools(versions({kubectl: missing('kubectl')})), healthyMachine()),
        'kubectl',
      )
      expect(check.status).to.equal('fail')
      expect(check.found).to.contain('kubectl is not installed')
    })
  })

  describe('Docker', () => {
    it('reports the daemon version', async () => {
      const check = await checkDocker(context(tools(), healthyMachine()))
      expect(check).to.include({status: 'ok', found: 'Docker Engine 27.5.1 (API 1.47, linux/amd64)'})
    })

    it('fails when no docker command exists, and says how to use Podman when that is there', async () => {
      const machine = healthyMachine()
      delete machine.programs.docker
      const plain = await checkDocker(context(tools(), machine))
      expect(plain).to.include({status: 'fail', found: 'docker not found on PATH'})
      expect(plain.fix).to.contain('docs.docker.com')

      machine.programs.podman = {path: '/usr/bin/podman', source: 'path'}
      const podman = await checkDocker(context(tools(), machine))
      expect(podman.status).to.equal('fail')
      expect(podman.found).to.contain('Podman is installed')
      expect(podman.fix).to.contain('podman-docker').and.contain('KIND_EXPERIMENTAL_PROVIDER=podman')
    })

    it('fails when the daemon is down, with a fix for each cause', async () => {
      const down = (stderr: string) => context(tools({docker: failed(stderr)}), healthyMachine())
      const stopped = await checkDocker(
        down(
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        ),
      )
      expect(stopped.status).to.equal('fail')
      expect(stopped.found).to.contain('not reachable').and.contain('Cannot connect')
      expect(stopped.fix).to.contain('systemctl start docker')

      const denied = await checkDocker(
        down(
          'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
        ),
      )
      expect(denied.fix).to.contain('usermod -aG docker')
    })

    it('fails when docker answers without a daemon', async () => {
      const check = await checkDocker(
        context(tools({docker: {Client: {Version: '27.5.1'}, Server: null}}), healthyMachine()),
      )
      expect(check).to.include({
        status: 'fail',
        found: 'the Docker daemon is not reachable: docker version reports no server',
      })
    })

    it('fails when docker hangs (the runner timed out)', async () => {
      const timedOut = new DeskrunError('docker did not finish within 30s.', {code: 'TIMEOUT'})
      const check = await checkDocker(context(tools({docker: timedOut}), healthyMachine()))
      expect(check.status).to.equal('fail')
      expect(check.found).to.contain('did not finish within 30s')
    })

    it('accepts Podman behind the docker command, and warns until kind is told to use it', async () => {
      const podman = {
        Client: {Version: '5.2.2'},
        Server: {
          Version: '5.2.2',
          ApiVersion: '5.2.2',
          Os: 'linux',
          Arch: 'amd64',
          Components: [{Name: 'Podman Engine'}],
        },
      }
      const fake = tools({docker: podman})
      const unset = await checkDocker(context(fake, healthyMachine()))
      expect(unset).to.include({status: 'warn'})
      expect(unset.found).to.match(/^Podman 5\.2\.2/)
      expect(unset.fix).to.contain('KIND_EXPERIMENTAL_PROVIDER=podman')
      const set = await checkDocker(
        context(fake, healthyMachine(), {env: {KIND_EXPERIMENTAL_PROVIDER: 'podman'}}),
      )
      expect(set.status).to.equal('ok')
    })
  })
})
