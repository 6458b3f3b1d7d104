/**
 * `.osbs-repo-config` files and what the action makes of each: autorebuild enabled or disabled by the file (the
 * reactor is asked: stop_autorebuild_if_disabled), the default (enabled, the reactor is not asked), or refused
 * with a problem at `line`. `__tests__/repo-config-python.test.ts` checks each against Python's ConfigParser.
 */
export interface RepoConfigCase {
  name: string
  text: string
  expect: 'enabled' | 'disabled' | 'default' | 'refused'
  /** The line of the problem (refused), or of the `enabled` key (enabled, disabled). */
  line?: number
  /** Refused although ConfigParser reads a boolean: the action is stricter there, and says why. */
  stricter?: string
}

const A = '[autorebuild]\n'

export const REPO_CONFIG_CASES: RepoConfigCase[] = [
  // ---- read alike: the value is the reactor's
  { name: 'enabled = true', text: `${A}enabled = true\n`, expect: 'enabled', line: 2 },
  { name: 'enabled = 1, no final line end', text: `${A}enabled = 1`, expect: 'enabled', line: 2 },
  { name: 'enabled = TRUE', text: `${A}enabled = TRUE\n`, expect: 'enabled', line: 2 },
  { name: 'enabled = yes', text: `${A}enabled = yes\n`, expect: 'enabled', line: 2 },
  { name: 'enabled = On', text: `${A}enabled = On\n`, expect: 'enabled', line: 2 },
  { name: 'enabled = 0', text: `${A}enabled = 0\n`, expect: 'disabled', line: 2 },
  { name: 'enabled = false', text: `${A}enabled = false\n`, expect: 'disabled', line: 2 },
  { name: 'enabled = False', text: `${A}enabled = False\n`, expect: 'disabled', line: 2 },
  { name: 'enabled = no', text: `${A}enabled = no\n`, expect: 'disabled', line: 2 },
  { name: 'enabled = OFF', text: `${A}enabled = OFF\n`, expect: 'disabled', line: 2 },
  { name: 'Enabled=true (keys are case-insensitive)', text: `${A}Enabled=true\n`, expect: 'enabled', line: 2 },
  { name: 'ENABLED : off (colon delimiter)', text: `${A}ENABLED : off\n`, expect: 'disabled', line: 2 },
  { name: 'enabled: true', text: `${A}enabled: true\n`, expect: 'enabled', line: 2 },
  { name: 'spaces before the delimiter', text: `${A}enabled    =true\n`, expect: 'enabled', line: 2 },
  { name: 'comments and blank lines', text: `# repo config\n; another comment\n\n${A}# off for now\nenabled = false\n`, expect: 'disabled', line: 6 },
  { name: 'an indented comment after the value', text: `${A}enabled = false\n    # not yet\n`, expect: 'disabled', line: 2 },
  { name: 'CRLF line ends', text: '[autorebuild]\r\nenabled = false\r\n', expect: 'disabled', line: 2 },
  { name: 'lone CR line ends', text: '[autorebuild]\renabled = false\r', expect: 'disabled', line: 2 },
  { name: 'indented header and key', text: '  [autorebuild]  \n\tenabled\t=\tfalse  \n', expect: 'disabled', line: 2 },
  { name: 'key indented deeper than the header', text: `\n${A}    enabled = true\n`, expect: 'enabled', line: 3 },
  { name: 'blank lines after the value', text: `${A}enabled = true\n\n   \n\n`, expect: 'enabled', line: 2 },
  { name: 'other sections', text: `[other]\nx = 1\n${A}enabled = no\n`, expect: 'disabled', line: 4 },
  { name: 'an unused key', text: `${A}enabled = true\nfoo = 1\n`, expect: 'enabled', line: 2 },
  { name: 'a comment after the header', text: '[autorebuild] ; see the docs\nenabled = false\n', expect: 'disabled', line: 2 },
  { name: '[DEFAULT] gives the value', text: `[DEFAULT]\nenabled = false\n${A}`, expect: 'disabled', line: 2 },
  { name: '[autorebuild] overrides [DEFAULT]', text: `[DEFAULT]\nenabled = false\n${A}enabled = true\n`, expect: 'enabled', line: 4 },
  { name: '[DEFAULT] twice', text: `[DEFAULT]\nx = 1\n[DEFAULT]\ny = 2\n${A}enabled = on\n`, expect: 'enabled', line: 6 },
  { name: 'no-break spaces around the value', text: `${A}enabled =\u00a0false\u00a0\n`, expect: 'disabled', line: 2 },
  { name: 'U+001C after the value (Python whitespace)', text: `${A}enabled = false\u001c\n`, expect: 'disabled', line: 2 },
  { name: 'U+0085 after the value (Python whitespace)', text: `${A}enabled = true\u0085\n`, expect: 'enabled', line: 2 },
  { name: 'U+2028 after the value (not a line end in a file)', text: `${A}enabled = true\u2028\n`, expect: 'enabled', line: 2 },
  { name: 'vertical tab after the value', text: `${A}enabled = true\u000b\n`, expect: 'enabled', line: 2 },
  // ---- no value: the default, and the reactor is not asked
  { name: 'empty file', text: '', expect: 'default' },
  { name: 'only comments', text: '# nothing here\n; nor here\n', expect: 'default' },
  { name: 'section without the key', text: A, expect: 'default' },
  { name: 'only other sections', text: '[other]\nenabled = false\n', expect: 'default' },
  { name: 'a misspelt key', text: `${A}enable = false\n`, expect: 'default' },
  // ---- refused
  { name: 'enabled = "true" (issue 18)', text: `${A}enabled = "true"\n`, expect: 'refused', line: 2 },
  { name: "enabled = 'false'", text: `${A}enabled = 'false'\n`, expect: 'refused', line: 2 },
  { name: 'enabled = true ; comment (issue 18)', text: `${A}enabled = true ; comment\n`, expect: 'refused', line: 2 },
  { name: 'enabled = true # comment (issue 18)', text: `${A}enabled = true # comment\n`, expect: 'refused', line: 2 },
  { name: 'a BOM before [autorebuild] (issue 18)', text: `\ufeff${A}enabled = true\n`, expect: 'refused', line: 1 },
  { name: 'a BOM before a comment', text: `\ufeff# config\n${A}enabled = false\n`, expect: 'refused', line: 1 },
  { name: '[ autorebuild ] (issue 18)', text: '[ autorebuild ]\nenabled = true\n', expect: 'refused', line: 1 },
  { name: '[Autorebuild]', text: '[Autorebuild]\nenabled = false\n', expect: 'refused', line: 1 },
  { name: '[autorebuild]]', text: '[autorebuild]]\nenabled = false\n', expect: 'refused', line: 1 },
  { name: 'enabled = maybe', text: `${A}enabled = maybe\n`, expect: 'refused', line: 2 },
  { name: 'enabled = 2', text: `# c\n${A}enabled = 2\n`, expect: 'refused', line: 3 },
  { name: 'enabled = t', text: `${A}enabled = t\n`, expect: 'refused', line: 2 },
  { name: 'empty value', text: `${A}enabled =\n`, expect: 'refused', line: 2 },
  { name: 'enabled = = true', text: `${A}enabled = = true\n`, expect: 'refused', line: 2 },
  { name: 'enabled: true:x', text: `${A}enabled: true:x\n`, expect: 'refused', line: 2 },
  { name: 'fullwidth TRUE', text: `${A}enabled = \uff34\uff32\uff35\uff25\n`, expect: 'refused', line: 2 },
  { name: 'a NUL after the value', text: `${A}enabled = true\u0000\n`, expect: 'refused', line: 2 },
  { name: 'a line separator inside the value', text: `${A}enabled = tr\u2028ue\n`, expect: 'refused', line: 2 },
  { name: 'a continued value', text: `${A}enabled = true\n  false\n`, expect: 'refused', line: 2 },
  { name: 'a continued value after a blank line', text: `${A}enabled = true\n\n  more\n`, expect: 'refused', line: 2 },
  { name: 'a continued value after a lone CR', text: `${A}enabled = true\r  false\n`, expect: 'refused', line: 2 },
  { name: 'enabled indented under another key', text: `${A}x = 1\n  enabled = false\n`, expect: 'refused', line: 3 },
  { name: '[autorebuild] indented under a key', text: '[a]\nx = 1\n  [autorebuild]\n  enabled = false\n', expect: 'refused', line: 3 },
  { name: 'a duplicate key', text: `${A}enabled = true\nenabled = false\n`, expect: 'refused', line: 3 },
  { name: 'a duplicate key in another case', text: `${A}enabled = true\nENABLED = true\n`, expect: 'refused', line: 3 },
  { name: 'a duplicate key in another section', text: `${A}enabled = true\n[other]\nx = 1\nx = 2\n`, expect: 'refused', line: 5 },
  { name: 'a duplicate section', text: `${A}enabled = true\n${A}`, expect: 'refused', line: 3 },
  { name: 'a key outside a section', text: 'enabled = true\n', expect: 'refused', line: 1 },
  { name: 'a malformed header', text: '[autorebuild\nenabled = true\n', expect: 'refused', line: 1 },
  { name: 'an empty header', text: `${A}enabled = true\n[]\n`, expect: 'refused', line: 3 },
  { name: 'a bare key', text: `${A}enabled\n`, expect: 'refused', line: 2 },
  { name: 'a bad line in another section', text: `${A}enabled = true\n[other]\njunk\n`, expect: 'refused', line: 4 },
  { name: 'a bad line after lone CRs', text: '[autorebuild]\r\rjunk\nenabled = true\n', expect: 'refused', line: 3 },
  { name: 'no key before =', text: `${A}= true\nenabled = true\n`, expect: 'refused', line: 2 },
  { name: 'a % in the value', text: `${A}enabled = 100%\n`, expect: 'refused', line: 2 },
  {
    name: 'an interpolated value',
    text: `${A}on = true\nenabled = %(on)s\n`,
    expect: 'refused',
    line: 3,
    stricter: 'ConfigParser reads true through interpolation; the action asks for the value itself'
  },
  { name: '[DEFAULT] without [autorebuild]', text: '[DEFAULT]\nenabled = false\n', expect: 'refused', line: 2 }
]
