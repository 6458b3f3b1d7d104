/**
 * NO_PROXY as curl (7.86 and later) and kubectl (Go's `golang.org/x/net/http/httpproxy`) read it. Pure: no I/O, no
 * name resolution (neither of them resolves a host name to compare it with an address).
 *
 * Entries are separated by commas (and blanks); case does not matter; an empty entry is skipped. An entry is:
 * - `*`: every host;
 * - an IP address, IPv6 with or without brackets (`10.0.0.1`, `::1`, `[::1]`): that address, however it is written
 *   in the URL (`[0:0:0:0:0:0:0:1]` is `::1`);
 * - a CIDR block (`127.0.0.0/8`, `10.0.0.0/8`, `::1/128`, `fd00::/8`): every address in it;
 * - a domain (`example.com`, `.example.com`, `*.example.com`): that host and every host under it. With a leading dot
 *   Go's reading matches only the hosts under it and curl's also the domain itself: the wider one is taken, as the
 *   action bypassed the proxy for both before.
 * - any of these but a CIDR, with `:port` (`api.example.com:6443`, `10.0.0.1:6443`, `[::1]:6443`): only at that
 *   port, as Go reads it (the URL's port, else 443 for https and 80 for http).
 * A trailing dot of a fully qualified name (`example.com.`) is not part of the comparison.
 */
import { BlockList, isIP } from 'node:net'

/** `ipv4` / `ipv6` for an IP literal, else undefined. */
function ipFamily(host: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(host)
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined
}

/** An entry split into its host part and its port (when it names one). */
function splitPort(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] }
  // One colon only: a host or IPv4 address with a port (an IPv6 literal has two or more colons).
  const withPort = /^([^:]+):(\d+)$/.exec(entry)
  if (withPort) return { host: withPort[1]!, port: withPort[2] }
  return { host: entry }
}

/** Whether one NO_PROXY entry covers `host` (lower case, no brackets, no trailing dot) at `port`. */
function entryMatches(raw: string, host: string, port: string): boolean {
  const entry = raw.toLowerCase()
  if (entry === '*') return true
  const family = ipFamily(host)
  const cidr = /^\[?([0-9a-f.:]+)\]?\/(\d{1,3})$/.exec(entry)
  if (cidr) {
    const blockFamily = ipFamily(cidr[1]!)
    const prefix = Number(cidr[2])
    if (!family || blockFamily !== family || prefix > (family === 'ipv4' ? 32 : 128)) return false
    const block = new BlockList()
    block.addSubnet(cidr[1]!, prefix, blockFamily)
    return block.check(host, family)
  }
  const { host: name, port: entryPort } = splitPort(entry)
  if (entryPort !== undefined && entryPort !== port) return false
  const entryFamily = ipFamily(name)
  if (entryFamily || family) {
    if (entryFamily !== family) return false
    const address = new BlockList()
    address.addAddress(name, entryFamily)
    return address.check(host, family)
  }
  const domain = name.replace(/^\*?\.+/, '').replace(/\.$/, '')
  if (!domain) return false
  return host === domain || host.endsWith('.' + domain)
}

/** Whether NO_PROXY (its value) says that `url` is reached without the proxy. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '')
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => entryMatches(entry, host, port))
}
