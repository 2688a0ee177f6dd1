/**
 * The Secret every scale set of an installation reads its GitHub credentials from. deskrun applies it
 * itself and hands the chart only its name, so credentials never pass through Helm values or argv.
 */
import {DeskrunError} from '../errors.js'
import {authSecretName} from '../installation/naming.js'
import type {Installation} from '../installation/types.js'
import {privateKeyProblem} from '../installation/validate.js'
import type {KubeObject} from '../kube.js'

/**
 * A private key as GitHub issued it: real newlines, LF only, one trailing newline. Keys pasted through
 * shells, JSON or env files often arrive with literal "\n" sequences or CRLF, which ARC passes on
 * unchanged and GitHub then answers with 401 (ARC issues 3269, 4376).
 */
export function normalisePrivateKey(key: string): string {
  const text = key
    .replaceAll(/\\r\\n|\\n|\\r/g, '\n')
    .replaceAll(/\r\n?/g, '\n')
    .trim()
  return `${text}\n`
}

function credentials(installation: Installation): Record<string, string> {
  const {auth, name} = installation
  const problem = (what: string) =>
    new DeskrunError(`The GitHub credentials of "${name}" are incomplete: ${what}.`, {
      code: 'INVALID_CREDENTIALS',
      hint: `Set them again with \`deskrun add ${name} ...\` (--auth-type and --auth-value-file).`,
    })
  switch (auth.type) {
    case 'pat': {
      const token = auth.token.trim()
      if (!token) throw problem('the token is empty')
      return {github_token: token}
    }

    case 'github-app': {
      const appId = String(auth.appId).trim()
      const installationId = String(auth.installationId).trim()
      const privateKey = normalisePrivateKey(auth.privateKey)
      if (!appId) throw problem('the GitHub App id (or client id) is empty')
      if (!/^\d+$/.test(installationId)) throw problem('the GitHub App installation id must be a number')
      if (privateKeyProblem(privateKey))
        throw problem(
          'the private key is not a PEM private key (-----BEGIN ... PRIVATE KEY----- ... -----END ...)',
        )
      // ARC wants the ids as strings: YAML would otherwise turn them into numbers.
      return {
        github_app_id: appId,
        github_app_installation_id: installationId,
        github_app_private_key: privateKey,
      }
    }

    default:
      throw new DeskrunError(`"${name}" uses an unknown auth type.`, {code: 'INVALID_CREDENTIALS'})
  }
}

/**
 * A PAT Secret holds only github_token; an App Secret only the three github_app_* keys: never both.
 * The values go in `data`, base64 as the API server stores them, not in write-only `stringData`: the
 * server never returns stringData, so an applied stringData always looks different from the live object.
 */
export function authSecret(
  installation: Installation,
  namespace: string,
  labels: Record<string, string>,
): KubeObject {
  const data = Object.entries(credentials(installation)).map(([key, value]) => [
    key,
    Buffer.from(value, 'utf8').toString('base64'),
  ])
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: authSecretName(installation.name), namespace, labels: {...labels}},
    type: 'Opaque',
    data: Object.fromEntries(data),
  }
}
