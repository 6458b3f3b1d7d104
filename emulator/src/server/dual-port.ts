import type { Server } from 'node:http'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'

/**
 * One port, two protocols: a TLS ClientHello (first byte 0x16) goes to the HTTPS server, anything else to the
 * plain HTTP server. kubectl (client-go) never sends a bearer token over plain HTTP, so the kubeconfig points at
 * https on the same port while `url` stays http.
 */
export function dualServer(http: Server, https: Server | undefined): NetServer {
  const sockets = new Set<Socket>()
  const front = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.once('data', (buf) => {
      socket.pause()
      socket.unshift(buf)
      ;(https && buf[0] === 0x16 ? https : http).emit('connection', socket)
      process.nextTick(() => socket.resume())
    })
    socket.on('error', () => socket.destroy())
  })
  front.on('close', () => sockets.forEach((s) => s.destroy()))
  ;(front as NetServer & { destroyAll?: () => void }).destroyAll = () => sockets.forEach((s) => s.destroy())
  return front
}

/** Close every connection of a server made by `dualServer` or of a plain one. */
export function dropConnections(server: NetServer): void {
  if ('closeAllConnections' in server) (server as Server).closeAllConnections()
  ;(server as NetServer & { destroyAll?: () => void }).destroyAll?.()
}
