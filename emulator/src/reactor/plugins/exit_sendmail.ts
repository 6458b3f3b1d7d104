/**
 * sendmail (exit): a notification of the build's end state to the SMTP server `smtp_host`, when one of `send_on`
 * matches (manual/auto × success/fail/canceled). Recipients: `additional_addresses`, and with a Koji session the
 * task's submitter or the package owners; none → the message goes to `error_addresses`. As 1.6.26.3 does it, with
 * its log lines: the constructor's look-ups of the Koji task id (the Build's `koji-task-id` label), the Koji build id
 * (koji_import / koji_promote's result) and the Koji session (a kerberos login: `krb_login` on the hub).
 */
import { definePlugin } from '../plugin.js'
import { kojiCall } from '../util/koji.js'
import type { Logger } from '../util/log.js'
import { logException, mimeText, smtpSend } from '../util/mail.js'
import { PyException } from '../util/py.js'
import type { Workflow } from '../workflow.js'

const STATES = ['manual_success', 'manual_fail', 'manual_canceled', 'auto_success', 'auto_fail', 'auto_canceled']

interface Args {
  smtp_host: string
  from_address: string
  send_on: string[]
  url: string | null
  error_addresses: string[]
  additional_addresses: string[]
  email_domain: string | null
  koji_hub: string | null
  koji_root: string | null
  to_koji_submitter: boolean
  to_koji_pkgowner: boolean
}

export default definePlugin({
  key: 'sendmail',
  // smtp_host and from_address are required
  defaults: {
    send_on: ['auto_canceled', 'auto_fail', 'manual_success', 'manual_fail'],
    url: null,
    error_addresses: [],
    additional_addresses: [],
    email_domain: null,
    koji_hub: null,
    koji_root: null,
    koji_proxyuser: null,
    koji_ssl_certs_dir: null,
    koji_krb_principal: null,
    koji_krb_keytab: null,
    to_koji_submitter: false,
    to_koji_pkgowner: false
  },
  async run(wf, raw, log) {
    const args = raw as unknown as Args
    const kojiRoot = args.koji_root?.endsWith('/') ? args.koji_root.slice(0, -1) : args.koji_root
    const taskId = kojiTaskId(wf, log)
    const kojiBuildId = wf.results.get('koji_import') ?? wf.results.get('koji_promote')
    log.info(kojiBuildId ? `Koji build ID: ${String(kojiBuildId)}` : 'Failed to fetch koji build ID')
    const session = await kojiSession(wf, args.koji_hub, log)

    const unknown = args.send_on.filter((s) => !STATES.includes(s)).sort()
    if (unknown.length) throw new PyException('PluginFailedException', `Unknown state(s) "${unknown.join('", "')}" for sendmail plugin`)
    const rebuild = wf.isRebuild
    const success = !wf.buildProcessFailed
    const autoCanceled = wf.autorebuildCanceled
    const manualCanceled = false
    const when: Record<string, boolean> = {
      manual_success: !rebuild && success,
      manual_fail: !rebuild && !success,
      manual_canceled: !rebuild && manualCanceled,
      auto_success: rebuild && success,
      auto_fail: rebuild && !success,
      auto_canceled: rebuild && autoCanceled
    }
    log.info('checking conditions for sending notification ...')
    if (!args.send_on.some((s) => when[s])) {
      log.info('conditions for sending notification not met, doing nothing')
      return null
    }
    log.info('notification about build result will be sent')
    const render = () => renderMail(wf, log, args.url, kojiRoot, taskId, rebuild, success, autoCanceled || manualCanceled)
    let receivers: string[]
    log.debug('getting list of receivers for this component ...')
    const wanted = [...new Set(args.additional_addresses)].filter(Boolean)
    if (session && (args.to_koji_submitter || args.to_koji_pkgowner)) {
      // the task's owner and the package owners: the local hub has no tasks or package configs to name them
      if (args.to_koji_submitter && taskId !== null) log.error('Failed to include a task submitter')
      if (args.to_koji_pkgowner && kojiBuildId) log.error('Failed to include a package owner')
    }
    if (wanted.length) receivers = wanted
    else {
      log.error("couldn't get list of receivers, sending error message ...")
      // the error message's body is rendered, then replaced by the usual one (1.6.26.3)
      render()
      receivers = args.error_addresses
    }
    log.info(`sending notification to ${pyList(receivers)} ...`)
    const { subject, body } = render()
    const text = mimeText(body, subject, args.from_address, receivers.map((r) => r.trim()).join(', '))
    try {
      await smtpSend(args.smtp_host, args.from_address, receivers, text)
    } catch (e) {
      if (e instanceof PyException && e.pyType.startsWith('SMTP')) log.error('Error communicating with SMTP server')
      throw e
    }
    return null
  }
})

