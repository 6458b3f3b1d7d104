/**
 * Input checks take time linear in the input (issue 18: a 120 KB invalid input took 26.6 s to refuse, through a
 * regular expression tried from every position of a long run). The scanners that replaced those expressions
 * give the same results as the expressions did, on random text (the expressions are kept here as the
 * reference), and inputs of 1 or 2 MB are refused: at that size the quadratic checks took from half an hour to
 * hours, so the generous timeout of each test is never near (no test measures time).
 */
import { describe, expect, it } from '@jest/globals'
import { credentialsInText, urlCredentials, withoutUserInfo } from '../src/shared/mask.js'
import { analyzeDockerfile } from '../src/checkout/dockerfile.js'
import { expandVariables, processWord } from '../src/checkout/dockerfile-variables.js'
import { trimEndChar } from '../src/shared/linear-text.js'
import { parseSettings } from '../src/inputs/parse.js'
import { INPUT_NAMES, type RawInputs } from '../src/inputs/raw.js'
import { parseRepoConfig } from '../src/checkout/repo-config.js'
import { CONTEXT } from '../__fixtures__/dry-run/settings.js'

/** A seeded generator of random text over a small alphabet (the characters the expressions care about). */
function randomTexts(alphabet: string[], count: number, maxLength: number, seed = 18): string[] {
  let state = seed
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * maxLength)
    let text = ''
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)]
    return text
  })
}

// ---- the regular expressions the scanners replaced, as the reference for their results
function urlCredentialsBefore(value: string): string[] {
  const found: string[] = []
  for (const match of value.matchAll(/[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s@]*)@/g)) {
    const userInfo = match[1]
    const colon = userInfo.indexOf(':')
    if (colon < 0) continue
    const password = userInfo.slice(colon + 1)
    if (password === '') continue
    found.push(userInfo, password)
    try {
      const decoded = decodeURIComponent(password)
      if (decoded !== password) found.push(decoded)
    } catch {
      /* not percent-encoded */
    }
  }
  return found
}
const withoutUserInfoBefore = (text: string): string => text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#\s@]*@/g, '$1***@')
const plainScalarBefore = (rest: string): string =>
  rest
    .replace(/\s+#.*$/, '')
    .replace(/[,}\]].*$/, '')
    .trim()
function expandVariablesBefore(value: string, lookup: (name: string) => string | undefined, escape = '\\'): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === escape && value[i + 1] === '$') {
      out += '$'
      i++
      continue
    }
    if (c !== '$') {
      out += c
      continue
    }
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/.exec(value.slice(i))
    if (braced) {
      const [whole, name, op, word] = braced
      const v = lookup(name)
      const set = v !== undefined
      const nonEmpty = set && v !== ''
      if (op === ':-') out += nonEmpty ? v : expandVariablesBefore(word, lookup, escape)
      else if (op === '-') out += set ? v : expandVariablesBefore(word, lookup, escape)
      else if (op === ':+') out += nonEmpty ? expandVariablesBefore(word, lookup, escape) : ''
      else if (op === '+') out += set ? expandVariablesBefore(word, lookup, escape) : ''
      else out += v ?? ''
      i += whole.length - 1
      continue
    }
    const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(value.slice(i))
    if (plain) {
      out += lookup(plain[1]) ?? ''
      i += plain[0].length - 1
      continue
    }
    out += c
  }
  return out
}

const URL_ALPHABET = ['a', 'Z', '1', '+', '.', '-', ':', '/', '//', '://', '@', '?', '#', ' ', '\t', '\u00a0', '\ufeff', 'p%41', '%', 'x:y@']
const VARIABLE_ALPHABET = ['$', '{', '}', 'A', 'b', '_', '1', ':', '-', '+', '\\', '"', "'", ' ', 'X', '${A}', '${B:-', '$A']
const LOOKUP = (name: string): string | undefined => ({ A: 'va', X: '', B: 'vb' })[name]

