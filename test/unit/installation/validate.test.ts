import {generateKeyPairSync} from 'node:crypto'

import {expect} from 'chai'

import type {Installation} from '../../../src/lib/domain/installation/types.js'
import {
  type ModeInfo,
  installationProblems,
  installationWarnings,
} from '../../../src/lib/domain/installation/validate.js'

const MODES: ModeInfo[] = [
  {name: 'kubernetes', takesCaches: false},
  {name: 'cached-privileged-kubernetes', takesCaches: true},
  {name: 'dind', takesCaches: true},
]

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'
const {privateKey: PKCS1_KEY, publicKey: PUBLIC_KEY} = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: {type: 'pkcs1', format: 'pem'},
  publicKeyEncoding: {type: 'spki', format: 'pem'},
})
const {privateKey: PKCS8_KEY} = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
  publicKeyEncoding: {type: 'spki', format: 'pem'},
})

function installation(overrides: Partial<Installation> = {}): Installation {
  return {
    name: 'my-runner',
    repository: 'https://github.com/owner/repo',
    mode: 'kubernetes',
    minRunners: 1,
    maxRunners: 5,
    instances: 1,
    caches: [],
    labels: [],
    auth: {type: 'pat', token: TOKEN},
    ...overrides,
  }
}

function app(
  overrides: Partial<{appId: string; installationId: string; privateKey: string}> = {},
): Installation['auth'] {
  return {type: 'github-app', appId: '123456', installationId: '987654', privateKey: PKCS1_KEY, ...overrides}
}

const problemsOf = (
  overrides: Partial<Installation>,
  extra: Partial<Parameters<typeof installationProblems>[1]> = {},
) => installationProblems(installation(overrides), {modes: MODES, ...extra})

