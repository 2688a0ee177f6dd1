/**
 * Bad input, across commands and the config file: each case exits non-zero with a message that says
 * what is wrong, calls no external tool, and leaves the config byte-identical.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import Add from '../../src/commands/add.js'
import {EXPIRED_CA_FILE} from '../helpers/certificates.js'
import {FakeTools, unwrap} from '../helpers/fake-tools.js'
import {expectNoSecret, PRIVATE_KEY, REPO, TOKEN} from './support.js'

interface Case {
  name: string
  args: string[]
  /** Replaces the config file before the run. */
  config?: string
  input?: string
  env?: Record<string, string>
  /** Expected in stderr (or in the JSON error under --json). */
  message: RegExp
  exit?: number
}

const EXISTING = JSON.stringify(
  {
    version: 1,
    cluster_name: 'deskrun',
    installations: {
      taken: {
        Name: 'taken',
        Repository: REPO,
        ContainerMode: 'kubernetes',
        MinRunners: 1,
        MaxRunners: 5,
        Instances: 2,
        CachePaths: [],
        AuthType: 'pat',
        AuthValue: TOKEN,
      },
    },
  },
  null,
  2,
)

/** An installation with a cache in the folder deskrun chose, and one with a host folder the user named. */
const CACHED = JSON.stringify(
  {
    version: 1,
    cluster_name: 'deskrun',
    installations: {
      cached: {
        Name: 'cached',
        Repository: REPO,
        ContainerMode: 'cached-privileged-kubernetes',
        MinRunners: 1,
        MaxRunners: 5,
        CachePaths: [{Target: '/root/.cache'}],
        AuthType: 'pat',
        AuthValue: TOKEN,
      },
      named: {
        Name: 'named',
        Repository: REPO,
        ContainerMode: 'cached-privileged-kubernetes',
        MinRunners: 1,
        MaxRunners: 5,
        CachePaths: [{Target: '/root/.npm', Source: '/tmp/github-runner-cache/shared/npm'}],
        AuthType: 'pat',
        AuthValue: TOKEN,
      },
    },
  },
  null,
  2,
)

/** EXISTING with its one installation changed by hand (or by an older deskrun) into something `add` refuses. */
const handEdited = (fields: Record<string, unknown>) => {
  const config = JSON.parse(EXISTING)
  Object.assign(config.installations.taken, fields)
  return JSON.stringify(config, null, 2)
}

/** Flags of add with no bad value: switches. (A runner group's name only GitHub can judge, but an empty one is refused.) */
const NO_BAD_VALUE = new Set(['yes'])
const flagName = (arg: string) => arg.slice(2).split('=')[0]

const add = (name: string, ...flags: string[]) => ['add', name, '--repository', REPO, ...flags]
const withToken = (name: string, ...flags: string[]) => add(name, '--auth-value-file', '{token}', ...flags)
const app = (...flags: string[]) => add('app', '--auth-type', 'github-app', ...flags)

