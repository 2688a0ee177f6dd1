/** The cluster lock: one deskrun at a time per cluster, a second one waits, and what it says when it cannot. */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, rm, utimes, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {clusterLockPath, withClusterLock} from '../../src/lib/adapters/cluster-lock.js'
import {DeskrunError} from '../../src/lib/domain/errors.js'

describe('withClusterLock', () => {
  let home: string
  let previous: string | undefined
  let notes: string[]
  const context = (extra: {timeoutMs?: number; signal?: AbortSignal} = {}) => ({
    note: (message: string) => void notes.push(message),
    ...extra,
  })

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-lock-'))
    previous = process.env.DESKRUN_HOME
    process.env.DESKRUN_HOME = path.join(home, 'not-yet')
    notes = []
  })
  afterEach(async () => {
    if (previous === undefined) delete process.env.DESKRUN_HOME
    else process.env.DESKRUN_HOME = previous
    await rm(home, {recursive: true, force: true})
  })

  it('lives in DESKRUN_HOME (created when missing), one per cluster, and is gone afterwards', async () => {
    const lock = clusterLockPath('desk')
    expect(lock).to.equal(path.join(home, 'not-yet', 'cluster-desk.lock'))
    const seen = await withClusterLock(context(), 'desk', async () => existsSync(lock))
    expect(seen).to.equal(true)
    expect(existsSync(lock)).to.equal(false)
    expect(notes).to.deep.equal([])
  })

  it('a second holder waits for the first, and says so once', async () => {
    const order: string[] = []
    let release!: () => void
    const first = withClusterLock(context(), 'desk', async () => {
      order.push('first in')
      await new Promise<void>((resolve) => (release = resolve))
      order.push('first out')
    })
    while (!existsSync(clusterLockPath('desk'))) await new Promise((resolve) => setImmediate(resolve))
    const second = withClusterLock(context(), 'desk', async () => void order.push('second'))
    while (notes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    release()
    await Promise.all([first, second])
    expect(order).to.deep.equal(['first in', 'first out', 'second'])
    expect(notes).to.deep.equal([
      'Another deskrun process is working on cluster "desk"; waiting for it to finish (up to 10m).',
    ])
  })

  it('a file where the lock folder goes is named at once, not taken for a lock', async () => {
    await mkdir(path.dirname(clusterLockPath('desk')), {recursive: true})
    await writeFile(clusterLockPath('desk'), '')
    const error = await withClusterLock(context(), 'desk', async () => 'ran').catch(
      (thrown: unknown) => thrown,
    )
    expect(error).to.be.instanceOf(DeskrunError)
    expect((error as DeskrunError).message).to.equal(
      `${clusterLockPath('desk')} is a file, where deskrun makes a lock folder while a command changes the cluster or the config.`,
    )
    expect((error as DeskrunError).hint).to.contain(`mv ${clusterLockPath('desk')}`)
    expect(notes).to.deep.equal([])
  })

  it('other clusters do not wait', async () => {
    await withClusterLock(context(), 'one', () => withClusterLock(context(), 'two', async () => {}))
    expect(notes).to.deep.equal([])
  })

  it('gives up after --timeout, naming the cluster and what to do', async () => {
    const error = await withClusterLock(context(), 'desk', () =>
      withClusterLock(context({timeoutMs: 50}), 'desk', async () => 'ran').catch((thrown: unknown) => thrown),
    )
    expect(error).to.be.instanceOf(DeskrunError)
    const {message, hint, code, exit} = error as DeskrunError
    expect({message, code, exit}).to.deep.equal({
      message: 'Another deskrun process is still working on cluster "desk" after 50ms.',
      code: 'CLUSTER_BUSY',
      exit: 1,
    })
    expect(hint).to.contain('--timeout').and.contain(clusterLockPath('desk'))
  })

  it('Ctrl-C while waiting: exit 130, nothing ran', async () => {
    const interruption = new AbortController()
    let ran = false
    const error = await withClusterLock(context(), 'desk', async () => {
      const waiting = withClusterLock(context({signal: interruption.signal}), 'desk', async () => {
        ran = true
      }).catch((thrown: unknown) => thrown)
      while (notes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      interruption.abort()
      return waiting
    })
    expect(ran).to.equal(false)
    expect(error).to.be.instanceOf(DeskrunError)
    expect((error as DeskrunError).exit).to.equal(130)
    expect((error as DeskrunError).message).to.equal(
      'Interrupted while waiting for another deskrun process working on cluster "desk".',
    )
  })

  it('takes over a lock left by a process that died', async () => {
    const lock = clusterLockPath('desk')
    await mkdir(lock, {recursive: true})
    const longAgo = new Date(Date.now() - 60_000)
    await utimes(lock, longAgo, longAgo)
    expect(await withClusterLock(context({timeoutMs: 50}), 'desk', async () => 'ran')).to.equal('ran')
    expect(notes).to.deep.equal([])
  })

  it('is released when the work fails', async () => {
    const failure = new Error('helm failed')
    const thrown = await withClusterLock(context(), 'desk', async () => {
      throw failure
    }).catch((error: unknown) => error)
    expect(thrown).to.equal(failure)
    expect(existsSync(clusterLockPath('desk'))).to.equal(false)
  })
})
