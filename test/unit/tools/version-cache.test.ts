/** Tool versions are remembered per executable, so a converged `up` does not ask kind, helm and kubectl again. */
import {chmod, mkdir, mkdtemp, rm, stat, utimes, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {readToolVersion} from '../../../src/lib/adapters/tools/versions.js'
import {RecordingRunner} from './recording-runner.js'

describe('tool versions', () => {
  let dir: string
  let env: NodeJS.ProcessEnv
  let output: string
  const runner = () => new RecordingRunner(() => ({stdout: output}), env)

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-versions-'))
    env = {PATH: path.join(dir, 'bin'), DESKRUN_HOME: path.join(dir, 'home')}
    output = 'kind v0.29.0 go1.24.2 linux/amd64'
    await mkdir(path.join(dir, 'bin'))
    await writeFile(path.join(dir, 'bin', 'kind'), '#!/bin/sh\necho kind\n')
    await chmod(path.join(dir, 'bin', 'kind'), 0o755)
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('asks an executable once, and remembers the answer in a private file', async () => {
    const first = runner()
    expect((await readToolVersion(first.runner, 'kind')).version).to.equal('0.29.0')
    const second = runner()
    expect(await readToolVersion(second.runner, 'kind')).to.deep.equal({version: '0.29.0', output})
    expect(first.calls).to.deep.equal([['kind', 'version']])
    expect(second.calls).to.deep.equal([])
    const cache = await stat(path.join(dir, 'home', 'cache', 'tool-versions.json'))
    expect(cache.mode & 0o077).to.equal(0)
  })

  it('asks again when the executable was replaced (another size or modification time)', async () => {
    await readToolVersion(runner().runner, 'kind')
    output = 'kind v0.30.0 go1.25.1 linux/amd64'
    const later = new Date(Date.now() + 60_000)
    await utimes(path.join(dir, 'bin', 'kind'), later, later)
    const again = runner()
    expect((await readToolVersion(again.runner, 'kind')).version).to.equal('0.30.0')
    expect(again.calls).to.have.length(1)
  })

  it('remembers every tool when they are asked side by side (doctor runs its checks at once)', async () => {
    for (const tool of ['helm', 'kubectl']) {
      await writeFile(path.join(dir, 'bin', tool), `#!/bin/sh\necho ${tool}\n`)
      await chmod(path.join(dir, 'bin', tool), 0o755)
    }
    const answers: Record<string, string> = {
      kind: output,
      helm: 'v3.18.4+gd80839c',
      kubectl: '{"clientVersion": {"gitVersion": "v1.33.1"}}',
    }
    const first = new RecordingRunner((tool) => ({stdout: answers[tool]}), env)
    await Promise.all(
      (['kind', 'helm', 'kubectl'] as const).map((tool) => readToolVersion(first.runner, tool)),
    )
    const again = new RecordingRunner((tool) => ({stdout: answers[tool]}), env)
    await Promise.all(
      (['kind', 'helm', 'kubectl'] as const).map((tool) => readToolVersion(again.runner, tool)),
    )
    expect(again.calls).to.deep.equal([])
  })

  it('does not remember an answer it could not read', async () => {
    output = 'something else'
    await readToolVersion(runner().runner, 'kind')
    const again = runner()
    await readToolVersion(again.runner, 'kind')
    expect(again.calls).to.have.length(1)
  })
})
