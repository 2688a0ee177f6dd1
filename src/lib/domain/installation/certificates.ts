/**
 * A `--github-ca-file` bundle looked at as TLS will: each PEM block parsed as an X.509 certificate, and
 * its validity compared with now. A CA that has expired (or is not valid yet) verifies nothing.
 */
import {X509Certificate} from 'node:crypto'

export interface CertificateInfo {
  /** `CN=Corp Root CA, O=Corp`. */
  subject: string
  notBefore: Date
  notAfter: Date
}

export interface CABundleReport {
  certificates: CertificateInfo[]
  /** Why the bundle cannot be used: a block is no certificate, or none is valid now. */
  problem?: string
  /** Certificates out of their validity while another one is fine. */
  warnings: string[]
}

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

const day = (date: Date) => date.toISOString().slice(0, 10)

/** `certificate 2 of 3 (CN=Corp Root CA)`, or `the certificate (CN=...)` when it is the only one. */
function named(index: number, count: number, subject?: string): string {
  const which = count === 1 ? 'the certificate' : `certificate ${index + 1} of ${count}`
  return subject ? `${which} (${subject})` : which
}

export function checkCABundle(pem: string, now: Date): CABundleReport {
  const blocks = pem.match(BLOCK) ?? []
  const certificates: CertificateInfo[] = []
  for (const [index, block] of blocks.entries()) {
    try {
      const parsed = new X509Certificate(block)
      certificates.push({
        subject: parsed.subject.split('\n').join(', '),
        notBefore: new Date(parsed.validFrom),
        notAfter: new Date(parsed.validTo),
      })
    } catch {
      return {
        certificates,
        problem: `${named(index, blocks.length)} is not a valid X.509 certificate (its PEM block does not parse)`,
        warnings: [],
      }
    }
  }
  if (certificates.length === 0) return {certificates, problem: 'it holds no certificate', warnings: []}
  const outOfDate = certificates.flatMap((certificate, index) => {
    const which = named(index, certificates.length, certificate.subject)
    if (now > certificate.notAfter) return [`${which} expired on ${day(certificate.notAfter)}`]
    if (now < certificate.notBefore) return [`${which} is not valid before ${day(certificate.notBefore)}`]
    return []
  })
  if (outOfDate.length === certificates.length)
    return {certificates, problem: outOfDate.join('; '), warnings: []}
  return {certificates, warnings: outOfDate}
}
