/**
 * Real builds in end-to-end tests: a local OpenShift whose builds run buildah and push to a real registry
 * (emulator/src/images/real/), and `skopeo` to read back what the registry serves.
 *
 * Where buildah, docker-registry, busybox-static or skopeo is missing, the tests say so by name and are skipped,
 * except in CI (`CI=true`, as `.ci/run` runs), where a missing package fails the run.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, jest, test } from '@jest/globals'
import { Agent, fetch } from 'undici'
import { decideBuilds, which } from '../../emulator/src/images/real/tools.js'

const exec = promisify(execFile)

/** Packages the real-build tests need that are not installed. */
export function missingForRealBuilds(): string[] {
  const missing: string[] = []
  const decision = decideBuilds('auto')
  if (decision.mode !== 'real') missing.push(...(/: (.*) not installed/.exec(decision.notice ?? '')?.[1] ?? '').split(', ').filter(Boolean))
  if (!which('skopeo')) missing.push('skopeo')
  return missing
}

/** `describe` when real builds can run here; else a skipped block naming the packages (a failure in CI). */
export function describeRealBuilds(title: string, body: () => void): void {
  const missing = missingForRealBuilds()
  if (!missing.length) {
    describe(title, () => {
      // a real build takes seconds alone and half a minute among ten on a busy 2-core machine; tests wait on events
      jest.setTimeout(180_000)
      body()
    })
    return
  }
  const what = `needs the packages ${missing.join(', ')} (apt-get install ${missing.join(' ')})`
  if (process.env.CI === 'true') {
    describe(title, () => {
      test(`real builds can run (${what})`, () => {
        throw new Error(`${title} ${what}; in CI real builds must run (.ci/run installs them)`)
      })
    })
    return
  }

  console.warn(`skipped: ${title} (${what})`)
  describe.skip(`${title} [skipped: ${what}]`, body)
}

/** What `skopeo inspect` answers (the fields the tests read). */
export interface SkopeoInspect {
  Name: string
  Digest: string
  Labels: Record<string, string> | null
  Layers: string[]
}

/** `skopeo inspect --tls-verify=false docker://<pullSpec>` (over TLS, the certificate not checked). */
export async function skopeoInspect(pullSpec: string): Promise<SkopeoInspect> {
  const { stdout } = await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${pullSpec}`])
  return JSON.parse(stdout) as SkopeoInspect
}

/** The manifest as the registry serves it (`skopeo inspect --raw`): its config digest is the image id. */
export async function skopeoManifest(pullSpec: string): Promise<{ config: { digest: string }; layers: { digest: string }[] }> {
  const { stdout } = await exec('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${pullSpec}`])
  return JSON.parse(stdout)
}

/** The HTTP status the registry answers for a manifest (200, or 404 once deleted), over TLS trusting `ca` (PEM). */
export async function manifestStatus(host: string, repository: string, reference: string, ca: string): Promise<number> {
  const dispatcher = new Agent({ connect: { ca } })
  try {
    const res = await fetch(`https://${host}/v2/${repository}/manifests/${reference}`, {
      dispatcher,
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' }
    })
    return res.status
  } finally {
    await dispatcher.close()
  }
}
