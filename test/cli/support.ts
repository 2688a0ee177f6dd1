/** Shared pieces of the CLI tests: test credentials, a sandbox per test, and leak checks. */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {FakeTools, type RunResult, type Running, type SandboxOptions} from '../helpers/fake-tools.js'

/** Shaped like real credentials so that both value and shape redaction are exercised. */
export const TOKEN = 'ghp_TestTokenDoNotLeak0123456789abcdefABCD'
export const PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAtestPrivateKeyBodyLineOneDoNotLeakAAAAAAAAAAAAAAAAAA',
  'bmV2ZXIgcHJpbnQgdGhpcyBwcml2YXRlIGtleSBsaW5lIHR3byBhbnl3aGVyZQ==',
  '-----END RSA PRIVATE KEY-----',
  '',
].join('\n')
const SECRET_FRAGMENTS = [TOKEN, 'testPrivateKeyBodyLineOneDoNotLeak', 'bmV2ZXIgcHJpbnQgdGhpcyBwcml2YXRl']

export const REPO = 'https://github.com/owner/repo'

export interface Sandbox {
  fake: FakeTools
  cacheRoot: string
  configFile: string
  /** Runs deskrun; every result is kept for the leak check. */
  deskrun(args: string[], options?: {input?: string; env?: Record<string, string>}): Promise<RunResult>
  /**
   * Starts deskrun in the background (its result is kept for the leak check too). Sending it a signal
   * (`kill`) needs a process: make the sandbox with `{processes: true}` for that.
   */
  start(args: string[]): Running
  /** `deskrun add NAME --repository REPO` with the token from a file, plus extra flags. */
  add(name: string, ...extra: string[]): Promise<RunResult>
  config(): Promise<Record<string, any>>
  /**
   * Replaces the config's installations with these, written as a user (or the original deskrun) would:
   * each is a PAT installation of REPO in kubernetes mode, 1 to 5 runners, unless `fields` say otherwise.
   */
  writeInstallations(installations: Record<string, Record<string, unknown>>): Promise<void>
  /** Fails when any recorded argv, child environment, stdout or stderr holds a test credential. */
  expectNoLeaks(): Promise<void>
}

/**
 * A sandbox whose deskrun (and every tool call) runs in this process: fast, from src/ (no build needed).
 * With `{processes: true}` deskrun is `node bin/run.js` (build first) and each tool call a process of the
 * fake executables, for what only processes show: signals, exit by signal, the published package.
 */
export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const fake = await FakeTools.create(options)
  const cacheRoot = path.join(fake.root, 'cache')
  const configFile = path.join(fake.deskrunHome, 'config.json')
  const tokenFile = path.join(fake.root, 'token')
  await writeFile(tokenFile, `${TOKEN}\n`, {mode: 0o600})
  await mkdir(fake.deskrunHome, {recursive: true, mode: 0o700})
  await writeFile(
    configFile,
    JSON.stringify({version: 1, cluster_name: 'deskrun', cache_root: cacheRoot, installations: {}}),
    {
      mode: 0o600,
    },
  )
  const outputs: RunResult[] = []
  const deskrun: Sandbox['deskrun'] = async (args, options = {}) => {
    const result = await fake.run(args, {input: options.input, extra: options.env})
    outputs.push(result)
    return result
  }
  return {
    fake,
    cacheRoot,
    configFile,
    deskrun,
    start(args) {
      const running = fake.start(args)
      void running.result.then((result) => outputs.push(result))
      return running
    },
    add: (name, ...extra) =>
      deskrun(['add', name, '--repository', REPO, '--auth-value-file', tokenFile, ...extra]),
    config: async () => JSON.parse(await readFile(configFile, 'utf8')),
    async writeInstallations(installations) {
      const config = JSON.parse(await readFile(configFile, 'utf8'))
      config.installations = Object.fromEntries(
        Object.entries(installations).map(([name, fields]) => [
          name,
          {
            Repository: REPO,
            ContainerMode: 'kubernetes',
            MinRunners: 1,
            MaxRunners: 5,
            AuthType: 'pat',
            AuthValue: TOKEN,
            ...fields,
          },
        ]),
      )
      await writeFile(configFile, JSON.stringify(config, null, 2))
    },
    async expectNoLeaks() {
      const calls = await fake.calls()
      const texts = [
        ...calls.map((call) => call.argv.join(' ')),
        ...calls.map((call) => JSON.stringify(call.env ?? {})),
        ...outputs.flatMap((result) => [result.stdout, result.stderr]),
      ]
      for (const text of texts) expectNoSecret(text)
    },
  }
}

/** Fails when `text` holds any part of the test credentials. */
export function expectNoSecret(text: string): void {
  for (const secret of SECRET_FRAGMENTS) expect(text).not.to.contain(secret)
}

export function expectOk(result: RunResult): void {
  expect(
    result.exitCode,
    `exit ${result.exitCode}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
  ).to.equal(0)
}

/** A fresh sandbox for each test, checked for leaked credentials and removed after it. */
export function useSandbox(use: (created: Sandbox) => void, options: SandboxOptions = {}): void {
  let current: Sandbox
  beforeEach(async () => {
    current = await sandbox(options)
    use(current)
  })
  afterEach(async () => {
    await current.expectNoLeaks()
    await current.fake.cleanup()
  })
}

/**
 * Deletes the ARC controller's pod with kubectl, as when its Deployment cannot start one (an image that
 * does not pull, say): the fake's Deployment does not make another.
 */
export async function removeControllerPod(fake: FakeTools, cluster = 'deskrun'): Promise<void> {
  const [pod] = (await fake.objects(cluster, {kind: 'Pod', namespace: 'arc-systems'})).filter((one) =>
    one.metadata.name.startsWith('arc-gha-rs-controller-'),
  )
  expectOk(
    await fake.tool('kubectl', [
      '--context',
      `kind-${cluster}`,
      '-n',
      'arc-systems',
      'delete',
      'pod',
      pod.metadata.name,
    ]),
  )
}