describe('the scanners give what the regular expressions gave', () => {
  it.each([
    ['urlCredentials', (t: string) => urlCredentials(t), urlCredentialsBefore],
    ['withoutUserInfo', (t: string) => withoutUserInfo(t), withoutUserInfoBefore]
  ])('%s, on 5000 random texts', (_, now, before) => {
    for (const text of randomTexts(URL_ALPHABET, 5000, 24)) expect([text, now(text)]).toEqual([text, before(text)])
  })

  it('the plain scalar of a credential line (up to " #", then up to , } or ])', () => {
    for (const text of randomTexts(['a', ' ', '#', ',', '}', ']', '\t', 'b'], 5000, 16)) {
      const expected = plainScalarBefore(text.trim())
      expect([text, credentialsInText(`token: ${text}`)]).toEqual([text, expected === '' ? [] : [expected]])
    }
  })

  it('expandVariables and processWord, on 5000 random words', () => {
    for (const text of randomTexts(VARIABLE_ALPHABET, 5000, 14)) {
      expect([text, expandVariables(text, LOOKUP)]).toEqual([text, expandVariablesBefore(text, LOOKUP)])
      expect(() => processWord(text, LOOKUP)).not.toThrow()
    }
    expect(processWord('"${A}x" ${B:-d} $A${Q-"q"} ${nope', LOOKUP)).toBe('vax vb va"q" ${nope')
  })

  it('trimEndChar', () => {
    for (const text of randomTexts(['/', 'a', '/'], 2000, 10)) expect(trimEndChar(text, '/')).toBe(text.replace(/\/+$/, ''))
  })
})

const MB2 = 2 * 1024 * 1024
const ENV = { env: { GITHUB_WORKSPACE: '/checkout' }, homedir: '/nonexistent', cwd: '/checkout', readFile: () => null }
const BASE: RawInputs = { 'openshift-server': 'https://api.example.com:6443', 'openshift-token': 't', namespace: 'builds' }
/** Long runs that ended where the expressions needed something else. */
const HUGE: Record<string, string> = {
  letters: 'a'.repeat(MB2),
  'a scheme run': 'a'.repeat(MB2) + '://x',
  slashes: `https://h${'/'.repeat(MB2)}x`,
  'schemes without user info': 'a://'.repeat(MB2 / 4),
  'dots and dashes': 'a.-'.repeat(MB2 / 3) + '!'
}

describe('2 MB inputs are refused, in time linear in their size', () => {
  it('every input at once holding 1 MB of "a://" (the user-info check reads every input)', () => {
    // 1 MB: 34 values; the quadratic check took 26.6 s for 120 KB, so about half an hour for each of these
    const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, 'a://'.repeat(MB2 / 8)])) as RawInputs
    const result = parseSettings(raw, CONTEXT, ENV)
    expect(result.ok ? [] : result.problems.map((p) => p.input)).toContain('openshift-server')
  }, 120_000)

  it.each(Object.keys(HUGE))(
    '%s in the URL and git inputs',
    (kind) => {
      for (const name of ['git-uri', 'builder-openshift-url', 'koji-hub', 'registry-uri'] as const) parseSettings({ ...BASE, [name]: HUGE[kind] }, CONTEXT, ENV)
      const result = parseSettings({ ...BASE, 'openshift-server': HUGE[kind] }, CONTEXT, ENV)
      expect(result.ok ? [] : result.problems.map((p) => p.input)).toEqual(['openshift-server'])
    },
    120_000
  )

  it('a kubeconfig whose token line is a 2 MB run of spaces, commas and comments', () => {
    const kubeconfig = `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: a${' '.repeat(MB2)}b${', #'.repeat(MB2 / 3)}\u2028\n`
    expect(parseSettings({ kubeconfig }, CONTEXT, ENV).ok).toBe(false)
  }, 120_000)

  it('a Dockerfile whose ARG holds 2 MB of "${a:-" without a "}"', () => {
    const value = '${a:-'.repeat(MB2 / 5)
    const { info } = analyzeDockerfile(`ARG X=${value}\nFROM $X\nLABEL name=a/b version=1\n`, 'Dockerfile')
    expect(info?.baseImage).toBe(value)
  }, 120_000)

  it('a repo config of 2 MB of bad lines says so in at most 11 problems', () => {
    const { problems } = parseRepoConfig(`[autorebuild]\n${'x\n'.repeat(MB2 / 2)}`, '.osbs-repo-config')
    expect(problems).toHaveLength(11)
    expect(problems[10].message).toMatch(/and \d+ more lines from here on that ConfigParser refuses/)
  }, 120_000)
})
