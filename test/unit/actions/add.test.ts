import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {addInstallation, type AddRequest} from '../../../src/lib/app/add.js'
import type {ActionContext} from '../../../src/lib/app/context.js'
import {UsageError} from '../../../src/lib/domain/errors.js'
import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'

describe('addInstallation on macOS', () => {
  let home: string
  let previous: string | undefined
  const config = JSON.stringify({version: 1, cluster_name: 'deskrun', installations: {}})

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-add-'))
    previous = process.env.DESKRUN_HOME
    process.env.DESKRUN_HOME = home
    await writeFile(path.join(home, 'config.json'), config, {mode: 0o600})
    await writeFile(path.join(home, 'token'), 'ghp_TestTokenDoNotLeak0123456789abcdefABCD\n', {mode: 0o600})
  })
  afterEach(async () => {
    if (previous === undefined) delete process.env.DESKRUN_HOME
    else process.env.DESKRUN_HOME = previous
    await rm(home, {recursive: true, force: true})
  })

  const context: ActionContext = {
    modes: {
      modes: builtinModes.map((mode) => ({mode, source: {type: 'built-in'}})),
      warnings: [],
      details: [],
    },
    tools: () => {
      throw new Error('no tool may be reached')
    },
    hostTools: () => {
      throw new Error('no tool may be reached')
    },
    json: false,
    note: () => {},
    yes: false,
    platform: 'darwin',
  }
  const request = (cache: string[]): AddRequest => ({
    name: 'docker-runner',
    repository: 'https://github.com/owner/repo',
    mode: 'cached-privileged-kubernetes',
    cache,
    instances: 1,
    label: [],
    credentials: {authType: 'pat', authValueFile: path.join(home, 'token')},
  })

  it('refuses a cache at a Docker data root before anything runs or changes, and says why', async () => {
    const error = await addInstallation(context, request(['/root/.cache', '/var/lib/docker'])).then(
      () => expect.fail('expected a UsageError'),
      (error: unknown) => error,
    )
    expect(error).to.be.instanceOf(UsageError)
    const {message} = error as UsageError
    expect(message)
      .to.contain('--cache /var/lib/docker: on macOS Docker runs in a VM')
      .and.contain('overlay2')
    expect(message).to.contain('Leave that --cache out').and.not.contain('/root/.cache')
    expect(await readFile(path.join(home, 'config.json'), 'utf8')).to.equal(config)
  })

  it('leaves a Docker data root in a claim alone: it lives on the VM’s disk, not in a shared folder', async () => {
    // Five runners on one data root are refused for their own reason; the macOS one does not apply.
    const error = await addInstallation(context, {
      ...request(['/var/lib/docker']),
      cacheStorageClass: 'standard',
    }).then(
      () => expect.fail('expected a UsageError'),
      (error: unknown) => error,
    )
    const {message} = error as UsageError
    expect(message).to.contain("/var/lib/docker is Docker's data root").and.not.contain('on macOS')
  })
})
