// Preloaded into the bundle's process (NODE_OPTIONS=--import) by e2e-unexpected-error.test.ts: the disk fails the
// step's first write of its saved state (GITHUB_STATE) after the runner's files were checked writable — an error
// nothing in the action expects, as a disk that fills up or an I/O error between the check and the write would be.
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'

const appendFileSync = fs.appendFileSync
fs.appendFileSync = function (file, data, ...rest) {
  if (String(file) === process.env.GITHUB_STATE && String(data).startsWith('isPost')) {
    throw Object.assign(new Error(`EIO: i/o error, write '${file}'`), { code: 'EIO', errno: -5, syscall: 'write' })
  }
  return appendFileSync.call(this, file, data, ...rest)
}
syncBuiltinESMExports()
