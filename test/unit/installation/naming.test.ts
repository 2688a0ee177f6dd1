import {expect} from 'chai'

import {MAX_SCALE_SET_NAME_LENGTH} from '../../../src/lib/arc/charts.js'
import {
  MAX_KUBERNETES_NAME_LENGTH,
  authSecretName,
  hookExtensionName,
  instanceNames,
  maxInstallationNameLength,
  nameProblems,
} from '../../../src/lib/installation/naming.js'

describe('installation naming', () => {
  it('gives one scale set named like the installation for a single instance', () => {
    expect(instanceNames('my-runner', 1)).to.deep.equal(['my-runner'])
  })

  it('numbers the scale sets from 1 with several instances', () => {
    expect(instanceNames('multi', 3)).to.deep.equal(['multi-1', 'multi-2', 'multi-3'])
  })

  for (const good of ['my-runner', 'a', 'runner1', '1runner', 'a-b-c']) {
    it(`accepts ${good}`, () => expect(nameProblems(good, 1)).to.deep.equal([]))
  }

  for (const bad of ['My-Runner', '-runner', 'runner-', 'my_runner', 'my.runner', 'my runner', 'rünner']) {
    it(`rejects ${JSON.stringify(bad)} as not a DNS label`, () => {
      const problems = nameProblems(bad, 1)
      expect(problems).to.have.length(1)
      expect(problems[0]).to.include('lower-case letters, digits')
    })
  }

  it('rejects an empty name', () => {
    expect(nameProblems('', 1)[0]).to.include('empty')
  })

  it('allows 45 characters for one instance and not 46', () => {
    expect(nameProblems('a'.repeat(45), 1)).to.deep.equal([])
    expect(nameProblems('a'.repeat(46), 1)[0]).to.include('at most 45')
  })

  it('keeps room for the instance suffix', () => {
    expect(maxInstallationNameLength(3)).to.equal(43)
    expect(maxInstallationNameLength(10)).to.equal(42)
    expect(nameProblems('a'.repeat(43), 9)).to.deep.equal([])
    const problems = nameProblems('a'.repeat(43), 10)
    expect(problems[0]).to.include('--instances 10').and.include('at most 42 characters')
  })

  it('leaves room for the names deskrun derives (secret, hook extension ConfigMap)', () => {
    // The longest names that pass: one instance, and the most instances a name of that length allows.
    for (const [name, instances] of [
      ['a'.repeat(MAX_SCALE_SET_NAME_LENGTH), 1],
      ['a'.repeat(maxInstallationNameLength(9)), 9],
    ] as const) {
      expect(nameProblems(name, instances)).to.deep.equal([])
      expect(authSecretName(name)).to.have.length.at.most(MAX_KUBERNETES_NAME_LENGTH)
      for (const instance of instanceNames(name, instances))
        expect(hookExtensionName(instance)).to.have.length.at.most(MAX_KUBERNETES_NAME_LENGTH)
    }
  })
})