describe('installationProblems', () => {
  it('accepts a plain PAT installation', () => {
    expect(problemsOf({})).to.deep.equal([])
  })

  it('accepts a GitHub App with a numeric app id, a client id, PKCS#1 and PKCS#8 keys', () => {
    expect(problemsOf({auth: app()})).to.deep.equal([])
    expect(problemsOf({auth: app({appId: 'Iv1.0123456789abcdef'})})).to.deep.equal([])
    expect(problemsOf({auth: app({appId: 'Iv23liAbCdEf01234567'})})).to.deep.equal([])
    expect(problemsOf({auth: app({privateKey: PKCS8_KEY})})).to.deep.equal([])
  })

  it('accepts several instances with caches in a mode that takes them', () => {
    const problems = problemsOf({
      mode: 'cached-privileged-kubernetes',
      instances: 3,
      minRunners: 1,
      maxRunners: 1,
      caches: [
        {target: '/var/lib/docker'},
        {target: '/root/.cache', source: '/tmp/github-runner-cache/shared'},
      ],
    })
    expect(problems).to.deep.equal([])
  })

  const cases: Array<{what: string; overrides: Partial<Installation>; expected: string[]}> = [
    {what: 'a bad name', overrides: {name: 'My_Runner'}, expected: ['lower-case letters']},
    {what: 'a name too long', overrides: {name: 'a'.repeat(46)}, expected: ['at most 45']},
    {what: 'an empty repository', overrides: {repository: ''}, expected: ['--repository is required']},
    {
      what: 'an http URL',
      overrides: {repository: 'http://github.com/o/r'},
      expected: ['--repository', 'https://'],
    },
    {
      what: 'a repository page',
      overrides: {repository: 'https://github.com/o/r/pulls'},
      expected: ['inside a repository'],
    },
    {
      what: 'a non-URL',
      overrides: {repository: 'owner/repo'},
      expected: ['--repository is not usable: it is not a URL'],
    },
    {
      what: 'an unknown mode',
      overrides: {mode: 'docker'},
      expected: ['--mode "docker"', 'kubernetes, cached-privileged-kubernetes, dind'],
    },
    {
      what: 'a negative min',
      overrides: {minRunners: -1},
      expected: ['--min-runners must be a whole number ≥ 0 (got -1)'],
    },
    {
      what: 'a fractional max',
      overrides: {maxRunners: 1.5},
      expected: ['--max-runners must be a whole number ≥ 0 (got 1.5)'],
    },
    {
      what: 'NaN max',
      overrides: {maxRunners: Number.NaN},
      expected: ['--max-runners must be a whole number'],
    },
    {
      what: 'min above max',
      overrides: {minRunners: 4, maxRunners: 2},
      expected: ['--min-runners (4) is greater than --max-runners (2)'],
    },
    {
      what: 'zero instances',
      overrides: {instances: 0},
      expected: ['--instances must be a whole number ≥ 1 (got 0)'],
    },
    {
      what: 'more instances than a desk machine runs',
      overrides: {instances: 33, minRunners: 1, maxRunners: 1},
      expected: ['--instances 33 is more than deskrun runs: at most 32.', '110 pods', '--max-runners'],
    },
    {
      what: 'min/max with several instances',
      overrides: {instances: 3, minRunners: 1, maxRunners: 5},
      expected: ['cannot be combined with --instances 3', 'exactly one runner'],
    },
    {
      what: 'caches in a mode without caches',
      overrides: {caches: [{target: '/var/lib/docker'}]},
      expected: [
        '--mode kubernetes does not take caches',
        'drop --cache',
        'cached-privileged-kubernetes, dind',
      ],
    },
    {
      what: 'a cache source outside the cache root',
      overrides: {mode: 'dind', caches: [{target: '/root/.cache', source: '/srv/cache'}]},
      expected: ['inside the cache root /tmp/github-runner-cache', 'kind node'],
    },
    {
      what: 'the same cache twice',
      overrides: {mode: 'dind', caches: [{target: '/root/.cache'}, {target: '/root/.cache/'}]},
      expected: ['--cache /root/.cache is given more than once'],
    },
    {
      what: 'a relative cache',
      overrides: {mode: 'dind', caches: [{target: 'cache'}]},
      expected: ['not absolute'],
    },
    {
      what: 'an empty token',
      overrides: {auth: {type: 'pat', token: '  '}},
      expected: ['--auth-type pat needs a token', '--auth-value-file'],
    },
    {
      what: 'a token with spaces',
      overrides: {auth: {type: 'pat', token: 'ghp_a b'}},
      expected: ['spaces or line breaks'],
    },
    {
      what: 'a PEM as token',
      overrides: {auth: {type: 'pat', token: PKCS1_KEY}},
      expected: ['--auth-type github-app'],
    },
    {what: 'a missing app id', overrides: {auth: app({appId: ''})}, expected: ['needs --app-id']},
    {
      what: 'a bad app id',
      overrides: {auth: app({appId: 'my-app'})},
      expected: ['--app-id must be', 'Client ID'],
    },
    {
      what: 'a missing installation id',
      overrides: {auth: app({installationId: ''})},
      expected: ['needs --installation-id'],
    },
    {
      what: 'a bad installation id',
      overrides: {auth: app({installationId: 'abc'})},
      expected: ['--installation-id must be a number'],
    },
    {
      what: 'a missing key',
      overrides: {auth: app({privateKey: ''})},
      expected: ['needs the App', '--private-key-file'],
    },
    {
      what: 'a key with literal \\n',
      overrides: {auth: app({privateKey: PKCS1_KEY.trim().replaceAll('\n', '\\n')})},
      expected: ['literal \\n', '401'],
    },
    {
      what: 'a public key',
      overrides: {auth: app({privateKey: PUBLIC_KEY})},
      expected: ['public key or certificate'],
    },
    {
      what: 'an encrypted key',
      overrides: {
        auth: app({
          privateKey: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----',
        }),
      },
      expected: ['encrypted'],
    },
    {
      what: 'a key flattened to one line',
      overrides: {auth: app({privateKey: PKCS1_KEY.replaceAll('\n', ' ')})},
      expected: ['does not look like a PEM private key'],
    },
    {
      what: 'a GitHub App for an enterprise',
      overrides: {repository: 'https://github.com/enterprises/acme', auth: app()},
      expected: ['GitHub Apps cannot register enterprise-level runners', '--auth-type pat'],
    },
    {what: 'an empty runner group', overrides: {runnerGroup: ' '}, expected: ['--runner-group is empty']},
    {what: 'a label with a space', overrides: {labels: ['gpu box']}, expected: ['--label "gpu box"']},
    {
      what: 'a label twice',
      overrides: {labels: ['gpu', 'gpu']},
      expected: ['--label gpu is given more than once'],
    },
  ]

  for (const {what, overrides, expected} of cases) {
    it(`explains ${what}`, () => {
      const problems = problemsOf(overrides)
      expect(problems, 'one problem').to.have.length(1)
      for (const text of expected) expect(problems[0]).to.include(text)
    })
  }

  it('reports every problem at once', () => {
    const problems = problemsOf({name: 'Bad', repository: 'x', mode: 'nope', minRunners: -1, instances: 0})
    expect(problems).to.have.length(5)
  })

  it('never repeats a token, key or URL credentials in its messages', () => {
    const secretToken = 'ghp_SECRET_value with space'
    const all = [
      ...problemsOf({auth: {type: 'pat', token: secretToken}}),
      ...problemsOf({auth: app({privateKey: PKCS1_KEY.replaceAll('\n', '\\n'), appId: 'x'})}),
      ...problemsOf({repository: 'https://user:ghp_hidden@github.com/o/r'}),
      ...problemsOf({repository: 'ghp_pasted_in_the_wrong_flag'}),
    ].join('\n')
    expect(all).not.to.include('SECRET')
    expect(all).not.to.include('ghp_hidden')
    expect(all).not.to.include('ghp_pasted')
    expect(all).not.to.include(PKCS1_KEY.split('\n')[1])
  })

  it('finds scale set names used by another installation', () => {
    const problems = problemsOf(
      {name: 'build-2'},
      {
        otherInstallations: [
          installation({name: 'build', instances: 3, minRunners: 1, maxRunners: 1}),
          installation({name: 'build-2'}),
        ],
      },
    )
    expect(problems).to.deep.equal([
      'The scale set name build-2 is already used by installation build; choose another name.',
    ])
  })

  it('checks cache sources against the configured cache root', () => {
    const caches = [{target: '/root/.cache', source: '/data/caches/pip'}]
    expect(problemsOf({mode: 'dind', caches}, {cacheRoot: '/data/caches'})).to.deep.equal([])
    expect(problemsOf({mode: 'dind', caches})).to.have.length(1)
  })

  it("adds the mode's own checks and survives a mode whose check throws", () => {
    const modes: ModeInfo[] = [
      {
        name: 'picky',
        takesCaches: false,
        validate: (view) => (view.authType === 'pat' ? ['picky wants an app'] : []),
      },
      {
        name: 'broken',
        takesCaches: false,
        validate: () => {
          throw new Error('boom')
        },
      },
      // A plugin written in JavaScript can return anything.
      {name: 'sloppy', takesCaches: false, validate: (() => 'not a list') as unknown as ModeInfo['validate']},
    ]
    expect(installationProblems(installation({mode: 'picky'}), {modes})).to.deep.equal(['picky wants an app'])
    expect(installationProblems(installation({mode: 'broken'}), {modes})[0])
      .to.include('broken failed')
      .and.include('boom')
    expect(installationProblems(installation({mode: 'sloppy'}), {modes})).to.deep.equal([
      'Container mode sloppy gave no list of problems from its validate step.',
    ])
  })

  it('says when no modes are registered', () => {
    expect(installationProblems(installation(), {modes: []})[0]).to.include(
      'no container modes are registered',
    )
  })
})

