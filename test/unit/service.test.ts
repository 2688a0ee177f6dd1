/** The systemd unit and launchd agent of `deskrun service`, rendered for either platform on any. */
import {expect} from 'chai'

import {
  renderService,
  serviceEnvironment,
  serviceFile,
  serviceManagerFor,
  type ServiceSpec,
} from '../../src/lib/domain/service.js'

const spec = (fields: Partial<ServiceSpec> = {}): ServiceSpec => ({
  node: '/home/jane/.nvm/versions/node/v20.19.0/bin/node',
  cli: '/home/jane/.nvm/versions/node/v20.19.0/lib/node_modules/deskrun/bin/run.js',
  env: {PATH: '/home/jane/.local/bin:/usr/local/bin:/usr/bin:/bin'},
  logFile: '/home/jane/.deskrun/logs/service.log',
  home: '/home/jane',
  ...fields,
})

/** The lines of a unit that set `key`. */
const settings = (unit: string, key: string) =>
  unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1))

/**
 * Splits an ExecStart=/Environment= value as systemd does (extract_first_word with EXTRACT_UNQUOTE |
 * EXTRACT_CUNESCAPE), then undoes `$$` and `%%` (exec: also `$$`): what the process gets.
 */
function systemdWords(value: string, {exec}: {exec: boolean}): string[] {
  const words: string[] = []
  for (const [, word] of value.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    let text = word.replaceAll(/\\(.)/g, '$1').replaceAll('%%', '%')
    if (exec) text = text.replaceAll('$$', '$')
    words.push(text)
  }
  return words
}

