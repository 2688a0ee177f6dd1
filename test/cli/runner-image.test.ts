/** `--runner-image`: stored per installation, used by every pod container that runs the runner's files. */
import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const IMAGE = 'ghcr.io/my-org/runner-with-tools:1.4'
const DEFAULT = 'ghcr.io/actions/actions-runner:latest'

interface Container {
  name: string
  image?: string
}
interface PodSpec {
  initContainers?: Container[]
  containers: Container[]
}

describe('--runner-image', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const podSpec = async (release: string) =>
    (await s.fake.releases('deskrun')).find((r) => r.name === release)!.podTemplate!.spec as PodSpec
  const imagesOf = (spec: PodSpec) =>
    Object.fromEntries([...(spec.initContainers ?? []), ...spec.containers].map((c) => [c.name, c.image]))

  it("is kept in the config, shown by list and status, and runs the runner and the chart's dind init", async () => {
    expectOk(await s.add('tools', '--mode', 'dind', '--runner-image', IMAGE))
    expect((await s.config()).installations.tools.RunnerImage).to.equal(IMAGE)
    // The chart copies the runner's image into its externals init container; the daemon stays docker:dind.
    expect(imagesOf(await podSpec('tools'))).to.include({runner: IMAGE, 'init-dind-externals': IMAGE})

    const list = JSON.parse((await s.deskrun(['list', '--json'])).stdout)
    expect(list.installations[0].runnerImage).to.equal(IMAGE)
    const status = JSON.parse((await s.deskrun(['status', '--json'])).stdout)
    expect(status.installations[0].runnerImage).to.equal(IMAGE)
    await s.expectNoLeaks()
  })

  it('runs the cache init container from it too (kubernetes mode with a cache)', async () => {
    expectOk(await s.add('cached', '--cache', '/home/runner/.cache', '--runner-image', IMAGE))
    expect(imagesOf(await podSpec('cached'))).to.include({runner: IMAGE, 'init-cache-folders': IMAGE})
  })

  it("is ARC's runner image without the flag, and the config does not name it", async () => {
    expectOk(await s.add('plain'))
    expect((await s.config()).installations.plain).to.not.have.property('RunnerImage')
    expect(imagesOf(await podSpec('plain')).runner).to.equal(DEFAULT)
    const list = JSON.parse((await s.deskrun(['list', '--json'])).stdout)
    expect(list.installations[0].runnerImage).to.equal(DEFAULT)
  })

  it('comes from a hand-written config on up', async () => {
    await s.writeInstallations({hand: {RunnerImage: IMAGE}})
    expectOk(await s.deskrun(['up']))
    expect(imagesOf(await podSpec('hand')).runner).to.equal(IMAGE)
    expect((await s.config()).installations.hand.RunnerImage).to.equal(IMAGE)
  })
})
