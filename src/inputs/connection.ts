/** SPEC §2, §6.1: the API server, the credentials, the CA, the namespace; a dry run needs none of the first three. */
import path from 'node:path'
import { defaultKubeconfigFiles, SERVICE_ACCOUNT_DIR } from '../cluster/kubeconfig.js'
import { q } from '../shared/errors.js'
import { readKubeconfigText, tokenProblem } from '../cluster/kubeconfig-text.js'
import { maskValues, urlCredentials } from '../shared/mask.js'
import { isDns1123Label } from '../naming/names.js'
import { checkServerUrl, SERVER_URL_FORMAT, shownUrl } from '../cluster/server-url.js'
import type { ConnectionSettings } from '../settings.js'
import { readInputFile } from '../checkout/workspace-files.js'
import { FALSE, type InputReader } from './reader.js'

/** The bearer token, masked at once with every URL's user info of every input. */
function readToken(r: InputReader): string | undefined {
  const token = r.optional('openshift-token')
  // Masked before anything is printed: the token (each line of it), every URL's user info, every kubeconfig credential.
  r.secrets.push(...(token ? maskValues(token) : []), ...Object.values(r.raw).flatMap((v) => urlCredentials(v ?? '')))
  if (token) {
    const why = tokenProblem(token)
    if (why) r.problems.push({ input: 'openshift-token', message: `Input openshift-token: ${why}. Accepted: a bearer token on one line, without spaces or control characters` })
  }
  return token
}

/** Whether this run sends requests: not a dry run (an invalid dry-run value: unknown, so no credential problems). */
function readMode(r: InputReader): { oidcAudience?: string; dryRun: boolean; needsCluster: boolean; insecureSkipTlsVerify: boolean } {
  const oidcAudience = r.optional('oidc-audience')
  const dryRunValue = r.get('dry-run')
  const dryRun = r.bool('dry-run', false)
  // With an invalid dry-run value it is unknown whether credentials are needed: report only that value.
  const needsCluster = !dryRun && (dryRunValue === '' || FALSE.includes(dryRunValue))
  const insecureSkipTlsVerify = r.bool('insecure-skip-tls-verify', false)
  return { oidcAudience, dryRun, needsCluster, insecureSkipTlsVerify }
}

/** The kubeconfig input, else (no token) the first default kubeconfig file: what it names, its credentials masked. */
function readKubeconfigInput(r: InputReader, token: string | undefined): { kubeconfig?: ConnectionSettings['kubeconfig']; kubeInfo: { namespace?: string; server?: string } } {
  let kubeconfig: ConnectionSettings['kubeconfig']
  let kubeInfo: { namespace?: string; server?: string } = {}
  /** Reads one kubeconfig's text: its credentials are masked even when it does not parse. */
  const takeKubeconfig = (text: string, where: string, found: ConnectionSettings['kubeconfig']): void => {
    const read = readKubeconfigText(text)
    r.secrets.push(...read.secrets)
    if (read.ok) {
      kubeInfo = read
      kubeconfig = found
    } else r.problems.push({ input: 'kubeconfig', message: `Input kubeconfig: ${where} cannot be read as a kubeconfig (${read.reason}). Accepted: a kubeconfig file path or YAML` })
  }
  const kubeconfigInput = r.get('kubeconfig')
  if (kubeconfigInput !== '') {
    const inline = kubeconfigInput.includes('\n') || /^(apiVersion|kind|clusters|contexts|current-context|users)\s*:/m.test(kubeconfigInput) || kubeconfigInput.startsWith('{')
    if (inline) takeKubeconfig(kubeconfigInput, 'the inline kubeconfig', { inline: kubeconfigInput })
    else {
      const file = readInputFile(r.environment, r.workspace, kubeconfigInput, 'kubeconfig')
      if ('problem' in file) r.problems.push({ input: 'kubeconfig', message: file.problem })
      else if ('missing' in file) r.invalid('kubeconfig', kubeconfigInput, 'Accepted: the path of an existing kubeconfig file, or the kubeconfig YAML itself')
      else takeKubeconfig(file.text, q(kubeconfigInput), { path: path.resolve(r.workspace, kubeconfigInput), text: file.text })
    }
  } else if (!token) {
    const candidates = defaultKubeconfigFiles(r.environment.env, r.environment.homedir)
    for (const candidate of candidates) {
      const text = r.environment.readFile(candidate)
      if (text === null) continue
      takeKubeconfig(text, `not set, and the default kubeconfig ${candidate}`, { path: candidate, text })
      break
    }
  }
  return { kubeconfig, kubeInfo }
}

export interface ConnectionRead {
  connection: ConnectionSettings
  dryRun: boolean
  /** What the kubeconfig's current context names. */
  kubeInfo: { namespace?: string; server?: string }
  inCluster: boolean
}