const cases: Case[] = [
  // names
  {name: 'upper-case name', args: withToken('My-Runner'), message: /lower-case/, exit: 2},
  {name: 'name with a dot', args: withToken('my.runner'), message: /my\.runner/, exit: 2},
  {name: 'name ending with a dash', args: withToken('runner-'), message: /runner-/, exit: 2},
  {name: 'name over 45 characters', args: withToken('a'.repeat(46)), message: /45/, exit: 2},
  {
    name: 'name that fits but not with its instance suffix',
    args: withToken('a'.repeat(43), '--instances', '10'),
    message: /45/,
    exit: 2,
  },
  {
    name: 'name already in the config',
    args: withToken('taken'),
    config: EXISTING,
    message: /already exists/,
    exit: 2,
  },
  {
    name: 'runs-on name used by another installation',
    args: withToken('taken-1'),
    config: EXISTING,
    message: /taken-1/,
    exit: 2,
  },
  // URLs
  {
    name: 'plain http URL',
    args: ['add', 'r', '--repository', 'http://github.com/owner/repo', '--auth-value-file', '{token}'],
    message: /https/,
    exit: 2,
  },
  {
    name: 'not a URL',
    args: ['add', 'r', '--repository', 'owner/repo', '--auth-value-file', '{token}'],
    message: /URL/,
    exit: 2,
  },
  {
    name: 'URL of a page inside a repository',
    args: ['add', 'r', '--repository', `${REPO}/tree/main`, '--auth-value-file', '{token}'],
    message: /repository/,
    exit: 2,
  },
  {
    name: 'URL with credentials in it',
    args: ['add', 'r', '--repository', 'https://me:pw@github.com/owner/repo', '--auth-value-file', '{token}'],
    message: /credentials|user/i,
    exit: 2,
  },
  {
    name: 'api.github.com URL',
    args: ['add', 'r', '--repository', 'https://api.github.com/repos/o/r', '--auth-value-file', '{token}'],
    message: /github/i,
    exit: 2,
  },
  {
    name: 'URL on GitLab, not GitHub',
    args: ['add', 'r', '--repository', 'https://gitlab.com/owner/repo', '--auth-value-file', '{token}'],
    message:
      /--repository "https:\/\/gitlab\.com\/owner\/repo" is not usable: gitlab\.com is GitLab, not GitHub/,
    exit: 2,
  },
  // modes
  {name: 'unknown mode', args: withToken('r', '--mode', 'podman'), message: /podman/, exit: 2},
  // numbers
  {
    name: 'min above max',
    args: withToken('r', '--min-runners', '6', '--max-runners', '2'),
    message: /--min-runners|--max-runners/,
    exit: 2,
  },
  {name: 'negative min', args: withToken('r', '--min-runners=-1'), message: /--min-runners/, exit: 2},
  {
    name: 'several problems at once, listed together',
    args: withToken('r', '--min-runners', '6', '--max-runners', '2', '--mode', 'podman'),
    message: /Invalid installation: +- --mode .* +- --min-runners/,
    exit: 2,
  },
  {
    name: 'max not a number',
    args: withToken('r', '--max-runners', 'many'),
    message: /max-runners|integer/i,
    exit: 2,
  },
  {name: 'zero instances', args: withToken('r', '--instances', '0'), message: /--instances/, exit: 2},
  {
    name: 'more instances than a kind node has pods for',
    args: withToken('r', '--instances', '1000'),
    message: /--instances 1000 is more than deskrun runs: at most 32\..*110 pods.*--max-runners/s,
    exit: 2,
  },
  {
    name: 'up with 1000 instances written by hand',
    args: ['up'],
    config: handEdited({Instances: 1000, MinRunners: 1, MaxRunners: 1}),
    message: /--instances 1000 is more than deskrun runs: at most 32.*Instances/s,
    exit: 1,
  },
  {
    name: 'instances with min/max',
    args: withToken('r', '--instances', '2', '--max-runners', '3'),
    message: /--instances/,
    exit: 2,
  },
  // caches
  {
    name: 'relative cache path',
    args: withToken('r', '--cache', 'var/lib/docker'),
    message: /absolute/,
    exit: 2,
  },
  {
    name: 'cache path escaping with ..',
    args: withToken('r', '--cache', '/var/../../etc'),
    message: /\.\./,
    exit: 2,
  },
  {
    name: 'cache source outside the cache root',
    args: withToken('r', '--cache', '/srv/docker:/var/lib/docker'),
    message: /cache root/,
    exit: 2,
  },
  {
    name: 'the same cache target twice',
    args: withToken('r', '--cache', '/root/.cache', '--cache', '/root/.cache/'),
    message: /twice|duplicate|more than once/i,
    exit: 2,
  },
  {name: 'empty cache value', args: withToken('r', '--cache', ''), message: /cache/i, exit: 2},
  // caches on a storage class
  {
    name: 'a storage class name that is none',
    args: withToken('r', '--cache', '/root/.cache', '--cache-storage-class', 'Fast_SSD'),
    message: /--cache-storage-class "Fast_SSD" is not a storage class name/,
    exit: 2,
  },
  {
    name: 'a cache size without its unit',
    args: withToken(
      'r',
      '--cache',
      '/root/.cache',
      '--cache-storage-class',
      'standard',
      '--cache-size',
      '20',
    ),
    message: /--cache-size 20 is too small \(a unit missing\?\)/,
    exit: 2,
  },
  {
    name: 'a cache size without a storage class',
    args: withToken('r', '--cache', '/root/.cache', '--cache-size', '20Gi'),
    message: /--cache-size .*give --cache-storage-class too/,
    exit: 2,
  },
  {
    name: 'a storage class without caches',
    args: withToken('r', '--cache-storage-class', 'standard'),
    message: /--cache-storage-class is for caches, and there are none: add --cache PATH/,
    exit: 2,
  },
  {
    name: 'a host folder for a cache on a storage class',
    args: withToken(
      'r',
      '--cache',
      '/srv/docker:/var/lib/docker',
      '--max-runners',
      '1',
      '--cache-storage-class',
      'standard',
    ),
    message: /give only the path \(--cache \/var\/lib\/docker\)/,
    exit: 2,
  },
  {
    name: 'a Docker data root in a claim shared by up to 5 runners',
    args: withToken('r', '--mode', 'dind', '--cache', '/var/lib/docker', '--cache-storage-class', 'standard'),
    message: /\/var\/lib\/docker is Docker's data root.*--instances 5.*--max-runners 1/s,
    exit: 2,
  },
  // a daemon's data root: one runner per host folder
  {
    name: 'Docker data root shared by up to 5 runners',
    args: withToken('r', '--mode', 'cached-privileged-kubernetes', '--cache', '/var/lib/docker'),
    message: /\/var\/lib\/docker is Docker's data root.*--instances 5.*--max-runners 1/s,
    exit: 2,
  },
  {
    name: 'a folder inside the Docker data root, 2 runners',
    args: withToken('r', '--mode', 'dind', '--cache', '/var/lib/docker/overlay2', '--max-runners', '2'),
    message: /inside Docker's data root.*--instances 2.*--max-runners 1/s,
    exit: 2,
  },
  {
    name: 'containerd data root in a named host folder, 3 runners',
    args: withToken(
      'r',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/tmp/github-runner-cache/ctr:/var/lib/containerd',
      '--max-runners',
      '3',
    ),
    message: /containerd's data root.*--max-runners 1/s,
    exit: 2,
  },
  {
    name: 'BuildKit data root',
    args: withToken('r', '--mode', 'dind', '--cache', '/var/lib/buildkit', '--max-runners', '2'),
    message: /BuildKit's data root/,
    exit: 2,
  },
  {
    name: "privileged cache in the node's /dev, which jobs get from the node",
    args: withToken('r', '--mode', 'cached-privileged-kubernetes', '--cache', '/dev/shm'),
    message: /--cache \/dev\/shm: this mode mounts the node's .*cache a path outside \/sys, \/proc and \/dev/,
    exit: 2,
  },
  // caches stay apart
  {
    name: "host folder inside another installation's cache folder",
    args: withToken(
      'r',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/tmp/github-runner-cache/cached/mine:/data',
    ),
    config: CACHED,
    message: /is inside \/tmp\/github-runner-cache\/cached, where deskrun keeps the caches of cached/,
    exit: 2,
  },
  {
    name: "host folder that is another installation's",
    args: withToken(
      'r',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/tmp/github-runner-cache/shared/npm:/npm',
    ),
    config: CACHED,
    message: /is the same folder as \/tmp\/github-runner-cache\/shared\/npm.*installation named/s,
    exit: 2,
  },
  {
    name: "host folder that contains another installation's",
    args: withToken(
      'r',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/tmp/github-runner-cache/shared:/x',
    ),
    config: CACHED,
    message: /contains \/tmp\/github-runner-cache\/shared\/npm/,
    exit: 2,
  },
  {
    name: "a name whose cache folder holds another installation's",
    args: withToken('shared', '--mode', 'cached-privileged-kubernetes', '--cache', '/root/.cache'),
    config: CACHED,
    message: /choose another installation name/,
    exit: 2,
  },
  // auth
  {name: 'no token at all', args: add('r'), message: /No token/, exit: 2},
  {
    name: 'empty token on stdin',
    args: add('r', '--auth-value', '-'),
    input: '',
    message: /No token/,
    exit: 2,
  },
  {
    name: 'token file that does not exist',
    args: add('r', '--auth-value-file', '/nonexistent/token'),
    message: /Cannot read/,
    exit: 2,
  },
  {
    name: 'empty token file',
    args: add('r', '--auth-value-file', '{empty}'),
    message: /The credential file \S+ is empty\./,
    exit: 2,
  },
  {
    name: 'private key file without --auth-type github-app',
    args: add('r', '--private-key-file', '{key}'),
    message: /--private-key-file is for a GitHub App, but --auth-type is pat.*--auth-type github-app/s,
    exit: 2,
  },
  {
    name: 'token given twice',
    args: add('r', '--auth-value', TOKEN, '--auth-value-file', '{token}'),
    message: /once/,
    exit: 2,
  },
  {name: 'unknown auth type', args: add('r', '--auth-type', 'oauth'), message: /auth-type/, exit: 2},
  {
    name: 'app without app id',
    args: app('--installation-id', '1', '--private-key-file', '{key}'),
    message: /--app-id/,
    exit: 2,
  },
  {
    name: 'app without installation id',
    args: app('--app-id', '1', '--private-key-file', '{key}'),
    message: /--installation-id/,
    exit: 2,
  },
  {
    name: 'app with a non-numeric installation id',
    args: app('--app-id', '1', '--installation-id', 'abc', '--private-key-file', '{key}'),
    message: /--installation-id/,
    exit: 2,
  },
  {
    name: 'app with a key that is not a PEM',
    args: app('--app-id', '1', '--installation-id', '2', '--private-key-file', '{token}'),
    message: /private key/i,
    exit: 2,
  },
  {
    name: 'app with a public key',
    args: app('--app-id', '1', '--installation-id', '2', '--private-key-file', '{public}'),
    message: /private key/i,
    exit: 2,
  },
  {
    name: 'app with an unreadable key file',
    args: app('--app-id', '1', '--installation-id', '2', '--private-key-file', '/nonexistent.pem'),
    message: /Cannot read/,
    exit: 2,
  },
  {
    name: 'app for an enterprise',
    args: [
      'add',
      'e',
      '--repository',
      'https://github.com/enterprises/acme',
      '--auth-type',
      'github-app',
      '--app-id',
      '1',
      '--installation-id',
      '2',
      '--private-key-file',
      '{key}',
    ],
    message: /enterprise/i,
    exit: 2,
  },
  {name: 'label with a space', args: withToken('r', '--label', 'two words'), message: /label/i, exit: 2},
  {
    name: 'cpus not a CPU amount',
    args: withToken('r', '--cpus', 'two'),
    message: /--cpus "two" is not a CPU amount/,
    exit: 2,
  },
  {
    name: 'memory in Docker units',
    args: withToken('r', '--memory', '4g'),
    message: /--memory "4g".*4Gi/,
    exit: 2,
  },
  {
    name: 'empty runner group (an unset variable, say)',
    args: withToken('r', '--runner-group', ''),
    message: /--runner-group is empty/,
    exit: 2,
  },
  {
    name: 'a node name kubectl would never print',
    args: withToken('r', '--node', 'Node_1'),
    message: /--node "Node_1" is not a node name/,
    exit: 2,
  },
  {
    name: 'a mount of an unknown type',
    args: withToken('r', '--mount', '/srv/x:/x:File'),
    message: /--mount "\/srv\/x:\/x:File": "File" is not a mount type/,
    exit: 2,
  },
  {
    name: 'a mount of the whole host',
    args: withToken('r', '--mount', '/:/host:ro'),
    message: /--mount "\/:\/host:ro": the host path cannot be \/ itself/,
    exit: 2,
  },
  {
    name: 'a mount where a cache is',
    args: withToken('r', '--cache', '/root/.cache', '--mount', '/srv/cache:/root/.cache'),
    message: /--mount \/srv\/cache:\/root\/.cache: .* the --cache \/root\/.cache; drop one of the two/,
    exit: 2,
  },
  {
    name: 'the Docker socket mounted over the dind sidecar socket',
    args: withToken('r', '--mode', 'dind', '--mount', '/var/run/docker.sock:/var/run/docker.sock:Socket'),
    message: /--mount \/var\/run\/docker.sock: in dind mode \/var\/run holds the sidecar daemon's socket/,
    exit: 2,
  },
  {
    name: 'a config whose mount is relative',
    args: ['up'],
    config: EXISTING.replace(
      '"AuthType"',
      '"Mounts": [{"Source": "data", "Target": "/data"}],\n        "AuthType"',
    ),
    message: /--mount data:\/data: the host path "data" is not absolute/,
  },
  {
    name: 'a SOCKS proxy, whose password is not repeated',
    args: withToken('r', '--proxy', 'socks5://me:Pr0xySecret@proxy:1080'),
    message: /--proxy socks5:\/\/\*\*\*@proxy:1080: the proxy must be an http:\/\/ or https:\/\/ URL/,
    exit: 2,
  },
  {
    name: '--no-proxy without --proxy',
    args: withToken('r', '--no-proxy', '.example.com'),
    message: /--no-proxy is given without --proxy/,
    exit: 2,
  },
  {
    name: 'a CA file that is a private key',
    args: withToken('r', '--github-ca-file', '{key}'),
    message: /--github-ca-file: .* holds a private key/,
    exit: 2,
  },
  {
    name: 'a CA that expired',
    args: withToken('r', '--github-ca-file', EXPIRED_CA_FILE),
    message:
      /--github-ca-file: in .*expired-ca\.pem, the certificate \(CN=deskrun expired test CA\) expired on 2001-01-01/,
    exit: 2,
  },
  {
    name: 'a CA file that cannot be read',
    args: withToken('r', '--github-ca-file', '/nonexistent/ca.pem'),
    message: /--github-ca-file: cannot read \/nonexistent\/ca.pem/,
    exit: 2,
  },
  {
    name: 'a runner image with an upper-case repository path',
    args: withToken('r', '--runner-image', 'ghcr.io/My-Org/runner:1'),
    message:
      /--runner-image "ghcr\.io\/My-Org\/runner:1" is not an image reference \(the repository path must be lower case\)/,
    exit: 2,
  },
  {
    name: 'a runner image given as a URL',
    args: withToken('r', '--runner-image', 'https://ghcr.io/org/runner'),
    message: /--runner-image .* is not an image reference/,
    exit: 2,
  },
  {
    name: 'a config whose RunnerImage is no image reference',
    args: ['up'],
    config: EXISTING.replace('"AuthType"', '"RunnerImage": "runner image",\n        "AuthType"'),
    message: /--runner-image "runner image" is not an image reference \(it contains spaces\)/,
  },
  // flags and arguments
  {name: 'unknown flag', args: withToken('r', '--frobnicate'), message: /frobnicate/, exit: 2},
  {
    name: 'missing --repository',
    args: ['add', 'r', '--auth-value-file', '{token}'],
    message: /repository/,
    exit: 2,
  },
  {
    name: 'missing name',
    args: ['add', '--repository', REPO, '--auth-value-file', '{token}'],
    message: /name/i,
    exit: 2,
  },
  {
    name: 'timeout that is not a duration',
    args: ['up', '--timeout', 'soon'],
    message: /not a duration/,
    exit: 2,
  },
  {
    name: 'remove of an unknown installation',
    args: ['remove', 'ghost'],
    message: /No installation named "ghost"/,
    exit: 2,
  },
  {
    name: 'status of an unknown installation',
    args: ['status', 'ghost'],
    message: /No installation or instance named "ghost"/,
    exit: 2,
  },
  {
    name: 'usage error under --json keeps exit 2',
    args: ['remove', 'ghost', '--json'],
    message: /No installation named/,
    exit: 2,
  },
  // the config file
  {
    name: 'config that is not JSON',
    args: ['list'],
    config: '{"cluster_name": "deskrun",\n  "installations": {,}}',
    message: /config\.json.*line 2/s,
  },
  {
    name: 'config with a wrong field, on add',
    args: withToken('r'),
    config: EXISTING.replace('"MaxRunners": 5', '"MaxRunners": -5'),
    message: /MaxRunners/,
  },
  {
    name: 'config with a wrong field, on up',
    args: ['up'],
    config: EXISTING.replace('"MinRunners": 1', '"MinRunners": "one"'),
    message: /MinRunners/,
  },
  {
    name: 'config from a newer deskrun',
    args: ['list'],
    config: EXISTING.replace('"version": 1', '"version": 99'),
    message: /newer/,
  },
  {
    name: 'config naming a mode nobody provides',
    args: ['up'],
    config: EXISTING.replace('"ContainerMode": "kubernetes"', '"ContainerMode": "gpu"'),
    message: /gpu/,
  },
  // up checks each installation as add does; with none deployable it calls nothing
  {
    name: 'up with min above max written by hand',
    args: ['up'],
    config: handEdited({Instances: 1, MinRunners: 6, MaxRunners: 2}),
    message:
      /--min-runners \(6\) is greater than --max-runners \(2\).*MinRunners.*deskrun remove taken, then deskrun add taken/s,
    exit: 1,
  },
  {
    name: 'up with an http:// repository written by hand',
    args: ['up', '--json'],
    config: handEdited({Repository: 'http://github.com/owner/repo'}),
    message: /"skipped".*"installation": "taken".*must use https/s,
    exit: 1,
  },
  {
    name: 'up with a Docker data root shared by 5 runners (as older versions allowed)',
    args: ['up'],
    config: handEdited({
      Instances: 1,
      ContainerMode: 'cached-privileged-kubernetes',
      CachePaths: [{Target: '/var/lib/docker'}],
    }),
    message: /Docker's data root.*--instances 5.*--max-runners 1/s,
    exit: 1,
  },
]

