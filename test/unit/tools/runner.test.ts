import {expect} from 'chai'

import {DeskrunError} from '../../../src/lib/errors.js'
import {clearSecrets, redact, registerSecret} from '../../../src/lib/redact.js'
import {ToolRunner, killAfterMs} from '../../../src/lib/tools/runner.js'
import type {ToolName} from '../../../src/lib/tools/prerequisites.js'

// The runner only knows the four tools by type; node stands in for a tool that misbehaves.
const node = process.execPath as ToolName

describe('ToolRunner', () => {
  afterEach(() => clearSecrets())

  it('masks a registered secret and token shapes that a failing tool echoes on stderr', async () => {
    const secret = 'my-very-secret-value-123'
    registerSecret(secret)
    const script = `console.error('token ${secret} and ghp_${'a'.repeat(36)} rejected'); process.exit(3)`
    const error = await new ToolRunner()
      .run(node, ['-e', script], {step: 'test a tool', hint: 'try again'})
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
    expect(error).to.be.instanceOf(DeskrunError)
    const {message, hint} = error as DeskrunError
    expect(message).to.contain('Could not test a tool')
    expect(message).to.contain('exited with code 3')
    expect(message).to.contain('token *** and *** rejected')
    expect(message).not.to.contain(secret)
    expect(hint).to.equal('try again')
  })

  it('passes input on stdin, never on argv', async () => {
    const result = await new ToolRunner().run(node, ['-e', 'process.stdin.pipe(process.stdout)'], {
      input: 'from stdin',
    })
    expect(result.stdout).to.equal('from stdin')
    expect(result.command).not.to.contain('from stdin')
  })

  it('names a missing tool and how to install it', async () => {
    const error = await new ToolRunner({env: {PATH: '/nonexistent'}}).run('kind', ['version']).then(
      () => undefined,
      (caught: unknown) => caught as DeskrunError,
    )
    expect(error?.message).to.equal('kind is not installed (or not on PATH).')
    expect(error?.hint).to.contain('kind.sigs.k8s.io')
  })

  it('stops a call that takes longer than its timeout, naming the step', async () => {
    const error = await new ToolRunner({timeoutMs: 200})
      .run(node, ['-e', 'setTimeout(() => {}, 60000)'], {step: 'wait forever'})
      .then(
        () => undefined,
        (caught: unknown) => caught as DeskrunError,
      )
    expect(error?.code).to.equal('TIMEOUT')
    expect(error?.message).to.contain('Could not wait forever')
    expect(error?.hint).to.contain('--timeout')
  })

  it('gives a tool that was handed the timeout itself a grace period to give up first', async () => {
    expect(killAfterMs(600_000, true)).to.equal(660_000)
    expect(killAfterMs(4000, true)).to.equal(5000)
    expect(killAfterMs(4000)).to.equal(4000)
    const runner = new ToolRunner({timeoutMs: 400})
    expect(runner.toolTimeout()).to.equal('400ms')
    const forever = ['-e', 'setTimeout(() => {}, 60000)']
    const killed = (options: {ownTimeout?: boolean}) =>
      runner.run(node, forever, options).then(
        () => '',
        (caught: unknown) => (caught as DeskrunError).message,
      )
    expect(await killed({ownTimeout: true})).to.contain('did not finish within 500ms')
    expect(await killed({})).to.contain('did not finish within 400ms')
  })

  it('stops the child when the command is interrupted', async () => {
    const controller = new AbortController()
    const pending = new ToolRunner({signal: controller.signal}).run(node, [
      '-e',
      'setTimeout(() => {}, 60000)',
    ])
    controller.abort()
    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught as DeskrunError,
    )
    expect(error?.exit).to.equal(130)
  })
})

describe('redact', () => {
  afterEach(() => clearSecrets())

  it('masks token shapes and PEM blocks even when never registered', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----'
    expect(redact(`a ghs_${'x'.repeat(36)} b github_pat_${'y'.repeat(40)} c ${pem} d`)).to.equal(
      'a *** b *** c *** d',
    )
  })

  it('masks each line of a registered key, even re-wrapped', () => {
    registerSecret(
      '-----BEGIN RSA PRIVATE KEY-----\nAAAABBBBCCCCDDDDEEEE\nFFFFGGGGHHHHIIIIJJJJ\n-----END RSA PRIVATE KEY-----',
    )
    expect(redact('saw AAAABBBBCCCCDDDDEEEE then FFFFGGGGHHHHIIIIJJJJ')).to.equal('saw *** then ***')
  })
})
