/**
 * A self-signed X.509 certificate for 127.0.0.1 / localhost (or other names), made with node:crypto alone (an EC P-256 key, DER
 * written by hand): the emulator's TLS endpoint needs no `openssl` on the machine. `issuedCertificate` makes one
 * signed by a given CA instead (a kubelet's serving certificate, which the master verifies with its CA).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), len(body.length), body])
}
const seq = (...c: Buffer[]) => tlv(0x30, ...c)
const set = (...c: Buffer[]) => tlv(0x31, ...c)

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const out = [arcs[0]! * 40 + arcs[1]!]
  for (const a of arcs.slice(2)) {
    const b: number[] = [a & 0x7f]
    for (let x = a >> 7; x > 0; x >>= 7) b.unshift((x & 0x7f) | 0x80)
    out.push(...b)
  }
  return tlv(0x06, Buffer.from(out))
}

function integer(bytes: Buffer): Buffer {
  let b = bytes
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1)
  return tlv(0x02, b[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b)
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0')
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  return tlv(0x17, Buffer.from(s, 'ascii'))
}

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`

/** The names a certificate is valid for (its subjectAltName): IPv4 / IPv6 addresses and DNS names. */
export interface CertificateNames {
  ips?: string[]
  dns?: string[]
}

/** An IP address as the 4 or 16 bytes of an iPAddress name. */
function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number))
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`)
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined]
  const words = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : [])
  const left = words(head)
  const right = words(tail)
  const all = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
  return Buffer.concat(all.map((w) => Buffer.from([w >> 8, w & 0xff])))
}

/** The elements of a DER SEQUENCE (whole TLVs). */
function derChildren(der: Buffer): Buffer[] {
  const header = (at: number): { start: number; end: number } => {
    const first = der[at + 1]!
    if (first < 0x80) return { start: at + 2, end: at + 2 + first }
    const n = first & 0x7f
    const size = der.subarray(at + 2, at + 2 + n).reduce((acc, b) => acc * 256 + b, 0)
    return { start: at + 2 + n, end: at + 2 + n + size }
  }
  const outer = header(0)
  const out: Buffer[] = []
  for (let at = outer.start; at < outer.end;) {
    const { end } = header(at)
    out.push(der.subarray(at, end))
    at = end
  }
  return out
}

/** The subject Name of a certificate, as DER (what a certificate it issues names as its issuer). */
function subjectName(certPem: string): Buffer {
  const tbs = derChildren(derChildren(new X509Certificate(certPem).raw)[0]!)
  // version [0] is there in v3 certificates: serial, signature, issuer, validity, subject follow
  return tbs[tbs[0]![0] === 0xa0 ? 5 : 4]!
}

/** The signature algorithm of a CA's key (RSA or EC, SHA-256). */
function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'rsa') return seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]))
  if (key.asymmetricKeyType === 'ec') return seq(oid('1.2.840.10045.4.3.2'))
  throw new Error(`cannot sign with a ${key.asymmetricKeyType ?? 'unknown'} CA key: RSA or EC keys only`)
}

/**
 * `{cert, key}` PEM of a new certificate (30 days) for `names`, issued by the CA `issuer` (its certificate and key,
 * PEM): not a CA itself, for a TLS server or client.
 */
export function issuedCertificate(commonName: string, names: CertificateNames, issuer: { cert: string; key: string }): { cert: string; key: string } {
  const caKey = createPrivateKey(issuer.key)
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const algorithm = signatureAlgorithm(caKey)
  const subject = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))))
  const now = Date.now()
  const san = seq(...(names.ips ?? []).map((ip) => tlv(0x87, ipBytes(ip))), ...(names.dns ?? []).map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))))
  // no extended key usage: a server's or a client's certificate alike
  const extensions = tlv(0xa3, seq(seq(oid('2.5.29.19'), tlv(0x04, seq())), seq(oid('2.5.29.17'), tlv(0x04, san))))
  const serial = randomBytes(16)
  serial[0] = serial[0]! & 0x7f
  const validity = seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 30 * 24 * 3600_000)))
  const tbs = seq(tlv(0xa0, integer(Buffer.from([2]))), integer(serial), algorithm, subjectName(issuer.cert), validity, subject, spki, extensions)
  const signature = sign('sha256', tbs, caKey.asymmetricKeyType === 'ec' ? { key: caKey, dsaEncoding: 'der' } : caKey)
  const cert = seq(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature))
  return { cert: pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }
}

/**
 * `{cert, key}` PEM of a new self-signed certificate (30 days), valid for 127.0.0.1, ::1 and localhost unless
 * `names` says otherwise (e.g. `{ dns: ['api.other.example'] }`: a certificate for another host).
 */
export function selfSignedCertificate(commonName = '127.0.0.1', names: CertificateNames = { ips: ['127.0.0.1', '::1'], dns: ['localhost'] }): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'))
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))))
  const now = Date.now()
  const san = seq(...(names.ips ?? []).map((ip) => tlv(0x87, ipBytes(ip))), ...(names.dns ?? []).map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))))
  const extensions = tlv(0xa3, seq(seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))), seq(oid('2.5.29.17'), tlv(0x04, san))))
  const serial = randomBytes(16)
  serial[0] = serial[0]! & 0x7f
  const tbs = seq(tlv(0xa0, integer(Buffer.from([2]))), integer(serial), ecdsaSha256, name, seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 30 * 24 * 3600_000))), name, spki, extensions)
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' })
  const cert = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.from([0]), signature))
  return { cert: pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }
}
