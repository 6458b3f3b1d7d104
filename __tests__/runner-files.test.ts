/** GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY are checked writable before anything else (issue 18). */
import { describe, expect, it } from '@jest/globals'
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runnerFileProblems, type RunnerFileSystem } from '../src/action/runner-files.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const canWrite = (file: string): boolean => {
  try {
    accessSync(file, constants.W_OK)
    return true
  } catch {
    return false
  }
}

describe('runner files', () => {
  it('a writable file passes, and gets no byte', () => {
    const dir = makeTempDir('osbs-runner-files-')
    const output = path.join(dir, 'output')
    writeFileSync(output, 'before=1\n')
    writeFileSync(path.join(dir, 'state'), '')
    expect(runnerFileProblems({ GITHUB_OUTPUT: output, GITHUB_STATE: path.join(dir, 'state'), GITHUB_STEP_SUMMARY: '' })).toEqual([])
    expect(readFileSync(output, 'utf8')).toBe('before=1\n')
  })

  it('an unset variable is left to the toolkit', () => {
    expect(runnerFileProblems({})).toEqual([])
  })

  it.each([
    ['GITHUB_OUTPUT', 'a missing folder', (dir: string) => path.join(dir, 'gone', 'output'), /its folder does not exist \(ENOENT\)/],
    ['GITHUB_OUTPUT', 'a file that does not exist (the runner makes it)', (dir: string) => path.join(dir, 'output'), /it does not exist \(ENOENT\)/],
    ['GITHUB_STATE', 'a directory', (dir: string) => (mkdirSync(path.join(dir, 'state')), path.join(dir, 'state')), /it is a directory \(EISDIR\)/],
    ['GITHUB_STEP_SUMMARY', 'a path through a file', (dir: string) => (writeFileSync(path.join(dir, 'f'), ''), path.join(dir, 'f', 'summary')), /not a folder \(ENOTDIR\)/]
  ])('%s in %s: an error naming the variable and the path', (name, _, make, reason) => {
    const file = make(makeTempDir('osbs-runner-files-'))
    const problems = runnerFileProblems({ [name]: file })
    expect(problems).toHaveLength(1)
    expect(problems[0].message).toMatch(new RegExp(`^${name} is '${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}', which cannot be written to: `))
    expect(problems[0].message).toMatch(reason)
    expect(problems[0].message).toContain(`that no step or env: of the workflow sets ${name}`)
  })

  const devFull = canWrite('/dev/full')
  ;(devFull ? it : it.skip)(`a device that refuses every write (/dev/full)${devFull ? '' : ' [skipped: /dev/full is not writable here]'}`, () => {
    expect(runnerFileProblems({ GITHUB_OUTPUT: '/dev/full' })[0].message).toMatch(/^GITHUB_OUTPUT is '\/dev\/full', which cannot be written to: no space left on the device \(ENOSPC\)/)
  })

  it('a full file system (no free blocks), a read-only one, and no permission', () => {
    const fs = (fail?: string, free = 10): RunnerFileSystem => ({
      appendNothing: () => {
        if (fail) throw Object.assign(new Error(fail), { code: fail })
      },
      folderExists: () => true,
      freeBlocks: () => free
    })
    expect(runnerFileProblems({ GITHUB_STEP_SUMMARY: '/s' }, fs(undefined, 0))[0].message).toMatch(/its file system is full \(no free blocks\)/)
    expect(runnerFileProblems({ GITHUB_STEP_SUMMARY: '/s' }, fs('EROFS'))[0].message).toMatch(/read-only \(EROFS\)/)
    expect(runnerFileProblems({ GITHUB_OUTPUT: '/o', GITHUB_STATE: '/s' }, fs('EACCES')).map((p) => p.message.split(' ')[0])).toEqual(['GITHUB_OUTPUT', 'GITHUB_STATE'])
  })
})