/** The Build's `koji-task-id` label as a number, or null with log.exception's lines. */
function kojiTaskId(wf: Workflow, log: Logger): number | null {
  const labels = (wf.build.metadata.labels ?? {}) as Record<string, string>
  const value = labels['koji-task-id']
  const id = value === undefined ? NaN : Number.parseInt(value, 10)
  if (value === undefined || !/^\s*[-+]?\d+\s*$/.test(value)) {
    const error = value === undefined ? "KeyError: 'koji-task-id'" : `ValueError: invalid literal for int() with base 10: '${value}'`
    logException(log, 'Failed to fetch koji task ID', [{ file: 'plugins/exit_sendmail.py', line: 120, fn: '__init__', code: "self.koji_task_id = int(metadata['labels']['koji-task-id'])" }], error)
    return null
  }
  log.info(`Koji task ID: ${id}`)
  return id
}

/** create_koji_session(hub, auth): no hub is koji's assertion; a hub is asked `krb_login` (a kerberos login). */
async function kojiSession(wf: Workflow, hub: string | null, log: Logger): Promise<boolean> {
  const frame = { file: 'plugins/exit_sendmail.py', line: 138, fn: '__init__', code: 'self.session = create_koji_session(self.koji_hub, self.koji_auth_info)' }
  if (!hub) {
    logException(log, 'Failed to connect to koji', [frame], 'AssertionError: baseurl argument must not be empty')
    return false
  }
  wf.log.logger('atomic_reactor.koji_util').info('Using Kerberos for Koji authentication')
  try {
    const result = await kojiCall(hub, 'krb_login', [], wf.host.signal)
    if (!result) throw new PyException('RuntimeError', 'Unable to perform Koji authentication')
  } catch (e) {
    const ex = e instanceof PyException ? e : new PyException('Exception', (e as Error).message)
    logException(log, 'Failed to connect to koji', [frame], `${ex.pyType}: ${ex.message}`)
    return false
  }
  log.info('Koji connection established')
  return true
}

/** _render_mail: the subject and body; the logs' URL from Koji's task folder, else the Build's log in OpenShift. */
function renderMail(wf: Workflow, log: Logger, url: string | null, kojiRoot: string | null, taskId: number | null, rebuild: boolean, success: boolean, canceled: boolean) {
  const endstate = canceled ? 'Canceled' : success ? 'Succeeded' : 'Failed'
  let logs = 'None'
  if (taskId !== null) logs = `${kojiRoot ?? '/mnt/koji'}/work/tasks/${taskId % 10000}/${taskId}`
  else {
    logException(
      log,
      'Failed to fetch logs from koji',
      [{ file: 'plugins/exit_sendmail.py', line: 250, fn: '_get_logs_url', code: "url = '/'.join([pathinfo.work(), pathinfo.taskrelpath(self.koji_task_id)])" }],
      "TypeError: unsupported operand type(s) for %: 'NoneType' and 'int'"
    )
    const selfLink = buildSelfLink(wf)
    if (url && selfLink) logs = new URL(selfLink + '/log', url).toString()
  }
  const image = wf.outputImage
  const user = rebuild ? '<autorebuild>' : 'Unknown'
  return { subject: `${endstate} building image ${image}`, body: [`Image: ${image}`, `Status: ${endstate}`, `Submitted by: ${user}`, `Logs: ${logs}`].join('\n') }
}

/** The Build's selfLink as the pod's BUILD variable has it (input_osv3's openshift_build_selflink). */
function buildSelfLink(wf: Workflow): string | undefined {
  try {
    const link = (JSON.parse(wf.host.env.BUILD ?? '{}') as { metadata?: { selfLink?: unknown } }).metadata?.selfLink
    return typeof link === 'string' && link ? link : undefined
  } catch {
    return undefined
  }
}

/** A Python list of str, as `%s` prints it. */
function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`
}
