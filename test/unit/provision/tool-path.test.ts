import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {deskrunBinDir, missingTools, toolEnv, toolPath} from '../../../src/lib/tools/prerequisites.js'
import {ToolRunner} from '../../../src/lib/tools/runner.js'

describe('provision: deskrun’s own tools come before PATH', function () {
  if (process.platform === 'win32') return

  it('puts $DESKRUN_HOME/bin first, once', () => {
    const env = {DESKRUN_HOME: '/h', PATH: '/usr/bin:/h/bin:/bin'}
    expect(deskrunBinDir(env)).to.equal('/h/bin')
    expect(toolPath(env)).to.equal('/h/bin:/usr/bin:/bin')
    expect(toolPath({HOME: '/home/dev', DESKRUN_HOME: '', PATH: ''})).to.match(/\/\.deskrun\/bin$/)
  })

  it('gives child processes that PATH without changing the environment it was given', () => {
    const env = {DESKRUN_HOME: '/h', PATH: '/usr/bin', HOME: '/home/dev'}
    expect(toolEnv(env)).to.deep.equal({PATH: '/h/bin:/usr/bin', HOME: '/home/dev'})
    expect(env.PATH).to.equal('/usr/bin')
  })

  it('finds and runs a tool that exists only in deskrun’s folder', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-toolpath-'))
    try {
      await mkdir(path.join(home, 'bin'))
      await writeFile(path.join(home, 'bin', 'kind'), '#!/bin/sh\necho "kind from deskrun $1"\n', {
        mode: 0o755,
      })
      const env = {DESKRUN_HOME: home, PATH: '/usr/bin:/bin'}
      expect(await missingTools(['kind', 'helm'], env)).to.deep.equal(['helm'])
      const result = await new ToolRunner({env}).run('kind', ['version'])
      expect(result.stdout).to.equal('kind from deskrun version')
    } finally {
      await rm(home, {recursive: true, force: true})
    }
  })
})
