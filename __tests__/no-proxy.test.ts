/** NO_PROXY as curl (7.86 and later) and kubectl read it: each form of entry, with real values. */
import { describe, expect, it } from '@jest/globals'
import { proxyFor } from '../src/cluster/index.js'

const PROXY = 'http://proxy.example.com:3128'
/** Whether `server` goes through the proxy with this NO_PROXY. */
const proxied = (server: string, noProxy: string): boolean => proxyFor(server, { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: noProxy }) === PROXY

describe('NO_PROXY', () => {
  it('CIDR blocks, IPv4 and IPv6', () => {
    expect(proxied('https://127.0.0.1:6443', '127.0.0.0/8')).toBe(false)
    expect(proxied('https://127.1.2.3:6443', '127.0.0.0/8')).toBe(false)
    expect(proxied('https://128.0.0.1:6443', '127.0.0.0/8')).toBe(true)
    expect(proxied('https://10.20.30.40', '192.168.0.0/16, 10.0.0.0/8')).toBe(false)
    expect(proxied('https://172.16.5.4', '172.16.0.0/12')).toBe(false)
    expect(proxied('https://172.32.0.1', '172.16.0.0/12')).toBe(true)
    expect(proxied('https://[::1]:6443', '::1/128')).toBe(false)
    expect(proxied('https://[::2]:6443', '::1/128')).toBe(true)
    expect(proxied('https://[fd00:1::5]', 'fd00::/8')).toBe(false)
    expect(proxied('https://[fe80::5]', 'fd00::/8')).toBe(true)
    // an IPv4 block says nothing of IPv6 addresses or host names (no name is resolved)
    expect(proxied('https://[::1]:6443', '127.0.0.0/8')).toBe(true)
    expect(proxied('https://localhost:6443', '127.0.0.0/8')).toBe(true)
    // a prefix longer than the address is no block
    expect(proxied('https://10.0.0.1', '10.0.0.0/33')).toBe(true)
  })

  it('domain suffixes with and without a leading dot or *.', () => {
    expect(proxied('https://api.example.com:6443', 'example.com')).toBe(false)
    expect(proxied('https://example.com', 'example.com')).toBe(false)
    expect(proxied('https://api.example.com:6443', '.example.com')).toBe(false)
    expect(proxied('https://example.com', '.example.com')).toBe(false)
    expect(proxied('https://api.example.com', '*.example.com')).toBe(false)
    expect(proxied('https://notexample.com', 'example.com')).toBe(true)
    expect(proxied('https://notexample.com', '.example.com')).toBe(true)
    expect(proxied('https://example.com.evil.org', 'example.com')).toBe(true)
    // case, blanks, a trailing dot
    expect(proxied('https://API.Example.COM', ' Example.com ')).toBe(false)
    expect(proxied('https://api.example.com.', 'example.com')).toBe(false)
    expect(proxied('https://api.example.com', 'example.com.')).toBe(false)
    expect(proxied('https://api.example.com', 'a.org other.org,,example.com')).toBe(false)
  })

  it('*, alone', () => {
    expect(proxied('https://anything.example.org', '*')).toBe(false)
    expect(proxied('https://[2001:db8::1]', '*')).toBe(false)
    expect(proxied('https://anything.example.org', 'a.org,*')).toBe(false)
  })

  it('host:port entries hold for that port only (443 / 80 when the URL has none)', () => {
    expect(proxied('https://api.example.com:6443', 'api.example.com:6443')).toBe(false)
    expect(proxied('https://api.example.com:8443', 'api.example.com:6443')).toBe(true)
    expect(proxied('https://api.example.com', 'api.example.com:443')).toBe(false)
    expect(proxied('http://api.example.com', 'api.example.com:443')).toBe(true)
    expect(proxied('https://10.0.0.1:6443', '10.0.0.1:6443')).toBe(false)
    expect(proxied('https://10.0.0.1:443', '10.0.0.1:6443')).toBe(true)
    expect(proxied('https://[::1]:6443', '[::1]:6443')).toBe(false)
    expect(proxied('https://[::1]:8443', '[::1]:6443')).toBe(true)
  })

  it('IPv6 literals, with or without brackets, however the URL writes them', () => {
    expect(proxied('https://[::1]:6443', '::1')).toBe(false)
    expect(proxied('https://[::1]:6443', '[::1]')).toBe(false)
    expect(proxied('https://[0:0:0:0:0:0:0:1]:6443', '::1')).toBe(false)
    expect(proxied('https://[2001:db8::10]', '2001:DB8:0::10')).toBe(false)
    expect(proxied('https://[2001:db8::11]', '2001:db8::10')).toBe(true)
    // an address is not a suffix: 10.0.0.1 does not cover 110.0.0.1, nor a host name
    expect(proxied('https://110.0.0.1', '10.0.0.1')).toBe(true)
    expect(proxied('https://10.0.0.1.nip.io', '10.0.0.1')).toBe(true)
  })

  it('no NO_PROXY, or an empty one, keeps the proxy', () => {
    expect(proxyFor('https://api.example.com', { HTTPS_PROXY: PROXY })).toBe(PROXY)
    expect(proxied('https://api.example.com', ' , ')).toBe(true)
    expect(proxyFor('https://127.0.0.1', { HTTPS_PROXY: PROXY, no_proxy: '127.0.0.0/8' })).toBeUndefined()
  })
})
