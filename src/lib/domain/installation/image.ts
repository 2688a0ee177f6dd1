/**
 * Container image references as Docker and the kubelet read them (the grammar of
 * distribution/reference): `[HOST[:PORT]/]PATH[:TAG][@ALGORITHM:DIGEST]`, the path in lower case.
 */

/** ARC's runner image, what the chart uses when the template names none. */
export const DEFAULT_RUNNER_IMAGE = 'ghcr.io/actions/actions-runner:latest'

const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const NAME = `(?:${DOMAIN}/)?${PATH_PART}(?:/${PATH_PART})*`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`)
/** Docker refuses longer names (the part before the tag and digest). */
const MAX_NAME_LENGTH = 255

/** Why `image` is no image reference, for a message that names `flag`; undefined when it is one. */
export function imageReferenceProblem(image: string, flag = '--runner-image'): string | undefined {
  const example = `for example ${flag} ghcr.io/my-org/my-runner:2.330.0 or ${flag} registry.example.com:5000/runner@sha256:<64 hex digits>`
  if (image.trim() === '')
    return `${flag} is empty; give an image reference (${example}) or leave the flag out.`
  const match = REFERENCE.exec(image)
  if (!match) {
    // A registry host may have capitals; a repository path may not (Docker: "must be lowercase").
    const hint = /\s/.test(image)
      ? ' (it contains spaces)'
      : REFERENCE.test(image.toLowerCase())
        ? ' (the repository path must be lower case)'
        : ''
    return `${flag} "${image}" is not an image reference${hint}: use NAME[:TAG][@sha256:DIGEST], ${example}.`
  }
  if (match[1].length > MAX_NAME_LENGTH)
    return `${flag}: the image name is longer than ${MAX_NAME_LENGTH} characters.`
  return undefined
}
