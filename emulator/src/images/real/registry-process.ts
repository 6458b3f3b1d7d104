/**
 * One real docker registry: Debian's `docker-registry` (distribution 2.x) serving API v2 over TLS on 127.0.0.1 and a
 * free port, with the cluster's certificate, filesystem storage in a directory of the cluster and manifest deletes
 * enabled. The port is the one the registry reports (`listening on 127.0.0.1:PORT, tls`), so there is no race for it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { which } from './tools.js'

/** The certificate (PEM) a registry serves and its private key (PEM). */
export interface RegistryTLS {
  cert: string
  key: string
}

/** The registry's configuration (distribution's config.yml): storage under `storage`, TLS with the files given. */
export function registryConfig(storage: string, tls: { certificate: string; key: string }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storage)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    '  addr: 127.0.0.1:0',
    // one secret per registry; only needed when several instances share one storage
    `  secret: ${JSON.stringify(Math.random().toString(36).slice(2))}`,
    '  tls:',
    `    certificate: ${JSON.stringify(tls.certificate)}`,
    `    key: ${JSON.stringify(tls.key)}`,
    ''
  ].join('\n')
}

export class RegistryProcess {
  private constructor(
    /** The name the cluster hosts it under (e.g. `registry`). */
    readonly name: string,
    /** `127.0.0.1:PORT` */
    readonly host: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>
  ) {}

  /** Start a registry with its config, certificate, key and storage in `dir`; resolves once it listens over TLS. */
  static async start(name: string, binary: string, dir: string, tls: RegistryTLS, timeoutMs = 15_000): Promise<RegistryProcess> {
    mkdirSync(join(dir, 'storage'), { recursive: true })
    const files = { certificate: join(dir, 'tls.crt'), key: join(dir, 'tls.key') }
    writeFileSync(files.certificate, tls.cert)
    writeFileSync(files.key, tls.key, { mode: 0o600 })
    const config = join(dir, 'config.yml')
    writeFileSync(config, registryConfig(join(dir, 'storage'), files))
    // With util-linux's setpriv the registry gets SIGTERM when this process dies, even by SIGKILL: no orphans.
    const setpriv = which('setpriv')
    const argv = setpriv ? [setpriv, '--pdeathsig', 'TERM', '--', binary, 'serve', config] : [binary, 'serve', config]
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const lines: string[] = []
    const host = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no "listening on" line within ${timeoutMs} ms`), timeoutMs)
      const fail = (why: string) => {
        clearTimeout(timer)
        child.kill('SIGKILL')
        reject(new Error(`registry "${name}" (${binary} serve ${config}) did not start: ${why}${lines.length ? `\n${lines.slice(-5).join('\n')}` : ''}`))
      }
      const early = (code: number | null) => fail(`exited with code ${code}`)
      child.once('error', (err) => fail(err.message))
      child.once('exit', early)
      createInterface({ input: child.stderr! }).on('line', (line) => {
        if (lines.length < 50) lines.push(line)
        // `listening on 127.0.0.1:PORT, tls` (without `, tls` it would serve plain HTTP)
        const m = /msg="listening on ([^",]+)(, tls)?"/.exec(line)
        if (m && !m[2]) fail(`it listens on ${m[1]} without TLS`)
        else if (m) {
          clearTimeout(timer)
          child.off('exit', early)
          resolve(m[1]!)
        }
      })
    })
    // keep draining stderr so that the registry never blocks on a full pipe
    child.stderr!.resume()
    return new RegistryProcess(name, host, child, exited)
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
  }
}
