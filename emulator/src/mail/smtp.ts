/**
 * The local OpenShift's mail server: SMTP on 127.0.0.1 (the `smtp-server` library: the protocol as a mail relay
 * speaks it, Python's smtplib included), keeping each message it receives, parsed with `mailparser`, for tests to
 * read. What a build's `sendmail` plugin is given as `smtp_host` is `host` (`127.0.0.1:PORT`).
 */
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** One message as the server received it. */
export interface MailMessage {
  /** the envelope: MAIL FROM and every RCPT TO, in order */
  from: string
  to: string[]
  /** the headers' values (Subject, From, To) and the text body, as mailparser reads them */
  subject: string
  headerFrom: string
  headerTo: string
  text: string
  /** the message as it came, headers and all */
  raw: string
}

export class MailServer {
  private readonly server: SMTPServer
  private readonly received: MailMessage[] = []
  private readonly waiters: (() => void)[] = []
  private address = ''

  constructor() {
    this.server = new SMTPServer({
      // a relay on the loopback address: no TLS, no authentication, as smtplib.SMTP(host) talks to it
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      banner: 'local OpenShift mail',
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('error', callback)
        stream.on('end', () => {
          const raw = Buffer.concat(chunks)
          simpleParser(raw)
            .then((parsed) => {
              const envelope = session.envelope
              this.received.push({
                from: envelope.mailFrom ? envelope.mailFrom.address : '',
                to: envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                headerFrom: parsed.from?.text ?? '',
                headerTo: Array.isArray(parsed.to) ? parsed.to.map((t) => t.text).join(', ') : (parsed.to?.text ?? ''),
                text: parsed.text ?? '',
                raw: raw.toString('utf8')
              })
              for (const wake of this.waiters.splice(0)) wake()
              callback()
            })
            .catch(callback)
        })
      }
    })
  }

  /** Listen on 127.0.0.1 (a free port); resolves with `127.0.0.1:PORT`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    this.address = `127.0.0.1:${(this.server.server.address() as AddressInfo).port}`
    return this.address
  }

  /** `127.0.0.1:PORT`: a build's `smtp_host` (the action's `smtp-host`). */
  get host(): string {
    return this.address
  }

  /** Every message received so far, oldest first. */
  messages(): MailMessage[] {
    return [...this.received]
  }

  /** Resolves once at least `count` messages have arrived (no timer: a test's own timeout bounds it). */
  async waitForMessages(count: number): Promise<MailMessage[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve))
    return this.messages()
  }

  /** Stop listening and end every open connection. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