describe('bad input changes nothing', function () {
  let fake: FakeTools
  let configFile: string
  const files: Record<string, string> = {}

  before(async () => {
    fake = await FakeTools.create()
    configFile = path.join(fake.deskrunHome, 'config.json')
    files['{token}'] = path.join(fake.root, 'token')
    files['{key}'] = path.join(fake.root, 'key.pem')
    files['{public}'] = path.join(fake.root, 'public.pem')
    await writeFile(files['{token}'], TOKEN)
    await writeFile(files['{key}'], PRIVATE_KEY)
    files['{empty}'] = path.join(fake.root, 'empty')
    await writeFile(files['{empty}'], '\n')
    await writeFile(
      files['{public}'],
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n',
    )
  })
  after(() => fake.cleanup())

  it('has a case for every flag of add that takes a value', () => {
    const flags = Object.keys({...Add.baseFlags, ...Add.flags}).filter((flag) => !NO_BAD_VALUE.has(flag))
    const used = new Set(
      cases.flatMap((testCase) => testCase.args.filter((arg) => arg.startsWith('--')).map(flagName)),
    )
    expect(
      flags.filter((flag) => !used.has(flag)),
      'flags without a bad-input case',
    ).to.deep.equal([])
  })

  for (const testCase of cases)
    it(testCase.name, async () => {
      const config = testCase.config ?? EXISTING
      await import('node:fs/promises').then(({mkdir}) =>
        mkdir(fake.deskrunHome, {recursive: true, mode: 0o700}),
      )
      await writeFile(configFile, config, {mode: 0o600})
      const callsBefore = (await fake.calls()).length
      const args = testCase.args.map((arg) => files[arg] ?? arg)
      const result = await fake.run(args, {input: testCase.input, extra: testCase.env})
      const shown = `${result.stderr}\n${result.stdout}`
      expect(result.exitCode, shown).to.not.equal(0)
      if (testCase.exit !== undefined) expect(result.exitCode, shown).to.equal(testCase.exit)
      expect(unwrap(shown)).to.match(testCase.message)
      expect(shown).not.to.match(/\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace')
      expectNoSecret(shown)
      expect((await fake.calls()).length, 'no external tool called').to.equal(callsBefore)
      expect(await readFile(configFile, 'utf8'), 'config unchanged').to.equal(config)
    })
})
