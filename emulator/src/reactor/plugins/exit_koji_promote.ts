/**
 * koji_promote (exit): a successful build imported into Koji through the content generator API — the metadata
 * (util/koji-metadata.ts), a login (koji_ssl_certs), each output uploaded to a fresh `koji-promote/TIME.XXXXXXXX`
 * folder of the hub (logged as KojiUploadLogger logs it), then `CGImport(metadata, folder)`. The result is the new
 * build's id; without a koji_tag_build after it in the exit plugins, the build is tagged here when `target` is
 * given.
 */
import { definePlugin } from '../plugin.js'
import { KojiSession } from '../util/koji-session.js'
import { kojiMetadata } from '../util/koji-metadata.js'
import { tagKojiBuild } from '../util/koji-tag.js'
import { PyException } from '../util/py.js'
import type { Logger } from '../util/log.js'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** json.dumps(value, sort_keys=True, indent=4) */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])])
          )
        : v
  return JSON.stringify(sort(value), null, 4)
}

/** KojiUploadLogger.callback: the size first, then every 10% (and the end) with the chunk's speed. */
function uploadLogger(log: Logger): (offset: number, total: number, size: number, seconds: number) => void {
  let last = 0
  return (offset, total, size, seconds) => {
    if (offset === 0) log.debug(`upload size: ${(total / 1024 / 1024).toFixed(1)}MiB`)
    if (!total || !seconds) return
    const percent = (100 * offset) / total
    if (percent >= 99 || percent - last >= 10) {
      last = percent
      log.debug(`upload: ${Math.floor(percent)}% done (${(size / seconds / 1024 / 1024).toFixed(1)} MiB/sec)`)
    }
  }
}

export default definePlugin({
  key: 'koji_promote',
  // kojihub and url are required
  defaults: {
    verify_ssl: true,
    use_auth: true,
    koji_ssl_certs: null,
    koji_proxy_user: null,
    koji_principal: null,
    koji_keytab: null,
    metadata_only: false,
    blocksize: null,
    target: null,
    poll_interval: 5
  },
  async run(wf, args, log) {
    if (Boolean(args.koji_principal) !== Boolean(args.koji_keytab)) throw new PyException('RuntimeError', 'specify both koji_principal and koji_keytab or neither')
    if (wf.buildProcessFailed) {
      log.info('Not promoting failed build to koji')
      return null
    }
    const metadataOnly = args.metadata_only === true
    const { metadata, files } = kojiMetadata(wf, metadataOnly)
    const session = await KojiSession.create(wf, String(args.kojihub), args.koji_ssl_certs, true)
    const serverDir = `koji-promote/${Date.now() / 1000}.${Array.from({ length: 8 }, () => LETTERS[Math.floor(Math.random() * LETTERS.length)]).join('')}`
    for (const file of metadataOnly ? files.filter((f) => f.metadata.type === 'log') : files) {
      const name = String(file.metadata.filename)
      log.debug(`uploading '${file.localPath}' to '${serverDir}' as '${name}'`)
      if (args.blocksize !== null) log.debug(`using blocksize ${Number(args.blocksize)}`)
      const started = { at: performance.now() }
      const progress = uploadLogger(log)
      await session.upload(serverDir, name, file.content, args.blocksize === null ? 1048576 : Number(args.blocksize), (offset, total, size) => {
        const now = performance.now()
        progress(offset, total, size, offset === 0 && size === 0 ? 0 : Math.max((now - started.at) / 1000, 0.00001))
        started.at = now
      })
      log.debug(`uploaded '${serverDir}/${name}'`)
    }
    let info: Record<string, unknown> | null
    try {
      info = (await session.call('CGImport', [metadata as never, serverDir])) as Record<string, unknown> | null
    } catch (e) {
      log.debug(`metadata: ${JSON.stringify(metadata)}`)
      throw e
    }
    const buildId = info ? (info.id as number | undefined) : undefined
    log.debug(`Build information: ${sortedJson(info)}`)
    const names = wf.pluginNames('exit_plugins')
    const tagLater = names.includes('koji_promote') && names.indexOf('koji_tag_build') > names.indexOf('koji_promote')
    if (!tagLater && buildId !== undefined && args.target !== null) await tagKojiBuild(wf, session, buildId, String(args.target), Number(args.poll_interval))
    return buildId ?? null
  }
})
