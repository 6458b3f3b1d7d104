/** The mail inputs: osbs-client's `smtp_*` settings, the sendmail plugin's arguments. */
import type { SmtpSettings } from '../settings.js'
import { parseList, type InputReader } from './reader.js'
import type { InputName } from './raw.js'

/** atomic-reactor 1.6.26.3's SendMailPlugin.allowed_states. */
export const SEND_ON_STATES = ['auto_canceled', 'auto_fail', 'auto_success', 'manual_canceled', 'manual_fail', 'manual_success'] as const
/** The send_on of osbs-client's prod template (prod_inner.json). */
export const DEFAULT_SEND_ON = ['auto_canceled', 'auto_fail', 'manual_success', 'manual_fail']

const ADDRESS = /^[^\s@]+@[^\s@]+$/
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/
const DOMAIN = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/

/** The inputs that only shape sendmail's messages: set without smtp-host and smtp-from they would do nothing. */
const SHAPING: InputName[] = ['smtp-additional-addresses', 'smtp-error-addresses', 'smtp-email-domain', 'smtp-to-submitter', 'smtp-to-pkgowner']

function addresses(r: InputReader, name: 'smtp-additional-addresses' | 'smtp-error-addresses'): string[] {
  const list = parseList(name, r.get(name), r.problems)
  for (const address of list) if (!ADDRESS.test(address)) r.invalid(name, address, 'Accepted: e-mail addresses (name@domain), separated by commas and/or newlines')
  return list
}

/** smtp-host, smtp-from and the rest; sendmail is rendered only with both smtp-host and smtp-from (as osbs-client does). */
export function parseSmtp(r: InputReader): { smtp?: SmtpSettings } {
  const host = r.optional('smtp-host')
  const from = r.optional('smtp-from')
  if (host && !HOST.test(host)) r.invalid('smtp-host', host, 'Accepted: the SMTP server as host or host:port')
  if (from && !ADDRESS.test(from)) r.invalid('smtp-from', from, 'Accepted: an e-mail address (name@domain)')
  const additionalAddresses = addresses(r, 'smtp-additional-addresses')
  const errorAddresses = addresses(r, 'smtp-error-addresses')
  const emailDomain = r.optional('smtp-email-domain')
  if (emailDomain && !DOMAIN.test(emailDomain)) r.invalid('smtp-email-domain', emailDomain, 'Accepted: a mail domain, e.g. example.com (added to Koji user names)')
  const toSubmitter = r.bool('smtp-to-submitter', false)
  const toPkgowner = r.bool('smtp-to-pkgowner', false)
  const sendOnItems = parseList('smtp-send-on', r.get('smtp-send-on'), r.problems)
  for (const state of sendOnItems) if (!(SEND_ON_STATES as readonly string[]).includes(state)) r.invalid('smtp-send-on', state, `Accepted: build states among ${SEND_ON_STATES.join(', ')}`)
  const sendOn = sendOnItems.length ? [...new Set(sendOnItems)] : DEFAULT_SEND_ON
  if (Boolean(host) !== Boolean(from)) {
    const [set, missing] = host ? ['smtp-host', 'smtp-from'] : ['smtp-from', 'smtp-host']
    r.problems.push({ input: missing, message: `Input ${missing}: (empty) is not valid while ${set} is set: sendmail needs both. Accepted: both smtp-host and smtp-from, or neither` })
  }
  if (!host && !from) {
    for (const name of SHAPING) {
      const value = r.get(name)
      if (value && !(name.startsWith('smtp-to-') && value.toLowerCase() === 'false'))
        r.problems.push({ input: name, message: `Input ${name}: is set, but smtp-host and smtp-from are not: no mail is sent. Accepted: ${name} together with smtp-host and smtp-from` })
    }
    return {}
  }
  return { smtp: { host: host ?? '', from: from ?? '', sendOn, additionalAddresses, errorAddresses, ...(emailDomain ? { emailDomain } : {}), toSubmitter, toPkgowner } }
}
