/**
 * The files the runner gives a step to write to — GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY — checked before
 * the first request, so that one the step cannot write to fails it at once, naming the variable and the path,
 * instead of after the image was built and pushed.
 *
 * The check opens each file to append without creating it (`@actions/core` refuses a file that does not exist:
 * the runner makes them) and writes zero bytes to it: that finds a missing file or folder, a directory, a file or file system without write permission, and a device that refuses every write
 * (`/dev/full`), without adding a byte to the runner's file. A full disk answers a zero-byte write with success (no
 * block is needed), so the file system's free blocks are asked too (`statfs`); a probe write of real bytes would
 * change the file the runner reads, and on a full disk could still land in the last block's free room.
 */
import { closeSync, constants, existsSync, openSync, statfsSync, writeSync } from 'node:fs'
import path from 'node:path'
import type { Problem } from '../shared/errors.js'

export const RUNNER_FILE_VARIABLES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'] as const

/** The file system calls the check needs (tests may pass their own). */
export interface RunnerFileSystem {
  /** Opens `file` to append (not creating it), writes zero bytes, closes it; throws the system error. */
  appendNothing(file: string): void
  /** Whether the folder of `file` exists. */
  folderExists(file: string): boolean
  /** Free blocks of the file system holding `file`. */
  freeBlocks(file: string): number
}

export const nodeRunnerFileSystem: RunnerFileSystem = {
  appendNothing(file) {
    const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND)
    try {
      writeSync(fd, Buffer.alloc(0))
    } finally {
      closeSync(fd)
    }
  },
  folderExists: (file) => existsSync(path.dirname(file)),
  freeBlocks: (file) => statfsSync(file).bfree
}

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'its file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up'
}

/** Why `file` cannot be appended to, or undefined when it can. */
function whyNotWritable(file: string, fs: RunnerFileSystem): string | undefined {
  try {
    fs.appendNothing(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !fs.folderExists(file)) return 'its folder does not exist (ENOENT)'
    return (code && REASONS[code] ? `${REASONS[code]} (${code})` : undefined) ?? (error instanceof Error ? error.message : String(error))
  }
  try {
    if (fs.freeBlocks(file) === 0) return 'its file system is full (no free blocks)'
  } catch {
    /* a file system that cannot say: the write will tell */
  }
  return undefined
}

/** One problem for each runner file set in `env` that cannot be written to. Unset ones are left to the toolkit. */
export function runnerFileProblems(env: NodeJS.ProcessEnv, fs: RunnerFileSystem = nodeRunnerFileSystem): Problem[] {
  const problems: Problem[] = []
  for (const name of RUNNER_FILE_VARIABLES) {
    const file = env[name]
    if (!file) continue
    const why = whyNotWritable(file, fs)
    if (why === undefined) continue
    problems.push({
      message:
        `${name} is '${file}', which cannot be written to: ${why}. The runner sets ${name} to a file each step appends ` +
        `its ${name === 'GITHUB_OUTPUT' ? 'outputs' : name === 'GITHUB_STATE' ? 'saved state' : 'job summary'} to; ` +
        `check the runner's disk and that no step or env: of the workflow sets ${name}`
    })
  }
  return problems
}
