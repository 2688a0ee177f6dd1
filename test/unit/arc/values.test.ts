import {expect} from 'chai'

import {DESKRUN_VALUE_KEYS, checkScaleSetValues, scaleSetValues} from '../../../src/lib/domain/arc/values.js'
import {DeskrunError} from '../../../src/lib/domain/errors.js'
import {expandInstances} from '../../../src/lib/domain/installation/instances.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'
import {URL_FORMS} from '../../../src/lib/domain/installation/validate.js'
import type {RenderResult} from '../../../src/lib/domain/modes/api.js'
import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'
import {kubernetesMode} from '../../../src/lib/domain/modes/kubernetes.js'
import {contextFor, docker, installation, roots} from '../modes/fixtures.js'

function valuesOf(inst: Installation, mode = kubernetesMode, chartVersion = '0.14.2') {
  return expandInstances(inst, roots).map((instance) =>
    scaleSetValues({
      installation: inst,
      instance,
      secretName: 'my-runner-github-auth',
      chartVersion,
      mode: mode.render(contextFor(inst, instance, chartVersion)),
    }),
  )
}

describe('scaleSetValues', () => {
  it("puts deskrun's keys first, then the mode's", () => {
    const [values] = valuesOf(installation({repository: 'https://github.com/owner/repo/'}))
    expect(values).to.deep.include({
      githubConfigUrl: 'https://github.com/owner/repo',
      githubConfigSecret: 'my-runner-github-auth',
      runnerScaleSetName: 'my-runner',
      minRunners: 1,
      maxRunners: 3,
      controllerServiceAccount: {name: 'arc-gha-rs-controller', namespace: 'arc-systems'},
    })
    expect(values).to.not.have.any.keys('runnerGroup', 'scaleSetLabels')
    expect((values.containerMode as {type: string}).type).to.equal('kubernetes')
    expect(values.template).to.be.an('object')
  })

  it('passes the runner group and extra labels when set', () => {
    const [values] = valuesOf(installation({runnerGroup: 'desk', labels: ['gpu', 'linux']}))
    expect(values).to.deep.include({runnerGroup: 'desk', scaleSetLabels: ['gpu', 'linux']})
  })

  it('gives a paused installation at most 0 runners, every instance', () => {
    const all = [
      ...valuesOf(installation({paused: true})),
      ...valuesOf(installation({paused: true, instances: 2})),
    ]
    expect(all.map((values) => [values.minRunners, values.maxRunners])).to.deep.equal([
      [0, 0],
      [0, 0],
      [0, 0],
    ])
    expect(checkScaleSetValues(all[0])).to.deep.equal([])
  })

  it('names each instance and gives it one runner', () => {
    const all = valuesOf(installation({instances: 3, caches: [docker]}))
    expect(
      all.map((values) => [values.runnerScaleSetName, values.minRunners, values.maxRunners]),
    ).to.deep.equal([
      ['my-runner-1', 1, 1],
      ['my-runner-2', 1, 1],
      ['my-runner-3', 1, 1],
    ])
    for (const values of all)
      expect(values.controllerServiceAccount).to.deep.equal({
        name: 'arc-gha-rs-controller',
        namespace: 'arc-systems',
      })
  })

  it('produces values that pass its own check for every built-in mode', () => {
    for (const mode of builtinModes) {
      for (const values of valuesOf(installation({caches: [docker], instances: 2, mode: mode.name}), mode)) {
        expect(checkScaleSetValues(values, {chartVersion: '0.14.2'}), mode.name).to.deep.equal([])
      }
    }
  })

  for (const key of DESKRUN_VALUE_KEYS) {
    it(`does not let a mode override ${key}`, () => {
      const inst = installation()
      const [instance] = expandInstances(inst, roots)
      const mode: RenderResult = {values: {[key]: 'x'}}
      expect(() =>
        scaleSetValues({installation: inst, instance, secretName: 's', chartVersion: '0.14.2', mode}),
      ).to.throw(DeskrunError, `"${key}"`)
    })
  }

  it('refuses extra labels on a chart older than 0.14', () => {
    expect(() => valuesOf(installation({labels: ['gpu']}), kubernetesMode, '0.13.1')).to.throw(
      DeskrunError,
      /0\.14\.0 or newer/,
    )
  })

  it('refuses values the chart would reject, before helm sees them', () => {
    expect(() => valuesOf(installation({repository: 'owner/repo'}))).to.throw(
      DeskrunError,
      /githubConfigUrl "owner\/repo" is not usable: it is not a URL/,
    )
    expect(() => valuesOf(installation({minRunners: 4, maxRunners: 2}))).to.throw(
      DeskrunError,
      /minRunners \(4\) is greater than maxRunners \(2\)/,
    )
  })
})

