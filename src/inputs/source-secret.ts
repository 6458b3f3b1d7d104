/** source-secret: the OpenShift secret the build clones git-uri with (`spec.source.sourceSecret`). */
import { isDns1123Subdomain } from '../naming/names.js'
import type { InputReader } from './reader.js'

/** The secret's name, or undefined when the input is empty (a public repository). */
export function parseSourceSecret(r: InputReader): string | undefined {
  const value = r.optional('source-secret')
  if (value === undefined) return undefined
  if (!isDns1123Subdomain(value)) {
    r.invalid('source-secret', value, 'Accepted: an OpenShift secret name (lowercase letters, digits, - and .) holding username and password, or ssh-privatekey')
    return undefined
  }
  return value
}
