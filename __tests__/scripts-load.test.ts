/**
 * The demo and the benchmarks (`scripts/`) share the runner harness with the tests but run in a plain Node process,
 * without jest: every module they import must load there (a jest-only import in the harness once broke
 * `npm run demo` while every test passed).
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SCRIPTS = [
  'scripts/demo.ts',
  'scripts/bench-action.ts',
  'scripts/check-workflows.ts',
  'scripts/record-server-conformance.ts',
  'scripts/record-node-flow.ts',
  'scripts/push-base-image.ts',
  'emulator/src/cluster/node-cli.ts',
  'emulator/bench/cluster-bench.ts'
]

/** The project modules a script imports directly (relative specifiers). */
function localImports(script: string): string[] {
  const text = readFileSync(path.join(root, script), 'utf8')
  return [...text.matchAll(/^import [^'"]*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => path.relative(root, path.resolve(root, path.dirname(script), m[1]!.replace(/\.js$/, '.ts'))))
}

describe('scripts run outside jest', () => {
  const modules = [...new Set(SCRIPTS.flatMap(localImports))]

  it('the scripts import project modules (the check below has something to check)', () => {
    expect(modules).toEqual(expect.arrayContaining(['__fixtures__/e2e/action.ts', 'emulator/src/index.ts']))
  })

  it.each(modules)('%s loads in a plain node process', (module) => {
    const tsx = execFileSync(process.execPath, ['-e', "process.stdout.write(require.resolve('tsx'))"], { cwd: root, encoding: 'utf8' })
    const run = spawnSync(process.execPath, ['--import', tsx, '-e', `await import(${JSON.stringify(path.join(root, module))})`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' }
    })
    expect({ module, code: run.status, stderr: run.stderr.trim().split('\n').slice(0, 6).join('\n') }).toEqual({ module, code: 0, stderr: '' })
  })
})