/** SPEC §2, §6.1: the API server, the credentials, the CA; a dry run needs none of them. */
export function parseConnection(r: InputReader): ConnectionRead {
  const token = readToken(r)
  const { oidcAudience, dryRun, needsCluster, insecureSkipTlsVerify } = readMode(r)
  const { kubeconfig, kubeInfo } = readKubeconfigInput(r, token)
  // A kubeconfig that was given but refused is the one problem to fix: no "no credentials" besides it.
  const kubeconfigRefused = (): boolean => r.problems.some((p) => p.input === 'kubeconfig')
  const inCluster = Boolean(r.environment.env.KUBERNETES_SERVICE_HOST)
  const serverInput = r.get('openshift-server')
  let server: string | undefined
  if (serverInput !== '') {
    const checked = checkServerUrl(serverInput)
    if ('url' in checked) server = checked.url
    else r.problems.push({ input: 'openshift-server', message: `Input openshift-server: ${q(shownUrl(serverInput))} is not valid: ${checked.reason}. Accepted: ${SERVER_URL_FORMAT}` })
  } else if (kubeInfo.server) {
    server = kubeInfo.server
  } else if (needsCluster && !inCluster && !kubeconfigRefused()) {
    r.problems.push({
      input: 'openshift-server',
      message:
        'Input openshift-server: (empty) is not valid: no kubeconfig names a server either. Accepted: the API server URL, https://host:port, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
    })
  }
  if (needsCluster && !token && !oidcAudience && !kubeconfig && !inCluster && !kubeconfigRefused()) {
    r.problems.push({
      input: 'openshift-token',
      message: 'Input openshift-token: (empty) is not valid: no credentials are given. Accepted: a bearer token, or oidc-audience, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
    })
  }
  if (token && oidcAudience) {
    r.problems.push({ input: 'oidc-audience', message: `Inputs openshift-token and oidc-audience (${q(oidcAudience)}) are both set. Accepted: only one of them` })
  }
  const certificateAuthority = readCertificateAuthority(r, insecureSkipTlsVerify)
  const connection: ConnectionSettings = {
    ...(server ? { server } : {}),
    ...(token ? { token } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(oidcAudience ? { oidcAudience } : {}),
    ...(certificateAuthority ? { certificateAuthority } : {}),
    insecureSkipTlsVerify
  }
  return { connection, dryRun, kubeInfo, inCluster }
}

/** certificate-authority: PEM text or a file in the checkout; not together with insecure-skip-tls-verify. */
function readCertificateAuthority(r: InputReader, insecureSkipTlsVerify: boolean): string | undefined {
  let certificateAuthority: string | undefined
  const caInput = r.get('certificate-authority')
  if (caInput !== '') {
    const file = caInput.includes('-----BEGIN') ? { text: caInput } : readInputFile(r.environment, r.workspace, caInput, 'certificate-authority')
    const pem = 'text' in file ? file.text : null
    if ('problem' in file) r.problems.push({ input: 'certificate-authority', message: file.problem })
    else if (pem === null) r.invalid('certificate-authority', caInput, 'Accepted: PEM text, or the path of an existing PEM file')
    else if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      r.invalid('certificate-authority', caInput.includes('-----BEGIN') ? '(PEM text)' : caInput, 'Accepted: PEM text with at least one -----BEGIN CERTIFICATE----- block, or the path of such a file')
    else certificateAuthority = pem
  }
  if (insecureSkipTlsVerify && certificateAuthority) {
    r.problems.push({ input: 'insecure-skip-tls-verify', message: 'Inputs insecure-skip-tls-verify and certificate-authority: both set; set only one of them' })
  }
  return certificateAuthority
}

/** The namespace: the input, else the kubeconfig context's, else (credentials of the pod's service account) the pod's. */
export function parseNamespace(r: InputReader, conn: ConnectionRead): { namespace: string; notice?: string } {
  const namespaceInput = r.get('namespace')
  const serviceAccountNamespace =
    conn.inCluster && !conn.connection.token && !conn.connection.oidcAudience && !conn.connection.kubeconfig
      ? r.environment.readFile(path.posix.join(SERVICE_ACCOUNT_DIR, 'namespace'))?.trim() || undefined
      : undefined
  const namespace = namespaceInput || conn.kubeInfo.namespace || serviceAccountNamespace || ''
  if (namespace === '') {
    r.problems.push({
      input: 'namespace',
      message: 'Input namespace: (empty) is not valid, and no kubeconfig context names a namespace. Accepted: the OpenShift project (a DNS-1123 label: lowercase letters, digits and -, at most 63)'
    })
  } else if (!isDns1123Label(namespace)) {
    r.invalid('namespace', namespace, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters')
  }

  let notice: string | undefined
  if (!namespaceInput && conn.kubeInfo.namespace) notice = `namespace: ${namespace}, from the kubeconfig's current context`
  else if (!namespaceInput && serviceAccountNamespace) notice = `namespace: ${namespace}, the namespace of this pod's service account`
  return { namespace, notice }
}
