/**
 * What GitHub's tokens look like, to warn (not refuse) when a token has none of the shapes: a GitLab
 * token or a password pasted by mistake makes the listener fail later with a 401 that is hard to trace.
 * See https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
 */
const GITHUB_TOKEN_SHAPES = [
  /^gh[pousr]_[A-Za-z0-9]+$/, // classic PAT, OAuth, user-to-server, server-to-server, refresh
  /^github_pat_[A-Za-z0-9_]+$/, // fine-grained PAT
  /^[0-9a-f]{40}$/i, // tokens made before 2021
]

/** A warning when `token` (a single word) has none of GitHub's token shapes; never repeats the token. */
export function unfamiliarTokenWarning(token: string): string | undefined {
  const trimmed = token.trim()
  // Empty, several words or a key are refused by the validation, with their own message.
  if (trimmed === '' || /\s/.test(trimmed) || trimmed.includes('-----BEGIN')) return undefined
  if (GITHUB_TOKEN_SHAPES.some((shape) => shape.test(trimmed))) return undefined
  return (
    'The token does not look like a GitHub token (those start with ghp_, github_pat_, gho_, ghu_, ghs_ or ghr_, ' +
    'or are 40 hex digits): deskrun uses it as given, but if the runners never register, check the token.'
  )
}
