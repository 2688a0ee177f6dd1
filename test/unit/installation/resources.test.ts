import {expect} from 'chai'

import {
  cpuMillis,
  memoryBytes,
  resourceProblems,
  resourceRequirements,
} from '../../../src/lib/domain/installation/resources.js'

describe('resource limits', () => {
  it('reads CPU in cores or millicores and memory in Kubernetes units', () => {
    expect([
      cpuMillis('2'),
      cpuMillis('1.5'),
      cpuMillis('250m'),
      cpuMillis('two'),
      cpuMillis('1.5m'),
    ]).to.deep.equal([2000, 1500, 250, undefined, undefined])
    expect([memoryBytes('4Gi'), memoryBytes('512Mi'), memoryBytes('1G'), memoryBytes('512m')]).to.deep.equal([
      4 * 2 ** 30,
      512 * 2 ** 20,
      1e9,
      undefined,
    ])
  })

  it('says what is wrong with each flag', () => {
    expect(resourceProblems({})).to.deep.equal([])
    expect(resourceProblems({cpus: '0', memory: '4g'})).to.deep.equal([
      '--cpus 0 is too little: at least 10m.',
      '--memory "4g" is not a memory amount: use Kubernetes units such as 512Mi or 4Gi (Docker-style units are not accepted).',
    ])
    expect(resourceProblems({memory: '1Mi'})).to.deep.equal(['--memory 1Mi is too little: at least 64Mi.'])
  })

  it('limits as given, requests small (never above the limit)', () => {
    expect(resourceRequirements({})).to.equal(undefined)
    expect(resourceRequirements({cpus: '2'})).to.deep.equal({limits: {cpu: '2'}, requests: {cpu: '100m'}})
    expect(resourceRequirements({cpus: '50m', memory: '128Mi'})).to.deep.equal({
      limits: {cpu: '50m', memory: '128Mi'},
      requests: {cpu: '50m', memory: '128Mi'},
    })
  })
})
