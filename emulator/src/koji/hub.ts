/**
 * The local OpenShift's Koji hub: XML-RPC over HTTP on 127.0.0.1 (`POST /kojihub`), answering the calls
 * atomic-reactor 1.6.26.3's plugins make (bump_release: `getNextRelease`, `getBuild`; koji_parent: `getBuild`;
 * koji: `getBuildTarget`, `getTag`, `getRepo`) with Koji's answers over its own build table, and `CGImport`
 * (koji_promote / koji_import) adding to it.
 *
 * Nothing in the project's plugin list imports into Koji (koji_promote needs Kerberos or SSL credentials), so the
 * local OpenShift records each completed build whose release came from this hub, as koji_promote would have
 * imported it (`recordBuild`): autorebuilds then get the next release, as in production.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeCall, encodeFault, encodeResponse, type XmlRpcValue } from './xmlrpc.js'

/** koji.BUILD_STATES */
export const BUILD_STATES = { BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 } as const

export interface KojiBuild {
  id: number
  name: string
  version: string
  release: string
  state: number
}

/** koji's exception classes by fault code (koji.convertFault maps them back). */
export const FAULT_TYPES: Record<number, string> = { 1000: 'GenericError', 1002: 'AuthError', 1005: 'BuildError', 1019: 'ParameterError' }

/** A koji.GenericError subclass as a fault: code and message. */
export class KojiError extends Error {
  constructor(
    readonly faultCode: number,
    readonly kojiType: string,
    message: string
  ) {
    super(message)
  }
}

const genericError = (message: string) => new KojiError(1000, 'GenericError', message)

/** Next release after `release` (Koji's get_next_release: digits, or a trailing `.N`, are incremented). */
export function incrementRelease(release: string | undefined): string {
  if (!release) return '1'
  if (/^\d+$/.test(release)) return String(Number(release) + 1)
  const m = /^(.*\.)(\d+)$/.exec(release)
  if (m) return `${m[1]}${Number(m[2]) + 1}`
  throw new KojiError(1005, 'BuildError', `Unable to increment release value: ${release}`)
}

export class KojiHub {
  private readonly builds: KojiBuild[] = []
  private server: Server | undefined
  url = ''

  async start(host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        let body: string
        if (req.method !== 'POST') {
          res.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'POST' })
          res.end('XML-RPC: POST only\n')
          return
        }
        try {
          const { method, params } = decodeCall(Buffer.concat(chunks).toString('utf8'))
          body = encodeResponse(this.call(method, params))
        } catch (e) {
          const err = e instanceof KojiError ? e : new KojiError(1000, 'GenericError', (e as Error).message)
          // as kojixmlrpc: the fault code names the koji exception class, the string is its message
          body = encodeFault(err.faultCode, err.message)
        }
        res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) })
        res.end(body)
      })
    })
    server.keepAliveTimeout = 2000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, host, () => resolve())
    })
    this.server = server
    this.url = `http://${host}:${(server.address() as AddressInfo).port}/kojihub`
    return this.url
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  /** Add a build (CGImport, or the local OpenShift recording a completed build). */
  recordBuild(b: { name: string; version: string; release: string; state?: number }): KojiBuild {
    const existing = this.find(b)
    if (existing) throw new KojiError(1000, 'GenericError', `Build already exists (id=${existing.id}, state=COMPLETE): ${b.name}-${b.version}-${b.release}`)
    const build: KojiBuild = { id: this.builds.length + 1, name: b.name, version: b.version, release: b.release, state: b.state ?? BUILD_STATES.COMPLETE }
    this.builds.push(build)
    return build
  }

  list(): readonly KojiBuild[] {
    return this.builds
  }

  private find(b: { name: string; version: string; release: string }): KojiBuild | undefined {
    return this.builds.find((x) => x.name === b.name && x.version === b.version && x.release === b.release)
  }

  private info(b: KojiBuild): Record<string, XmlRpcValue> {
    const nvr = `${b.name}-${b.version}-${b.release}`
    return {
      id: b.id,
      build_id: b.id,
      package_id: 1,
      package_name: b.name,
      name: b.name,
      version: b.version,
      release: b.release,
      epoch: null,
      nvr,
      state: b.state,
      task_id: null,
      owner_name: 'osbs',
      volume_name: 'DEFAULT',
      extra: null
    }
  }

  /** One XML-RPC call. */
  call(method: string, params: XmlRpcValue[]): XmlRpcValue {
    switch (method) {
      case 'hello':
        return 'Hello World!'
      case 'getAPIVersion':
        return 1
      case 'getNextRelease': {
        const info = params[0] as Record<string, XmlRpcValue> | null
        if (!info || typeof info !== 'object' || typeof info.name !== 'string' || typeof info.version !== 'string') {
          throw genericError('getNextRelease: build_info needs name and version')
        }
        const states: number[] = [BUILD_STATES.COMPLETE, BUILD_STATES.DELETED, BUILD_STATES.BUILDING]
        const last = [...this.builds].reverse().find((b) => b.name === info.name && b.version === info.version && states.includes(b.state))
        return last ? incrementRelease(last.release) : '1'
      }
      case 'getBuild': {
        const ref = params[0]
        const strict = params[1] === true
        let found: KojiBuild | undefined
        if (typeof ref === 'number') found = this.builds.find((b) => b.id === ref)
        else if (typeof ref === 'string') found = this.builds.find((b) => `${b.name}-${b.version}-${b.release}` === ref)
        else if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
          const r = ref as Record<string, XmlRpcValue>
          found = this.find({ name: String(r.name), version: String(r.version), release: String(r.release) })
        }
        if (!found && strict) throw genericError(`No such build: ${JSON.stringify(ref)}`)
        return found ? this.info(found) : null
      }
      case 'getBuildTarget':
      case 'getTag':
      case 'getRepo':
        // this hub has no targets, tags or repos
        if (params[1] === true) throw genericError(`No such ${method.slice(3).toLowerCase()}: ${String(params[0])}`)
        return null
      case 'CGImport': {
        const metadata = params[0] as Record<string, any> | null
        const build = metadata?.build
        if (!build || typeof build.name !== 'string' || typeof build.version !== 'string' || typeof build.release !== 'string') {
          throw genericError('CGImport: metadata.build needs name, version and release')
        }
        return this.info(this.recordBuild(build))
      }
      default:
        throw new KojiError(1000, 'GenericError', `Invalid method: ${method}`)
    }
  }
}
