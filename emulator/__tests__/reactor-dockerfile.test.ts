/** The reactor's Dockerfile reader and `.osbs-repo-config` reader. */
import { describe, expect, it } from '@jest/globals'
import { baseImage, finalLabels, parseDockerfile, parseInstructions, shellWords } from '../src/reactor/util/dockerfile.js'
import { readAutorebuild } from '../src/reactor/util/repoconfig.js'
import { ImageName } from '../src/reactor/util/imagename.js'
import { pyJsonDumps, pyRepr, pyStrRepr, PyException } from '../src/reactor/util/py.js'

describe('Dockerfile', () => {
  it('joins continuations, skips comments, reads JSON form and flags', () => {
    const { instructions } = parseInstructions(['# a comment', 'FROM --platform=linux/amd64 fedora:26', 'RUN echo a \\', '  # inside', '    && echo b', 'CMD ["/bin/app", "-x"]', ''].join('\n'))
    expect(instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'CMD'])
    expect(instructions[0]!.flags).toEqual({ platform: 'linux/amd64' })
    expect(instructions[0]!.rest).toBe('fedora:26')
    expect(instructions[1]!.args).toBe('echo a     && echo b')
    expect(instructions[2]!.json).toEqual(['/bin/app', '-x'])
    expect(instructions[2]!.line).toBe(6)
  })

  it('honours the escape parser directive', () => {
    const { escape, instructions } = parseInstructions('# escape=`\nFROM x\nRUN dir `\n  c:\\\n')
    expect(escape).toBe('`')
    expect(instructions[1]!.args).toBe('dir   c:\\')
  })

  it('follows stage aliases to the base image, with ARG defaults', () => {
    const df = parseDockerfile(
      ['ARG REG=registry.example.com:5000', 'ARG TAG', 'FROM ${REG}/fedora:${TAG:-26} AS build', 'RUN make', 'FROM build AS test', 'FROM build', 'COPY --from=test /x /x'].join('\n')
    )
    expect(df.stages.map((s) => s.from)).toEqual(['registry.example.com:5000/fedora:26', 'build', 'build'])
    expect(baseImage(df)).toBe('registry.example.com:5000/fedora:26')
    expect(baseImage(parseDockerfile('FROM scratch\nLABEL a=b'))).toBe('scratch')
    expect(baseImage(parseDockerfile('# nothing'))).toBeUndefined()
    expect(baseImage(parseDockerfile('ARG UNSET\nFROM ${UNSET}'))).toBe('')
  })

  it('reads labels of the final stage with ENV/ARG substitution and inheritance', () => {
    const df = parseDockerfile(
      [
        'FROM fedora AS base',
        'LABEL vendor="Example, Inc." inherited=yes',
        'FROM base',
        'ARG V=1.0',
        'ENV NAME=myproj/app',
        'LABEL name="$NAME" \\',
        '      version=${V} "quoted key"=\'single $V\'',
        'LABEL Description this is the old form'
      ].join('\n')
    )
    expect(finalLabels(df, { 'from-base-image': 'x', vendor: 'base' })).toEqual({
      'from-base-image': 'x',
      vendor: 'Example, Inc.',
      inherited: 'yes',
      name: 'myproj/app',
      version: '1.0',
      'quoted key': 'single $V',
      Description: 'this is the old form'
    })
  })

  it('splits shell words like docker', () => {
    expect(shellWords(`a "b c" 'd $X' \${X:-e} \${Y:+f} \\"g`, { X: 'x' })).toEqual(['a', 'b c', 'd $X', 'x', '', '"g'].filter((w) => w !== ''))
    expect(shellWords('exit 3', {})).toEqual(['exit', '3'])
  })
})

describe('.osbs-repo-config', () => {
  it('applies SPEC §3.1', () => {
    expect(readAutorebuild('')).toEqual({ kind: 'missing-key' })
    expect(readAutorebuild('[other]\nx=1\n')).toEqual({ kind: 'missing-key' })
    expect(readAutorebuild('[autorebuild]\nenabled = No\n')).toEqual({ kind: 'value', enabled: false })
    expect(readAutorebuild('# c\n[autorebuild]\nenabled: ON\n')).toEqual({ kind: 'value', enabled: true })
    expect(readAutorebuild('[autorebuild]\nenabled = maybe\n')).toMatchObject({ kind: 'error', line: 2, message: 'Not a boolean: maybe' })
    expect(readAutorebuild('[autorebuild]\nenabled = 1\nenabled = 0\n')).toMatchObject({ kind: 'error', line: 3 })
    expect(readAutorebuild('enabled = 1\n')).toMatchObject({ kind: 'error', line: 1 })
  })
})

describe('Python shapes', () => {
  it('reprs and json.dumps like Python 2', () => {
    expect(pyRepr({ a: 'b', n: null, t: true, l: [1, 'x'] })).toBe("{u'a': u'b', u'n': None, u't': True, u'l': [1, u'x']}")
    expect(pyStrRepr("it's")).toBe(`"it's"`)
    expect(new PyException('RuntimeError', 'boom').repr()).toBe("RuntimeError('boom',)")
    expect(pyJsonDumps({ a: [1, 'é'], b: {} })).toBe('{"a": [1, "\\u00e9"], "b": {}}')
  })

  it('parses image names like atomic-reactor', () => {
    const n = ImageName.parse('registry.example.com:5000/myproj/app:1.0-1')
    expect([n.registry, n.namespace, n.repo, n.tag]).toEqual(['registry.example.com:5000', 'myproj', 'app', '1.0-1'])
    expect(ImageName.parse('localhost/foo').namespace).toBe('localhost')
    expect(ImageName.parse('reg.com/a/b/c:1').repo).toBe('b/c')
    expect(ImageName.parse('x@sha256:ab').toString()).toBe('x@sha256:ab')
  })
})