describe('deskrun service files', () => {
  it('systemd on Linux, launchd on macOS, none elsewhere', () => {
    expect(serviceManagerFor('linux')).to.equal('systemd')
    expect(serviceManagerFor('darwin')).to.equal('launchd')
    expect(serviceManagerFor('win32')).to.equal(undefined)
    expect(serviceFile('systemd', '/home/jane')).to.equal('/home/jane/.config/systemd/user/deskrun.service')
    expect(serviceFile('launchd', '/Users/jane')).to.equal(
      '/Users/jane/Library/LaunchAgents/dev.deskrun.up.plist',
    )
  })

  describe('the systemd user unit', () => {
    it('runs this node with this deskrun, the PATH of now, appends to the log, tries again after a failure', () => {
      const unit = renderService('systemd', spec())
      expect(settings(unit, 'ExecStart')).to.deep.equal([
        '"/home/jane/.nvm/versions/node/v20.19.0/bin/node" "/home/jane/.nvm/versions/node/v20.19.0/lib/node_modules/deskrun/bin/run.js" "up"',
      ])
      expect(settings(unit, 'Environment')).to.deep.equal([
        '"PATH=/home/jane/.local/bin:/usr/local/bin:/usr/bin:/bin"',
      ])
      expect(settings(unit, 'StandardOutput')).to.deep.equal(['append:/home/jane/.deskrun/logs/service.log'])
      expect(settings(unit, 'StandardError')).to.deep.equal(['append:/home/jane/.deskrun/logs/service.log'])
      expect(settings(unit, 'Type')).to.deep.equal(['oneshot'])
      expect(settings(unit, 'RemainAfterExit')).to.deep.equal(['yes'])
      expect(settings(unit, 'Restart')).to.deep.equal(['on-failure'])
      expect(settings(unit, 'RestartSec')).to.deep.equal(['30s'])
      expect(settings(unit, 'RestartPreventExitStatus')).to.deep.equal(['2'])
      expect(settings(unit, 'WantedBy')).to.deep.equal(['default.target'])
      // No dependency on the system's docker.service: a user unit cannot have one.
      expect(unit).not.to.match(/^(After|Requires|Wants)=/m)
    })

    it('quotes paths with spaces, quotes, backslashes, dollars and percent signs so that the process gets them as they are', () => {
      const odd = spec({
        node: '/opt/My Tools/node "20"/bin/node',
        cli: '/Users/Jane Doe/100% $HOME\\deskrun/bin/run.js',
        env: {PATH: '/opt/My Tools/bin:/usr/bin', DESKRUN_HOME: '/home/jane/Desk Run 50%'},
        logFile: '/home/jane/Desk Run 50%/logs/service.log',
      })
      const unit = renderService('systemd', odd)
      expect(systemdWords(settings(unit, 'ExecStart')[0], {exec: true})).to.deep.equal([
        odd.node,
        odd.cli,
        'up',
      ])
      expect(
        settings(unit, 'Environment').flatMap((value) => systemdWords(value, {exec: false})),
      ).to.deep.equal(['PATH=/opt/My Tools/bin:/usr/bin', 'DESKRUN_HOME=/home/jane/Desk Run 50%'])
      // systemd takes the rest of the line as the path; only % is special there.
      expect(settings(unit, 'StandardOutput')).to.deep.equal([
        'append:/home/jane/Desk Run 50%%/logs/service.log',
      ])
    })

    it('refuses a path with a line break, which no unit line can hold', () => {
      expect(() => renderService('systemd', spec({cli: '/opt/deskrun\n[Service]/bin/run.js'}))).to.throw(
        /control character/,
      )
    })
  })

  describe('the launchd agent', () => {
    it('runs node with deskrun up at load and again after a failure, with the PATH of now and the log', () => {
      const plist = renderService('launchd', spec({home: '/Users/jane'}))
      expect(plist).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC/)
      expect(plist).to.contain('<key>Label</key>\n\t<string>dev.deskrun.up</string>')
      expect(plist).to.contain(
        [
          '<key>ProgramArguments</key>',
          '\t<array>',
          `\t\t<string>${spec().node}</string>`,
          `\t\t<string>${spec().cli}</string>`,
          '\t\t<string>up</string>',
          '\t</array>',
        ].join('\n'),
      )
      expect(plist).to.contain(
        '<key>PATH</key>\n\t\t<string>/home/jane/.local/bin:/usr/local/bin:/usr/bin:/bin</string>',
      )
      expect(plist).to.contain('<key>RunAtLoad</key>\n\t<true/>')
      expect(plist).to.contain('<key>KeepAlive</key>\n\t<dict>\n\t\t<key>SuccessfulExit</key>\n\t\t<false/>')
      expect(plist).to.contain('<key>ThrottleInterval</key>\n\t<integer>30</integer>')
      expect(plist).to.contain(
        '<key>StandardOutPath</key>\n\t<string>/home/jane/.deskrun/logs/service.log</string>',
      )
      expect(plist).to.contain(
        '<key>StandardErrorPath</key>\n\t<string>/home/jane/.deskrun/logs/service.log</string>',
      )
      expect(plist.trimEnd().endsWith('</plist>')).to.equal(true)
    })

    it('escapes what XML would read otherwise; spaces need nothing', () => {
      const plist = renderService(
        'launchd',
        spec({cli: '/Users/Jane & Co/<deskrun>/bin/run.js', env: {PATH: '/Applications/My "Tools"/bin'}}),
      )
      expect(plist).to.contain('<string>/Users/Jane &amp; Co/&lt;deskrun&gt;/bin/run.js</string>')
      expect(plist).to.contain('<string>/Applications/My &quot;Tools&quot;/bin</string>')
    })
  })

  describe('the environment the service keeps', () => {
    it('PATH (its absolute folders), the Docker and kube settings and DESKRUN_HOME; never a credential or proxy', () => {
      const kept = serviceEnvironment({
        PATH: '/usr/local/bin:node_modules/.bin::/usr/bin:.',
        DESKRUN_HOME: '/srv/deskrun',
        DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
        KUBECONFIG: '/home/jane/.kube/config',
        DESKRUN_AUTH_VALUE: 'ghp_secret',
        GITHUB_TOKEN: 'ghp_secret',
        HTTPS_PROXY: 'http://user:password@proxy:3128',
        HOME: '/home/jane',
      })
      expect(kept).to.deep.equal({
        PATH: '/usr/local/bin:/usr/bin',
        DESKRUN_HOME: '/srv/deskrun',
        DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
        KUBECONFIG: '/home/jane/.kube/config',
      })
    })
  })
})
