/**
 * `npx tsx scripts/plain-registry-front.ts <listen host:port> <registry host:port>`
 *
 * A TCP front for a registry that serves plain HTTP: connections pass through unchanged, except one that opens
 * with a TLS handshake, which is closed at once. atomic-reactor 1.6.26.3 asks an insecure registry over https
 * first and falls back to http on a failure; a plain HTTP registry (Debian's docker-registry) holds the TLS hello
 * until its 30 s read timeout, so each of tag_and_push's manifest reads would wait 30 s. Used by the scenarios
 * against a real master (README, "Against a real OpenShift 3.11 master"). Runs until SIGTERM or SIGINT.
 */
import { connect, createServer } from 'node:net'

const [listen, upstream] = process.argv.slice(2)
const split = (hp: string | undefined) => {
  const m = hp ? /^(.+):(\d+)$/.exec(hp) : null
  if (!m) {
    process.stderr.write('usage: npx tsx scripts/plain-registry-front.ts <listen host:port> <registry host:port>\n')
    process.exit(2)
  }
  return { host: m[1]!, port: Number(m[2]) }
}
const from = split(listen)
const to = split(upstream)
const server = createServer((client) => {
  client.once('data', (first) => {
    // 0x16: a TLS record of type handshake; an HTTP request starts with a method's letters
    if (first[0] === 0x16) return void client.destroy()
    const up = connect(to.port, to.host, () => {
      up.write(first)
      client.pipe(up).pipe(client)
    })
    up.on('error', () => client.destroy())
    client.on('error', () => up.destroy())
  })
})
server.listen(from.port, from.host, () => process.stdout.write(`${listen} -> ${upstream} (TLS hellos refused)\n`))
// open connections end with the process
const stop = () => process.exit(0)
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
