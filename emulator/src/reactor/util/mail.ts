/**
 * What the sendmail plugin needs besides its rules: the message as Python's `email.mime.text.MIMEText` writes it
 * (`msg.as_string()`), sent as `smtplib.SMTP(host).sendmail(from, to, text)` does (nodemailer's SMTP transport
 * with the raw message and the envelope), and the lines `log.exception` adds (the traceback of a caught exception).
 */
import { createTransport } from 'nodemailer'
import type { Logger } from './log.js'
import { PyException } from './py.js'

/** MIMEText(body) with Subject, From and To set, as `as_string()` gives it (us-ascii text, else utf-8 in base64). */
export function mimeText(body: string, subject: string, from: string, to: string): string {
  const ascii = /^[\x00-\x7f]*$/.test(body)
  const head = ascii
    ? ['Content-Type: text/plain; charset="us-ascii"', 'MIME-Version: 1.0', 'Content-Transfer-Encoding: 7bit']
    : ['Content-Type: text/plain; charset="utf-8"', 'MIME-Version: 1.0', 'Content-Transfer-Encoding: base64']
  const text = ascii
    ? body
    : (
        Buffer.from(body, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n') + '\n'
  return [...head, `Subject: ${subject}`, `From: ${from}`, `To: ${to}`, '', text].join('\n')
}

/** A caught exception's traceback as `log.exception(message)` prints it after the message. */
export function logException(log: Logger, message: string, frames: { file: string; line: number; fn: string; code: string }[], error: string): void {
  const trace = frames.map((f) => `  File "/usr/lib/python2.7/site-packages/atomic_reactor/${f.file}", line ${f.line}, in ${f.fn}\n    ${f.code}`)
  log.error([message, 'Traceback (most recent call last):', ...trace, error].join('\n'))
}

/**
 * smtplib.SMTP('host[:port]').sendmail(from, to, text): an unreachable server is the socket's error (not one the
 * plugin catches); a refusal of every recipient (an empty list too) is SMTPRecipientsRefused.
 */
export async function smtpSend(smtpHost: string, from: string, to: string[], text: string): Promise<void> {
  const [host, port] = splitHost(smtpHost)
  if (!to.length) throw new PyException('SMTPRecipientsRefused', '{}')
  const transport = createTransport({ host, port, secure: false, ignoreTLS: true, name: 'localhost', connectionTimeout: 30_000 })
  try {
    await transport.sendMail({ envelope: { from, to }, raw: text.replace(/\r?\n/g, '\r\n') })
  } catch (e) {
    const err = e as { code?: string; responseCode?: number; response?: string }
    if (err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'ETIMEDOUT') {
      throw new PyException('ConnectionRefusedError', '[Errno 111] Connection refused')
    }
    throw new PyException('SMTPException', err.response ?? (e as Error).message)
  } finally {
    transport.close()
  }
}

/** smtplib's `host:port` (port 25 when absent). */
function splitHost(smtpHost: string): [string, number] {
  const i = smtpHost.lastIndexOf(':')
  if (i > 0 && /^\d+$/.test(smtpHost.slice(i + 1))) return [smtpHost.slice(0, i), Number(smtpHost.slice(i + 1))]
  return [smtpHost, 25]
}
