import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {readGitHubCA} from '../../../src/lib/adapters/ca-file.js'
import {checkCABundle} from '../../../src/lib/domain/installation/certificates.js'
import {CA_PEM, EXPIRED_CA_PEM, SECOND_CA_PEM} from '../../helpers/certificates.js'
import {deskrunRejection as rejection} from '../../helpers/rejection.js'

const NOW = new Date('2026-06-01T00:00:00Z')

describe('GitHub CA bundles', () => {
  it('parses every certificate of a bundle, with its subject and validity', () => {
    const report = checkCABundle(`${CA_PEM}\n${SECOND_CA_PEM}\n`, NOW)
    expect(report.problem).to.equal(undefined)
    expect(report.warnings).to.deep.equal([])
    expect(report.certificates).to.deep.equal([
      {
        subject: 'CN=deskrun test CA',
        notBefore: new Date('2000-01-01T00:00:00Z'),
        notAfter: new Date('2100-01-01T00:00:00Z'),
      },
      {
        subject: 'CN=deskrun second test CA',
        notBefore: new Date('2000-01-01T00:00:00Z'),
        notAfter: new Date('2100-01-01T00:00:00Z'),
      },
    ])
  })

  it('says which certificate expired and when: a problem when none is valid, a warning beside a valid one', () => {
    expect(checkCABundle(EXPIRED_CA_PEM, NOW).problem).to.equal(
      'the certificate (CN=deskrun expired test CA) expired on 2001-01-01',
    )
    const mixed = checkCABundle(`${CA_PEM}\n${EXPIRED_CA_PEM}`, NOW)
    expect(mixed.problem).to.equal(undefined)
    expect(mixed.warnings).to.deep.equal([
      'certificate 2 of 2 (CN=deskrun expired test CA) expired on 2001-01-01',
    ])
    expect(checkCABundle(CA_PEM, new Date('1999-12-31T00:00:00Z')).problem).to.equal(
      'the certificate (CN=deskrun test CA) is not valid before 2000-01-01',
    )
  })

  it('refuses a PEM block that is no certificate, naming it', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'
    expect(checkCABundle(`${CA_PEM}\n${broken}`, NOW).problem).to.equal(
      'certificate 2 of 2 is not a valid X.509 certificate (its PEM block does not parse)',
    )
    expect(checkCABundle('', NOW).problem).to.equal('it holds no certificate')
  })

  describe('readGitHubCA', () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-ca-'))
    })
    afterEach(async () => {
      await rm(dir, {recursive: true, force: true})
    })

    it('reads a bundle and notes a certificate of it that expired', async () => {
      const file = path.join(dir, 'ca.pem')
      await writeFile(file, `${CA_PEM}\n${EXPIRED_CA_PEM}\n`)
      const notes: string[] = []
      expect(await readGitHubCA(file, {note: (note) => notes.push(note), now: NOW})).to.equal(
        `${CA_PEM}\n${EXPIRED_CA_PEM}`,
      )
      expect(notes).to.deep.equal([
        `--github-ca-file: in ${file}, certificate 2 of 2 (CN=deskrun expired test CA) expired on 2001-01-01; the other certificates are used.`,
      ])
    })

    it('refuses a missing file, an expired CA and one that does not parse, with the command to read about', async () => {
      const missing = await rejection(readGitHubCA(path.join(dir, 'nope.pem'), {now: NOW}))
      expect(missing.message).to.match(/cannot read .*nope\.pem \(ENOENT\)/)
      const expired = path.join(dir, 'expired.pem')
      await writeFile(expired, EXPIRED_CA_PEM)
      const refused = await rejection(readGitHubCA(expired, {command: 'defaults', now: NOW}))
      expect(refused.message).to.include('expired on 2001-01-01')
      expect(refused.hint).to.include('deskrun defaults --help')
      const broken = path.join(dir, 'broken.pem')
      await writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
      expect((await rejection(readGitHubCA(broken, {now: NOW}))).message).to.include(
        'is not a valid X.509 certificate',
      )
    })
  })
})
