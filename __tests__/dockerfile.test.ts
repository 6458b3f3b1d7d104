import { describe, expect, it } from '@jest/globals'
import { analyzeDockerfile, imageLabels } from '../src/checkout/dockerfile.js'
import { expandVariables } from '../src/checkout/dockerfile-variables.js'

const FILE = 'Dockerfile'
const LABELS = 'LABEL name="acme/app" version="1.0"\n'

function analyse(text: string) {
  const result = analyzeDockerfile(text, FILE)
  expect(result.problems).toEqual([])
  return result.info!
}

describe('SPEC §3.2 base layer', () => {
  it.each([
    ['single stage', 'FROM fedora:30\n', 'fedora:30'],
    ['lower-case keyword', 'from fedora:30\n', 'fedora:30'],
    ['--platform is ignored', 'FROM --platform=linux/amd64 registry.example.com/base/image:1\n', 'registry.example.com/base/image:1'],
    ['last FROM wins', 'FROM golang:1.22 AS build\nRUN make\nFROM registry.example.com/ubi9:latest\nCOPY --from=build /a /a\n', 'registry.example.com/ubi9:latest'],
    ['stage alias followed back', 'FROM fedora:39 AS base\nRUN true\nFROM base AS middle\nRUN true\nFROM middle\n', 'fedora:39'],
    ['alias match is case-insensitive', 'FROM fedora:39 AS Base\nFROM BASE\n', 'fedora:39'],
    ['${X} from an ARG default', 'ARG BASE=fedora:38\nFROM ${BASE}\n', 'fedora:38'],
    ['$X', 'ARG BASE=fedora\nFROM $BASE\n', 'fedora'],
    ['${X:-d} with X unset', 'ARG TAG\nARG REPO=quay.io/fedora/fedora\nFROM ${REPO}:${TAG:-40}\n', 'quay.io/fedora/fedora:40'],
    ['ARG default using an earlier ARG', 'ARG REG=registry.example.com\nARG IMG=${REG}/base:1\nFROM $IMG\n', 'registry.example.com/base:1'],
    ['ARG in a stage does not change FROM', 'ARG BASE=fedora:1\nFROM $BASE AS a\nARG BASE=other:2\nFROM a\n', 'fedora:1'],
    [
      'multi-stage whose last stage starts from an ARG-named image',
      'ARG BUILDER=golang:1.22\nARG RUNTIME=registry.example.com/ubi9/ubi-minimal:9.4\nFROM ${BUILDER} AS build\nRUN go build\nFROM ${RUNTIME}\nCOPY --from=build /app /app\n',
      'registry.example.com/ubi9/ubi-minimal:9.4'
    ],
    ['line continuation', 'FROM \\\n  fedora:30\n', 'fedora:30'],
    ['comments between continued lines', 'FROM \\\n# a comment\n  fedora:31\n', 'fedora:31'],
    ['escape directive', '# escape=`\nFROM `\n  fedora:32\nRUN dir c:\\\n', 'fedora:32'],
    ['digest reference', 'FROM fedora@sha256:' + 'c'.repeat(64) + '\n', 'fedora@sha256:' + 'c'.repeat(64)]
  ])('%s', (_, text, expected) => {
    expect(analyse(text + LABELS).baseImage).toBe(expected)
  })

  it.each([
    ['FROM scratch', 'FROM scratch\n'],
    ['a stage from scratch', 'FROM scratch AS s\nFROM s\n']
  ])('%s has no base image', (_, text) => {
    expect(analyse(text + LABELS).baseImage).toBeNull()
  })

  it('records the chain of aliases and the line of BL', () => {
    const info = analyse('FROM fedora:39 AS base\nFROM base AS mid\nFROM mid\n' + LABELS)
    expect(info).toMatchObject({ baseImageLine: 1, finalStageLine: 3, stages: 3, stageChain: ['base', 'mid'] })
  })

  it('a missing Dockerfile is an error naming the path', () => {
    const { problems } = analyzeDockerfile(null, 'images/app/Dockerfile')
    expect(problems).toHaveLength(1)
    expect(problems[0].message).toContain('images/app/Dockerfile does not exist')
  })

  it.each([
    ['empty', ''],
    ['comments only', '# nothing\n'],
    ['ARG only', 'ARG X=1\nRUN true\n']
  ])('a Dockerfile without FROM (%s) is an error naming the path', (_, text) => {
    const { problems, info } = analyzeDockerfile(text, FILE)
    expect(info).toBeUndefined()
    expect(problems).toEqual([{ file: FILE, line: 1, message: `Dockerfile ${FILE} has no FROM instruction` }])
  })

  it.each([
    ['FROM fedora:$TAG\n', /"FROM fedora:\$TAG" cannot be determined: TAG is not an ARG declared before the first FROM/],
    ['ARG REG\nFROM ${REG}/fedora\n', /"FROM \$\{REG\}\/fedora" cannot be determined: ARG REG has no default/],
    ['ARG A=x\nFROM ${A}:\n', /cannot be determined: it expands to "x:"/]
  ])('a FROM whose variables leave an incomplete image (%s) is an error', (text, message) => {
    const { problems } = analyzeDockerfile(text, FILE)
    expect(problems).toHaveLength(1)
    expect(problems[0].message).toMatch(message)
  })

  it('an ARG without a default in FROM is an error naming the line', () => {
    const { problems } = analyzeDockerfile('ARG BASE\nFROM $BASE\n', FILE)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ file: FILE, line: 2 })
    expect(problems[0].message).toMatch(/ARG BASE has no default/)
  })
})

