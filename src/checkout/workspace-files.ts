/**
 * Files of the checkout (GITHUB_WORKSPACE), read only when they really are inside it: the path is resolved to its
 * real path (every symbolic link followed) before any byte is read, and a file whose real path is outside the
 * checkout is refused with a message naming the input and the link. A link inside the checkout to a file inside
 * it is followed. Text is decoded as UTF-8 strictly: a byte that is not UTF-8 is an error at its line.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'

/** Larger files are refused: nothing the action reads from a checkout comes near it (README, "Files and links"). */
export const MAX_CHECKOUT_FILE_BYTES = 8 * 1024 * 1024 // the messages and the README say "8 MiB"

/** A size for people: `11.0 MiB (11534336 bytes)`. */
export function shownSize(bytes: number): string {
  const mib = bytes / (1024 * 1024)
  return `${Number.isInteger(mib) ? String(mib) : mib.toFixed(1)} MiB (${bytes} bytes)`
}

export type CheckoutRead =
  | { kind: 'file'; bytes: Buffer }
  | { kind: 'missing' }
  /** The file exists but is not read; `message` names the input and the path, never content. */
  | { kind: 'refused'; message: string }

/** The file system calls needed (tests may pass their own). */
export interface FileSystem {
  realpath(file: string): string
  lstat(file: string): { isSymbolicLink(): boolean }
  stat(file: string): { isFile(): boolean; isDirectory(): boolean; size: number }
  readFile(file: string): Buffer
}

export const nodeFileSystem: FileSystem = {
  realpath: (file) => realpathSync(file),
  lstat: (file) => lstatSync(file),
  stat: (file) => statSync(file),
  readFile: (file) => readFileSync(file)
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** Whether a path (absolute, or relative to the workspace) names a place inside the workspace, before links. */
export function isInWorkspace(workspace: string, file: string): boolean {
  return isInside(path.resolve(workspace), path.resolve(workspace, file))
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code
}

/**
 * Reads `file` (relative to the workspace, or absolute inside it). `input` names the input that gave the path,
 * for messages. Missing: the path (after links) names nothing. Refused: outside the checkout after links, a
 * dangling link, a directory, not a regular file, or too large.
 */
export function readCheckoutFile(workspace: string, file: string, input: string, fs: FileSystem = nodeFileSystem): CheckoutRead {
  const shown = `Input ${input}: '${file}'`
  const accepted = 'Accepted: a file inside the checkout (GITHUB_WORKSPACE), or a symbolic link to one'
  let root: string
  try {
    root = fs.realpath(workspace)
  } catch {
    root = path.resolve(workspace)
  }
  const full = path.resolve(workspace, file)
  let real: string
  try {
    real = fs.realpath(full)
  } catch (error) {
    if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw error
    // Nothing there. A dangling link, or a directory link that leads outside, is still refused.
    try {
      if (fs.lstat(full).isSymbolicLink()) return { kind: 'refused', message: `${shown} is a symbolic link to a file that does not exist. ${accepted}` }
    } catch {
      /* no such entry */
    }
    for (let dir = path.dirname(full); ; dir = path.dirname(dir)) {
      let realDir: string | undefined
      try {
        realDir = fs.realpath(dir)
      } catch {
        realDir = undefined
      }
      if (realDir !== undefined) {
        if (!isInside(root, realDir)) return { kind: 'refused', message: `${shown} is under a symbolic link that leads outside the checkout (to ${realDir}). ${accepted}` }
        return { kind: 'missing' }
      }
      if (path.dirname(dir) === dir) return { kind: 'missing' }
    }
  }
  if (!isInside(root, real)) {
    return { kind: 'refused', message: `${shown} leads outside the checkout through a symbolic link (to ${real}); the action reads no file outside it. ${accepted}` }
  }
  const stat = fs.stat(real)
  if (stat.isDirectory()) return { kind: 'refused', message: `${shown} is a directory in the checkout. Accepted: the path of a file` }
  if (!stat.isFile()) return { kind: 'refused', message: `${shown} is not a regular file (a device, socket or pipe). Accepted: the path of a file` }
  if (stat.size > MAX_CHECKOUT_FILE_BYTES) {
    return {
      kind: 'refused',
      message: `${shown} is ${shownSize(stat.size)}, over the limit of ${shownSize(MAX_CHECKOUT_FILE_BYTES)} for a file the action reads from the checkout. Accepted: a file of at most 8 MiB`
    }
  }
  return { kind: 'file', bytes: fs.readFile(real) }
}

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]
    let n: number
    let min: number
    if (b < 0x80) {
      i++
      continue
    } else if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80]
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800]
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000]
    else return i
    let cp = b & (0x3f >> n)
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += n + 1
  }
  return -1
}

/**
 * UTF-8 text of a file, or the 1-based line and column of the first bad byte. A leading byte order mark is dropped,
 * unless `keepByteOrderMark` (for a file whose reader does not drop it: Python's `open()` keeps it as U+FEFF).
 */
export function decodeUtf8(bytes: Uint8Array, options: { keepByteOrderMark?: boolean } = {}): { text: string } | { line: number; column: number } {
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) {
    let line = 1
    let start = 0
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) [line, start] = [line + 1, i + 1]
    return { line, column: bad - start + 1 }
  }
  return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: options.keepByteOrderMark === true }).decode(bytes) }
}

/** How parseSettings reads files: `readCheckout` for files of the checkout, `readFile` for any other. */
export interface FileReader {
  /** Text of a file outside the checkout, or null when there is none. */
  readFile(file: string): string | null
  /** A file of the checkout with the rules above (default: through readFile, for environments without links). */
  readCheckout?(workspace: string, file: string, input: string): CheckoutRead
}

/**
 * A file named by an input (kubeconfig, certificate-authority). Inside the checkout (a relative path, or an
 * absolute one inside it) it is read with the checkout's rules and as strict UTF-8; elsewhere (a file an earlier
 * step wrote, e.g. in RUNNER_TEMP) as given by the workflow.
 */
export function readInputFile(reader: FileReader, workspace: string, value: string, input: string): { text: string } | { missing: true } | { problem: string } {
  const full = path.resolve(workspace, value)
  if (!isInWorkspace(workspace, value)) {
    const text = reader.readFile(full)
    return text === null ? { missing: true } : { text }
  }
  const read = reader.readCheckout
    ? reader.readCheckout(workspace, value, input)
    : ((text): CheckoutRead => (text === null ? { kind: 'missing' } : { kind: 'file', bytes: Buffer.from(text) }))(reader.readFile(full))
  if (read.kind === 'missing') return { missing: true }
  if (read.kind === 'refused') return { problem: read.message }
  const decoded = decodeUtf8(read.bytes)
  if ('line' in decoded) return { problem: `Input ${input}: '${value}' is not UTF-8 text (line ${decoded.line}, column ${decoded.column}). Accepted: a UTF-8 text file` }
  return { text: decoded.text }
}
