import {expect} from 'chai'

import {checkDocker, checkTool} from '../../../src/lib/doctor/checks/tools.js'
import {DeskrunError} from '../../../src/lib/errors.js'
import {FakeRunner, context, healthyAnswers, healthyMachine, missing} from './fakes.js'

describe('doctor: tool checks', () => {
  describe('kind, helm and kubectl', () => {
    it('reports the version and which copy is used', async () => {
      const machine = healthyMachine()
      machine.programs.kind = {path: '/home/dev/.deskrun/bin/kind', source: 'deskrun'}
      const ctx = context(new FakeRunner(healthyAnswers()), machine)
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
      const runner = new FakeRunner(healthyAnswers())
      const check = await checkTool(context(runner, machine), 'helm')
      expect(check).to.include({status: 'fail', provisionable: true})
      expect(check.found).to.contain('not found')
      expect(check.fix)
        .to.contain('deskrun doctor --fix')
        .and.contain('helm v3.18.4')
        .and.contain('helm.sh/docs')
      expect(runner.calls).to.deep.equal([])
    })

    it('points at the install docs alone where deskrun has no pinned download', async () => {
      const machine = healthyMachine()
      delete machine.programs.kind
      const check = await checkTool(
        context(new FakeRunner({}), machine, {provisionable: () => undefined}),
        'kind',
      )
      expect(check).to.include({status: 'fail', provisionable: false})
      expect(check.fix).to.match(/^Install kind: https:\/\/kind\.sigs\.k8s\.io/)
    })

    it('fails versions older than deskrun supports', async () => {
      const answers = {
        ...healthyAnswers(),
        'kind version': {stdout: 'kind v0.17.0 go1.19.2 linux/amd64'},
        'helm version --short': {stdout: 'v3.12.3+g3a31588'},
        'kubectl version --client --output json': {
          stdout: JSON.stringify({clientVersion: {gitVersion: 'v1.26.9'}}),
        },
      }
      const ctx = context(new FakeRunner(answers), healthyMachine())
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
      const answers = {
        ...healthyAnswers(),
        'kind version': {exitCode: 126, stderr: 'cannot execute binary file: Exec format error'},
        'helm version --short': {stdout: 'something else'},
      }
      const ctx = context(new FakeRunner(answers), healthyMachine())
      const kind = await checkTool(ctx, 'kind')
      expect(kind.status).to.equal('fail')
      expect(kind.found).to.contain('/usr/local/bin/kind does not run: cannot execute binary file')
      expect((await checkTool(ctx, 'helm')).status).to.equal('warn')
    })

    it('treats a tool that vanished between lookup and run as missing', async () => {
      const answers = {...healthyAnswers(), 'kubectl version --client --output json': missing('kubectl')}
      const check = await checkTool(context(new FakeRunner(answers), healthyMachine()), 'kubectl')
      expect(check.status).to.equal('fail')
      expect(check.found).to.contain('kubectl is not installed')
    })
  })

  describe('Docker', () => {
    it('reports the daemon version', async () => {
      const check = await checkDocker(context(new FakeRunner(healthyAnswers()), healthyMachine()))
      expect(check).to.include({status: 'ok', found: 'Docker Engine 27.5.1 (API 1.47, linux/amd64)'})
    })

    it('fails when no docker command exists, and says how to use Podman when that is there', async () => {
      const machine = healthyMachine()
      delete machine.programs.docker
      const plain = await checkDocker(context(new FakeRunner({}), machine))
      expect(plain).to.include({status: 'fail', found: 'docker not found on PATH'})
      expect(plain.fix).to.contain('docs.docker.com')

      machine.programs.podman = {path: '/usr/bin/podman', source: 'path'}
      const podman = await checkDocker(context(new FakeRunner({}), machine))
      expect(podman.status).to.equal('fail')
      expect(podman.found).to.contain('Podman is installed')
      expect(podman.fix).to.contain('podman-docker').and.contain('KIND_EXPERIMENTAL_PROVIDER=podman')
    })

    it('fails when the daemon is down, with a fix for each cause', async () => {
      const down = (stderr: string) =>
        context(
          new FakeRunner({
            'docker version --format {{json .}}': {
              exitCode: 1,
              stdout: JSON.stringify({Client: {Version: '27.5.1'}, Server: null}),
              stderr,
            },
          }),
          healthyMachine(),
        )
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

    it('fails when docker hangs (the runner timed out)', async () => {
      const timedOut = new DeskrunError('docker did not finish within 30s.', {code: 'TIMEOUT'})
      const check = await checkDocker(
        context(new FakeRunner({'docker version --format {{json .}}': timedOut}), healthyMachine()),
      )
      expect(check.status).to.equal('fail')
      expect(check.found).to.contain('did not finish within 30s')
    })

    it('accepts Podman behind the docker command, and warns until kind is told to use it', async () => {
      const podman = JSON.stringify({
        Client: {Version: '5.2.2'},
        Server: {
          Version: '5.2.2',
          ApiVersion: '5.2.2',
          Os: 'linux',
          Arch: 'amd64',
          Components: [{Name: 'Podman Engine'}],
        },
      })
      const runner = new FakeRunner({'docker version --format {{json .}}': {stdout: podman}})
      const unset = await checkDocker(context(runner, healthyMachine()))
      expect(unset).to.include({status: 'warn'})
      expect(unset.found).to.match(/^Podman 5\.2\.2/)
      expect(unset.fix).to.contain('KIND_EXPERIMENTAL_PROVIDER=podman')
      const set = await checkDocker(
        context(runner, healthyMachine(), {env: {KIND_EXPERIMENTAL_PROVIDER: 'podman'}}),
      )
      expect(set.status).to.equal('ok')
    })
  })
})