describe('SPEC §3.2 labels', () => {
  it('reads labels of the final stage with ENV and ARG substituted', () => {
    const info = analyse('FROM fedora AS build\nLABEL name=wrong\nFROM fedora\nARG VER=2.3\nENV NAME=acme/app\n' + 'LABEL name="$NAME" \\\n  version=${VER} com.redhat.component=app release=4\n')
    expect(imageLabels(info, FILE)).toEqual({
      problems: [],
      labels: { name: 'acme/app', nameLine: 6, version: '2.3', component: 'app', componentLabel: 'com.redhat.component', release: '4', releaseLine: 6 }
    })
  })

  it('inherits labels and ENV through a stage alias', () => {
    const info = analyse('FROM fedora AS base\nENV V=7\nLABEL name=acme/base version=$V\nFROM base\nLABEL version=8\n')
    expect(imageLabels(info, FILE).labels).toMatchObject({ name: 'acme/base', version: '8' })
  })

  it.each([
    ['old names', 'FROM f\nLABEL Name=acme/x Version=1 BZComponent=x-bz Release=3\n', { name: 'acme/x', version: '1', component: 'x-bz', release: '3' }],
    ['new names are preferred', 'FROM f\nLABEL Name=old name=new version=1 Version=0 BZComponent=old com.redhat.component=new\n', { name: 'new', version: '1', component: 'new' }],
    ['legacy LABEL key value form', 'FROM f\nLABEL name acme/space\nLABEL version 1\n', { name: 'acme/space', version: '1' }]
  ])('%s', (_, text, expected) => {
    expect(imageLabels(analyse(text), FILE).labels).toMatchObject(expected)
  })

  it.each([
    ['name', 'FROM f\nLABEL version=1\n'],
    ['version', 'FROM f\nLABEL name=a/b\n']
  ])('a missing %s label is an error naming the label', (label, text) => {
    const { problems } = imageLabels(analyse(text), FILE)
    expect(problems).toHaveLength(1)
    expect(problems[0].message).toContain(`required label '${label}'`)
    expect(problems[0]).toMatchObject({ file: FILE })
  })
})

it('labels of a stage the final stage does not derive from do not count', () => {
  const { problems } = imageLabels(analyse('FROM f AS a\nLABEL name=a/b version=1\nFROM f\n'), FILE)
  expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("required label 'name'"), expect.stringContaining("required label 'version'")])
  expect(problems[0]).toMatchObject({ file: FILE, line: 3 })
})

it('a name label that is not an image repository name is an error at its line', () => {
  const { problems } = imageLabels(analyse('FROM f\nLABEL version=1\nLABEL Name="Acme/My App"\n'), FILE)
  expect(problems).toEqual([{ file: FILE, line: 3, message: expect.stringMatching(/label Name="Acme\/My App" is not an image repository name/) }])
})

describe('variable substitution', () => {
  const vars: Record<string, string> = { A: 'a', E: '' }
  const lookup = (n: string) => vars[n]
  it.each([
    ['$A', 'a'],
    ['${A}', 'a'],
    ['x${A}y', 'xay'],
    ['${B:-d}', 'd'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${A:+set}', 'set'],
    ['${B:+set}', ''],
    ['${B}', ''],
    ['\\$A', '$A'],
    ['$', '$']
  ])('%s → %s', (value, expected) => {
    expect(expandVariables(value, lookup)).toBe(expected)
  })
})
