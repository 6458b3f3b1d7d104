/** The image's naming inputs: user, component, target. */
import { isImagePathComponent } from '../naming/names.js'
import type { InputReader } from './reader.js'

const TARGET = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,106}$/

/** user (default: the repository owner), component, target. */
export function parseImageNaming(r: InputReader, owner: string): { user: string; component?: string; target?: string } {
  const userInput = r.get('user')
  const user = userInput || owner.toLowerCase()
  if (user === '') {
    r.problems.push({ input: 'user', message: 'Input user: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: an image namespace' })
  } else if (!isImagePathComponent(user)) {
    r.invalid('user', user, 'Accepted: an image namespace: lowercase letters and digits, with . _ or - between them')
  }
  const component = r.optional('component')
  if (component && !isImagePathComponent(component)) {
    r.invalid('component', component, 'Accepted: an image name part: lowercase letters and digits, with . _ or - between them')
  }
  const target = r.optional('target')
  if (target && !TARGET.test(target)) {
    r.invalid('target', target, 'Accepted: letters, digits, _ . - (not starting with . or -), at most 107 characters')
  }
  return { user, component, target }
}
