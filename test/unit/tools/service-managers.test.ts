/** How the systemctl and launchctl adapters read their answers, in the words of several versions. */
import {expect} from 'chai'

import {Launchctl, NoServiceManager, Systemctl} from '../../../src/lib/adapters/tools/service-managers.js'
import {rejection} from '../../helpers/rejection.js'
import {RecordingRunner, type Script} from './recording-runner.js'

describe('systemctl --user', () => {
  const systemctl = (script: Script) => new Systemctl(new RecordingRunner(script).runner)

  it('no user manager, in the words of systemd 252 and of 255 and later, is NoServiceManager', async () => {
    for (const stderr of [
      'Failed to connect to bus: No medium found',
      'Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to bus of other user)',
      'Failed to connect to user scope bus via local transport: No such file or directory',
    ]) {
      const error = await rejection(systemctl(() => ({exitCode: 1, stderr})).isActive('deskrun.service'))
      expect(error, stderr).to.be.instanceOf(NoServiceManager)
      expect((error as NoServiceManager).said).to.equal(stderr)
    }
  })

  it('is-enabled: the word it prints whatever the exit code; a missing unit in either version is not-found', async () => {
    const answer = (stdout: string, exitCode: number, stderr = '') =>
      systemctl(() => ({stdout, exitCode, stderr})).isEnabled('deskrun.service')
    expect(await answer('enabled', 0)).to.equal('enabled')
    expect(await answer('disabled', 1)).to.equal('disabled')
    expect(await answer('not-found', 4)).to.equal('not-found')
    expect(
      await answer('', 1, 'Failed to get unit file state for deskrun.service: No such file or directory'),
    ).to.equal('not-found')
  })

  it('disable: a unit that is not there is no failure; another failure is', async () => {
    await systemctl(() => ({
      exitCode: 1,
      stderr: 'Failed to disable unit: Unit file deskrun.service does not exist.',
    })).disable('deskrun.service')
    const error = await rejection(
      systemctl(() => ({exitCode: 1, stderr: 'Failed to disable unit: Access denied'})).disable(
        'deskrun.service',
      ),
    )
    expect((error as Error).message).to.contain('Access denied')
  })
})

describe('launchctl', () => {
  it('print: the state and last exit code of a loaded agent; not loaded (exit 113) is undefined', async () => {
    const printed = [
      'gui/501/dev.deskrun.up = {',
      '\tactive count = 0',
      '\tpath = /Users/jane/Library/LaunchAgents/dev.deskrun.up.plist',
      '\tstate = not running',
      '\truns = 2',
      '\tlast exit code = 1',
      '}',
    ].join('\n')
    const loaded = new Launchctl(new RecordingRunner(() => ({stdout: printed})).runner)
    expect(await loaded.print('gui/501/dev.deskrun.up')).to.deep.equal({
      state: 'not running',
      lastExitCode: 1,
    })
    const never = new Launchctl(
      new RecordingRunner(() => ({
        stdout: printed.replace('last exit code = 1', 'last exit code = (never exited)'),
      })).runner,
    )
    expect(await never.print('gui/501/dev.deskrun.up')).to.deep.equal({state: 'not running'})
    const missing = new Launchctl(
      new RecordingRunner(() => ({
        exitCode: 113,
        stderr: 'Bad request.\nCould not find service "dev.deskrun.up" in domain for user gui: 501',
      })).runner,
    )
    expect(await missing.print('gui/501/dev.deskrun.up')).to.equal(undefined)
  })

  it('bootout: not loaded ("Boot-out failed: 3: No such process") is no failure', async () => {
    const recording = new RecordingRunner(() => ({
      exitCode: 3,
      stderr: 'Boot-out failed: 3: No such process',
    }))
    await new Launchctl(recording.runner).bootout('gui/501/dev.deskrun.up')
    expect(recording.calls).to.deep.equal([['launchctl', 'bootout', 'gui/501/dev.deskrun.up']])
  })
})
