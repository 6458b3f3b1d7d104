/**
 * Mount points under a folder, as this process's mount namespace sees them (/proc/self/mountinfo), and undoing
 * one: what must be checked before a folder a container engine used is removed (rm -r would descend into a mount).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (`\040`). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

/** The mount points in `mountinfo` text at or under `dir`, deepest first. */
export function mountPointsUnder(mountinfo: string, dir: string): string[] {
  const root = path.resolve(dir)
  const points: string[] = []
  for (const line of mountinfo.split('\n')) {
    const point = line.split(' ')[4]
    if (point === undefined) continue
    const p = unescape(point)
    if (p === root || p.startsWith(root + path.sep)) points.push(p)
  }
  return points.sort((a, b) => b.length - a.length)
}

/** The mount points at or under `dir` now. */
export function mountsUnder(dir: string): string[] {
  return mountPointsUnder(readFileSync('/proc/self/mountinfo', 'utf8'), dir)
}

/** Detach the mount at `point` (umount -l); whether it worked shows in mountsUnder. */
export function unmount(point: string): void {
  spawnSync('umount', ['-l', point], { stdio: 'ignore', timeout: 10_000 })
}
