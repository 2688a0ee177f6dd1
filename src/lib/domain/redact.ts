/**
 * Masks credentials in any text deskrun shows or records. Known values are registered as soon as
 * they are read; token shapes are masked even when they come from somewhere unexpected (a tool
 * echoing them back).
 */
const MASK = '***'

const TOKEN_SHAPES: RegExp[] = [
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /gh[pousr]_[A-Za-z0-9]{20,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
]

const knownSecrets = new Set<string>()

/** Remember a credential so that every later redact() masks it, whatever its shape. */
export function registerSecret(value: string | undefined): void {
  if (!value) return
  const trimmed = value.trim()
  // Short values would mask ordinary words; the shapes above still catch real tokens.
  if (trimmed.length >= 8) knownSecrets.add(trimmed)
  // A PEM may be shown with its newlines escaped or re-wrapped; mask each body line as well.
  for (const line of trimmed.split(/\r?\n|\\n/))
    if (line.length >= 16 && !line.startsWith('-----')) knownSecrets.add(line)
}

export function redact(text: string): string {
  let result = text
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length))
    result = result.split(secret).join(MASK)
  for (const shape of TOKEN_SHAPES) result = result.replace(shape, MASK)
  return result
}

/** For tests: forget registered values. */
export function clearSecrets(): void {
  knownSecrets.clear()
}