describe('checkScaleSetValues', () => {
  const good = {
    githubConfigUrl: 'https://github.com/owner/repo',
    githubConfigSecret: 'my-runner-github-auth',
    runnerScaleSetName: 'my-runner',
    minRunners: 0,
    maxRunners: 2,
    controllerServiceAccount: {name: 'arc-gha-rs-controller', namespace: 'arc-systems'},
    containerMode: {type: 'kubernetes-novolume'},
    template: {spec: {containers: [{name: 'runner', image: 'ghcr.io/actions/actions-runner:latest'}]}},
  }
  const check = (changes: Record<string, unknown>, chartVersion?: string) =>
    checkScaleSetValues({...good, ...changes}, {chartVersion})

  it('accepts good values, and the three URL shapes and an enterprise server', () => {
    expect(check({})).to.deep.equal([])
    for (const url of [
      'https://github.com/org',
      'https://github.com/enterprises/acme',
      'https://ghe.example.com/org/repo',
    ])
      expect(check({githubConfigUrl: url}), url).to.deep.equal([])
  })

  it('explains what is missing', () => {
    expect(checkScaleSetValues({})).to.deep.equal([
      'githubConfigUrl is missing.',
      'githubConfigSecret is missing.',
    ])
    expect(checkScaleSetValues('nope')).to.deep.equal(['The values must be a map.'])
  })

  it('explains bad URLs', () => {
    // The same rule as for --repository (installation/validate.ts), worded for the values.
    expect(check({githubConfigUrl: 'github.com/owner/repo'})).to.deep.equal([
      `githubConfigUrl "github.com/owner/repo" is not usable: it is not a URL. Use ${URL_FORMS}.`,
    ])
    expect(check({githubConfigUrl: 'https://github.com/a/b/c'})[0]).to.match(/points inside a repository/)
    expect(check({githubConfigUrl: 'http://github.com/a'})[0]).to.match(/it must use https:\/\//)
    expect(check({githubConfigUrl: 'ftp://github.com/a'})[0]).to.match(/must be an https:\/\/ URL/)
  })

  it('explains runner counts', () => {
    expect(check({minRunners: -1, maxRunners: 1.5})).to.deep.equal([
      'minRunners must be at least 0.',
      'maxRunners must be a whole number.',
    ])
    expect(check({minRunners: 3, maxRunners: 1})).to.deep.equal([
      'minRunners (3) is greater than maxRunners (1).',
    ])
  })

  it('explains scale set names ARC would refuse', () => {
    expect(check({runnerScaleSetName: 'x'.repeat(46)})).to.deep.equal([
      "runnerScaleSetName must be at most 45 characters long (lower-case letters, digits and '-', at most 45 characters: it names Kubernetes objects).",
    ])
    expect(check({runnerScaleSetName: 'My_Runner'})[0]).to.match(
      /^runnerScaleSetName is not valid \(lower-case letters/,
    )
  })

  it('checks containerMode', () => {
    expect(check({containerMode: {type: 'docker'}})).to.deep.equal([
      'containerMode.type must be one of "dind", "kubernetes", "kubernetes-novolume", "".',
    ])
    expect(check({containerMode: {type: 'kubernetes'}})).to.deep.equal([
      'containerMode.kubernetesModeWorkVolumeClaim is missing (the chart requires it in kubernetes mode: the work volume runner and job pods share).',
    ])
    expect(check({}, '0.12.1')).to.deep.equal([
      'containerMode kubernetes-novolume needs chart 0.13.0 or newer; this is 0.12.1.',
    ])
  })

  it('checks the template shape', () => {
    expect(check({template: {}})).to.deep.equal(['template.spec is missing.'])
    expect(check({template: {spec: {containers: [{image: 'x'}]}}})).to.deep.equal([
      'template.spec.containers[0].name is missing.',
    ])
    expect(check({template: {spec: {containers: []}}})).to.deep.equal([
      'template.spec.containers must not be empty.',
    ])
    expect(check({template: {spec: {containers: [{name: 'sidecar'}, {name: 'sidecar'}]}}})).to.deep.equal([
      'template.spec.containers has more than one container named "sidecar".',
      'template.spec.containers has no container named "runner"; ARC starts the runner in that container.',
    ])
    expect(
      check({
        containerMode: {type: 'dind'},
        template: {spec: {containers: [{name: 'runner'}, {name: 'dind'}]}},
      })[0],
    ).to.match(/"dind" container, which the chart drops in dind mode/)
  })

  it('checks inline credentials as the chart takes them', () => {
    expect(check({githubConfigSecret: {github_token: 't', github_app_id: '1'}})).to.deep.equal([
      'githubConfigSecret holds both a token and GitHub App keys; keep one kind.',
    ])
    expect(
      check({
        githubConfigSecret: {github_app_id: 1, github_app_installation_id: '2', github_app_private_key: 'k'},
      }),
    ).to.deep.equal(['githubConfigSecret.github_app_id must be a string (quote it), not a number.'])
    expect(check({githubConfigSecret: 'Not A Name'})).to.deep.equal([
      'githubConfigSecret "Not A Name" is not a valid Secret name.',
    ])
  })

  it('checks labels against the chart version', () => {
    expect(check({scaleSetLabels: ['gpu', '']})).to.deep.equal(['scaleSetLabels[1] must not be empty.'])
    expect(check({scaleSetLabels: ['gpu']}, '0.13.0')).to.deep.equal([
      'scaleSetLabels need chart 0.14.0 or newer; this is 0.13.0.',
    ])
  })
})
