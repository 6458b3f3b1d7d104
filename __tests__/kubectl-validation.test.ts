/**
 * `kubectl create -f` of the BuildConfig the action renders (its dry run's `build-config-json`) against the local
 * OpenShift, which serves OpenShift 3.11's own `/openapi/v2`: kubectl's client-side validation refuses it as it
 * does against a real 3.11 master (3.11 marks `spec.nodeSelector`, `spec.triggers`, `spec.strategy` and `status`
 * required; the action leaves `nodeSelector` and `status` to the server), and `--validate=false` creates it. The
 * action itself does not go through kubectl, so its writes are not concerned (README, "Dry run").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { startCluster, type Cluster } from '../emulator/src/index.js'
import { makePlan } from '../__fixtures__/dry-run/settings.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

let cluster: Cluster
const home = makeTempDir('osbs-kubectl-')

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', cluster.kubeconfigPath!, ...args], { env: { ...process.env, HOME: home, KUBECONFIG: '' }, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

beforeAll(async () => {
  cluster = await startCluster({ port: 0, namespace: 'builds' })
})
afterAll(async () => {
  await cluster.close()
})

describe("kubectl's client-side validation of the action's BuildConfig, as against OpenShift 3.11", () => {
  it('create -f is refused for the fields 3.11 marks required; --validate=false creates it', async () => {
    const bc = makePlan().buildConfig
    const file = path.join(home, 'build-config.json')
    writeFileSync(file, JSON.stringify(bc))

    const refused = await kubectl('create', '-f', file)
    expect([refused.code, refused.stderr.trim()]).toEqual([
      1,
      `error: error validating "${file}": error validating data: [ValidationError(BuildConfig.spec): missing required field "nodeSelector" in com.github.openshift.api.build.v1.BuildConfigSpec, ValidationError(BuildConfig): missing required field "status" in com.github.openshift.api.build.v1.BuildConfig]; if you choose to ignore these errors, turn validation off with --validate=false`
    ])

    const created = await kubectl('create', '-f', file, '--validate=false')
    expect([created.code, created.stdout.trim(), created.stderr]).toEqual([0, `buildconfig.build.openshift.io/${bc.metadata.name} created`, ''])
  })
})
