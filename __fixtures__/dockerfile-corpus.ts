/**
 * One corpus of Dockerfiles with the answer of each reader:
 * * `docker`: Docker's rules (the builder's shell lexer, moby/buildkit `shell/lex.go`): what the action's reader
 *   (src/checkout/dockerfile.ts) must give: the base image of the final stage (aliases followed) and its labels;
 * * `dockerfileParse`: what dockerfile-parse 2.0.1 (`DockerfileParser(env_replace=True)`: `parent_images`, `labels`)
 *   gives, which atomic-reactor reads and the emulator's reader (emulator/src/reactor/dockerfile-parse.ts) must
 *   give; recorded from the real dockerfile-parse (../shared/peers/dockerfile-parse), which a test runs again.
 * Where the two differ, it is a real difference of the two programs (variable forms with defaults, the escape
 * directive, labels inherited through stage aliases, a stage ARG's default).
 */
export interface CorpusEntry {
  name: string
  text: string
  docker: { baseImage: string | null; labels: Record<string, string> }
  dockerfileParse: { parents: string[]; labels: Record<string, string> }
}

export const CORPUS: CorpusEntry[] = [
  {
    name: 'default with -',
    text: 'ARG T\nFROM fedora:${T-26}\nLABEL name=a version=1\n',
    docker: { baseImage: 'fedora:26', labels: { name: 'a', version: '1' } },
    dockerfileParse: { parents: ['fedora:-26}'], labels: { name: 'a', version: '1' } }
  },
  {
    name: 'default with :-',
    text: 'ARG T=27\nFROM fedora:${T:-26}\nLABEL name=a version=1\n',
    docker: { baseImage: 'fedora:27', labels: { name: 'a', version: '1' } },
    dockerfileParse: { parents: ['fedora:27:-26}'], labels: { name: 'a', version: '1' } }
  },
  {
    name: 'every variable form',
    text: 'FROM f\nENV V=1 E=\nLABEL a=${V+x} b=${V:+y} c=${U+z} d=${U:-dd} e=${U-ee} f=${E:-ff} g=${E-gg} h=$V i=${V}j\n',
    docker: { baseImage: 'f', labels: { a: 'x', b: 'y', c: '', d: 'dd', e: 'ee', f: 'ff', g: '', h: '1', i: '1j' } },
    dockerfileParse: { parents: ['f'], labels: { a: '1+x}', b: '1:+y}', c: '+z}', d: ':-dd}', e: '-ee}', f: ':-ff}', g: '-gg}', h: '1', i: '1j' } }
  },
  {
    name: 'quotes and escapes',
    text: 'FROM f\nARG X=x\nLABEL release=\'$X\' a="$X" b=$X c=\\$X d=\'a b\' e="q\\"q" f="it\'s"\n',
    docker: { baseImage: 'f', labels: { release: '$X', a: 'x', b: 'x', c: '$X', d: 'a b', e: 'q"q', f: "it's" } },
    dockerfileParse: { parents: ['f'], labels: { release: '$X', a: 'x', b: 'x', c: '$X', d: 'a b', e: 'q"q', f: "it's" } }
  },
  {
    name: 'continuation lines',
    text: 'FROM f\nENV V=1\nLABEL n="a \\\n  b" \\\n      m=${V}x\n',
    docker: { baseImage: 'f', labels: { n: 'a   b', m: '1x' } },
    dockerfileParse: { parents: ['f'], labels: { n: 'a   b', m: '1x' } }
  },
  {
    name: 'comment inside a continuation',
    text: 'FROM f\n# comment\nLABEL a=1 \\\n  # inner comment\n  b=2\n',
    docker: { baseImage: 'f', labels: { a: '1', b: '2' } },
    dockerfileParse: { parents: ['f'], labels: { a: '1', b: '2' } }
  },
  {
    name: 'escape directive',
    text: '# escape=`\nFROM f\nENV V=1\nLABEL n=`$V o="`""\n',
    docker: { baseImage: 'f', labels: { n: '$V', o: '"' } },
    dockerfileParse: { parents: ['f'], labels: { n: '`1', o: '`' } }
  },
  {
    name: 'ARG before FROM, multi-stage, --platform',
    text: 'ARG BASE=quay.io/a/b:2\nFROM golang:1 AS build\nLABEL stage=build\nFROM --platform=linux/amd64 ${BASE}\nLABEL name=x version=1\n',
    docker: { baseImage: 'quay.io/a/b:2', labels: { name: 'x', version: '1' } },
    dockerfileParse: { parents: ['golang:1', 'quay.io/a/b:2'], labels: { name: 'x', version: '1' } }
  },
  {
    name: 'aliases: labels of a parent stage',
    text: 'FROM fedora:30 AS base\nLABEL name=base version=1\nFROM base\nLABEL extra=yes\n',
    docker: { baseImage: 'fedora:30', labels: { name: 'base', version: '1', extra: 'yes' } },
    dockerfileParse: { parents: ['fedora:30', 'base'], labels: { extra: 'yes' } }
  },
  {
    name: 'digest',
    text: 'FROM fedora@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\nLABEL name=x version=1\n',
    docker: { baseImage: 'fedora@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd', labels: { name: 'x', version: '1' } },
    dockerfileParse: { parents: ['fedora@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd'], labels: { name: 'x', version: '1' } }
  },
  {
    name: 'key value form and quoted keys',
    text: "FROM f\nLABEL \"quoted key\"=v single='it''s'\nLABEL Name my image\n",
    docker: { baseImage: 'f', labels: { 'quoted key': 'v', single: 'its', Name: 'my image' } },
    dockerfileParse: { parents: ['f'], labels: { 'quoted key': 'v', single: 'its', Name: 'my image' } }
  },
  {
    name: 'ARG in a stage',
    text: 'ARG V=top\nFROM f\nARG V=stage\nARG W=w\nLABEL v=$V w=$W\n',
    docker: { baseImage: 'f', labels: { v: 'stage', w: 'w' } },
    dockerfileParse: { parents: ['f'], labels: { v: 'top', w: 'w' } }
  },
  {
    name: 'ENV referring to ENV',
    text: 'FROM f\nENV A=1\nENV B=${A}2 C="$A 3"\nLABEL b=$B c=$C\n',
    docker: { baseImage: 'f', labels: { b: '12', c: '1 3' } },
    dockerfileParse: { parents: ['f'], labels: { b: '12', c: '1 3' } }
  }
]