describe('installationWarnings', () => {
  it('has nothing to say about a plain installation, nor about 32 instances', () => {
    expect(installationWarnings(installation())).to.deep.equal([])
    const many = installation({instances: 32, minRunners: 1, maxRunners: 1})
    expect(installationWarnings(many)).to.deep.equal([])
    expect(installationProblems(many, {modes: MODES})).to.deep.equal([])
  })

  it('warns that max 0 never runs a job (min 0 too; a parked scale set is allowed)', () => {
    const warnings = installationWarnings(installation({minRunners: 0, maxRunners: 0}))
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.contain('my-runner has --max-runners 0, so it never starts a runner')
    expect(warnings[0]).to.contain('--max-runners 1 or more')
    expect(installationWarnings(installation({minRunners: 0, maxRunners: 1}))).to.deep.equal([])
  })

  it("warns when a --label is another installation's runs-on name, instances included, and the other way round", () => {
    const others = [
      installation({name: 'build', instances: 3, minRunners: 1, maxRunners: 1}),
      installation({name: 'gpu', labels: ['my-runner', 'shared']}),
    ]
    const warnings = installationWarnings(installation({labels: ['build-2', 'shared', 'build']}), others)
    expect(warnings).to.have.length(2)
    expect(warnings[0]).to.contain('--label build-2 of my-runner is the runs-on name of installation build')
    expect(warnings[1]).to.contain(
      'my-runner, a runs-on name of my-runner, is also a --label of installation gpu',
    )
    // A label that several installations share is a pool, on purpose.
    expect(installationWarnings(installation({labels: ['shared']}), [others[0]])).to.deep.equal([])
  })
})
