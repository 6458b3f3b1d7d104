export const id = 105;
export const ids = [105];
export const modules = {

/***/ 2105:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cancelLeftoverBuild: () => (/* reexport */ cancelLeftoverBuild),
  commitStatusFor: () => (/* reexport */ commitStatusFor),
  connectCluster: () => (/* reexport */ connectCluster),
  createBuild: () => (/* reexport */ createBuild)
});

;// CONCATENATED MODULE: ./src/cluster/types.ts
const GROUP_PATHS = {
    build: '/apis/build.openshift.io/v1',
    image: '/apis/image.openshift.io/v1',
    core: '/api/v1',
    user: '/apis/user.openshift.io/v1',
    authorization: '/apis/authorization.k8s.io/v1'
};
/** The API group as RBAC names it ('' is the core group). */
const GROUP_NAMES = {
    build: 'build.openshift.io',
    image: 'image.openshift.io',
    core: '',
    user: 'user.openshift.io',
    authorization: 'authorization.k8s.io'
};

;// CONCATENATED MODULE: ./src/cluster/custom-strategy.ts
/**
 * The permission a Custom-strategy build needs, in words for people. OpenShift's admission plugin BuildByStrategy
 * refuses a BuildConfig or Build of the Custom strategy (create, update, instantiate, clone, the cancel PATCH) with
 * 403 `build strategy Custom is not allowed` unless the account may `create` `builds/custom` in
 * `build.openshift.io`; only the cluster role `system:build-strategy-custom` grants it, and no account has it by
 * default. Pure: no I/O.
 */
const CUSTOM_STRATEGY_ROLE = 'system:build-strategy-custom';
/** The access the admission plugin checks, as a SelfSubjectAccessReview's `spec.resourceAttributes`. */
function customStrategyAccess(namespace) {
    return { namespace, verb: 'create', group: 'build.openshift.io', resource: 'builds', subresource: 'custom' };
}
/** `system:serviceaccount:<ns>:<name>` as its namespace and name; undefined for any other account. */
function serviceAccountOf(account) {
    const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(account);
    return m ? { namespace: m[1], name: m[2] } : undefined;
}
/** The command a cluster admin runs to give `account` the role (both forms when the account is not known). */
function grantCommand(account, namespace) {
    const command = `oc adm policy add-cluster-role-to-user ${CUSTOM_STRATEGY_ROLE}`;
    if (!account)
        return `${command} -z <service account> -n ${namespace} (or ${command} <user> for a user)`;
    const sa = serviceAccountOf(account);
    return sa ? `${command} -z ${sa.name} -n ${sa.namespace}` : `${command} ${account}`;
}
/** What to do about a missing permission: the role and the command. */
function customStrategyRemedy(account, namespace) {
    return `a cluster admin grants it the cluster role ${CUSTOM_STRATEGY_ROLE}: ${grantCommand(account, namespace)}`;
}
/** The one message of a run whose account may not create Custom builds (found before anything is written). */
function customStrategyDenied(account, namespace) {
    const who = account ? `The account ${account}` : 'The account';
    return (`${who} may not create Custom-strategy builds in namespace ${namespace} (create builds/custom in API group build.openshift.io, ` +
        `which OpenShift's admission plugin BuildByStrategy checks: without it every write of the BuildConfig is refused with ` +
        `403 "build strategy Custom is not allowed"): ${customStrategyRemedy(account, namespace)}`);
}
/** A 403 of the admission plugin for the Custom strategy (a write, an instantiate, a cancel PATCH). */
function isCustomStrategyRefusal(message) {
    return /build strategy Custom is not allowed/.test(message);
}

;// CONCATENATED MODULE: ./src/cluster/errors.ts
/**
 * Errors from the cluster or the way to it: each names the request and carries the server's Status message (with a
 * hint for 401 and 403), or the network failure that stopped it.
 */

/** An error from the cluster or the way to it, naming the request. */
class ClusterError extends Error {
    /** HTTP status, when the server answered. */
    status;
    reason;
    /** The server's Status object, when it sent one. */
    statusObject;
    /** Network error code (ECONNRESET, UND_ERR_SOCKET, DEPTH_ZERO_SELF_SIGNED_CERT, …). */
    code;
    /** The request may have reached the server and been carried out (only meaningful for non-idempotent ones). */
    ambiguous;
    /** `GET buildconfigs/foo in namespace ns`. */
    request;
    constructor(message, init) {
        super(message, init.cause !== undefined ? { cause: init.cause } : undefined);
        this.name = 'ClusterError';
        this.request = init.request;
        this.status = init.status;
        this.reason = init.reason;
        this.statusObject = init.statusObject;
        this.code = init.code;
        this.ambiguous = init.ambiguous ?? false;
    }
}
function isNotFound(error) {
    return error instanceof ClusterError && error.status === 404;
}
function isConflict(error) {
    return error instanceof ClusterError && error.status === 409;
}
/** 401 or 403: the credentials are rejected or lack a permission; asking again will not help. */
function isDenied(error) {
    return error instanceof ClusterError && (error.status === 401 || error.status === 403);
}
function isGone(error) {
    return error instanceof ClusterError && error.status === 410;
}
/**
 * Unwrap `TypeError: fetch failed` and friends to the code and message that say what went wrong, and for a
 * certificate refused for its names, the names it holds (`DNS:api.example.com, IP Address:10.0.0.1`).
 */
function networkCause(error) {
    let current = error;
    let code;
    let certificateNames;
    let message = error instanceof Error ? error.message : String(error);
    for (let depth = 0; current && depth < 5; depth++) {
        if (typeof current.code === 'string' && !code)
            code = current.code;
        if (typeof current.cert?.subjectaltname === 'string' && !certificateNames)
            certificateNames = current.cert.subjectaltname;
        if (current.message && current !== error)
            message = current.message;
        current = current.cause;
    }
    if (error instanceof Error && error.name === 'AbortError')
        code = code ?? 'ABORT';
    if (error instanceof Error && error.name === 'TimeoutError')
        code = code ?? 'TIMEOUT';
    return { code, message, certificateNames };
}
/** A request sent, or still running, after the client was closed (the run is over). */
class ClientClosedError extends Error {
    constructor(request) {
        super(`${request ? `${request}: ` : ''}the connection to the cluster was closed at the end of the run`);
        this.name = 'ClientClosedError';
    }
}
class TimeoutError extends Error {
    constructor() {
        super('timed out');
        this.name = 'TimeoutError';
    }
}
function parseStatus(text) {
    if (!text)
        return undefined;
    try {
        const parsed = JSON.parse(text);
        return parsed && typeof parsed === 'object' && (parsed.kind === 'Status' || parsed.message) ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
const STATUS_TEXT = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'Timeout'
};
/** 401: the credentials were refused (a token that expired, was revoked, or is for another cluster). */
const UNAUTHORIZED_HINT = ' — the server rejected the credentials (the token expired or was revoked, or it is not a token of this cluster): give a valid openshift-token (e.g. a service account token: oc sa get-token <service account> on OpenShift 3.x, oc create token <service account> on 4.x), a kubeconfig whose user can log in, or oidc-audience as the cluster expects it';
/** 403: who may not do what, and the role that allows it. */
function forbiddenHint(message, access) {
    const user = /\bUser "([^"]+)"/.exec(message)?.[1];
    const account = user ?? '<user>';
    if (isCustomStrategyRefusal(message)) {
        // the admission plugin BuildByStrategy: no role the namespace's admin can give allows it
        const namespace = access?.namespace ?? '<namespace>';
        return ` — ${user ?? 'the account'} may not create builds/custom in API group build.openshift.io in namespace ${namespace}, which a build of the Custom strategy needs: ${customStrategyRemedy(user, namespace)}`;
    }
    if (!access)
        return ` — the account${user ? ` ${user}` : ''} lacks permission for this request: grant it a role that allows it`;
    const group = access.group ? ` in API group ${access.group}` : '';
    const where = access.namespace ? ` in namespace ${access.namespace}` : '';
    const grant = access.namespace ? ` (e.g. oc policy add-role-to-user edit ${account} -n ${access.namespace}: the edit role allows every request of the action)` : '';
    return ` — ${user ?? 'the account'} may not ${access.verb} ${access.resource}${group}${where}: grant it a role that allows ${access.verb} on ${access.resource}${grant}`;
}
function statusError(request, status, statusObject, text, ambiguous, access) {
    const reason = statusObject?.reason || STATUS_TEXT[status] || '';
    let message = statusObject?.message || (text ? text.trim().slice(0, 300) : '') || 'no message';
    const causes = statusObject?.details?.causes?.map((c) => [c.field, c.message].filter(Boolean).join(': ')).filter((c) => c && !message.includes(c));
    if (causes?.length)
        message += ` (${causes.join('; ')})`;
    let hint = '';
    if (status === 401)
        hint = UNAUTHORIZED_HINT;
    if (status === 403)
        hint = forbiddenHint(message, access);
    return new ClusterError(`${request} failed: ${status} ${reason}: ${message}${hint}`, {
        request,
        status,
        reason,
        statusObject,
        ambiguous
    });
}
/** Why a TLS handshake failed and what to do, from Node's error code; undefined for a failure that is not TLS. */
function tlsProblem(code, nodeMessage, context = {}) {
    if (!code)
        return undefined;
    // Node 24 adds advice about its own command line (`--use-system-ca`), which a step cannot pass: left out.
    const message = nodeMessage.replace(/;\s*if the root CA is installed locally.*$/i, '');
    const trust = 'give certificate-authority (the PEM of the CA that signed the cluster certificate, or a file holding it), or insecure-skip-tls-verify: true if you must';
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
        return `the server certificate is for another host name (${context.certificateNames && context.host ? `${context.host} is not among the names it holds: ${context.certificateNames}` : message}): give openshift-server with a host name the certificate holds (or tls-server-name in a kubeconfig)`;
    if (/^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_GET_CRL|CERT_UNTRUSTED)$/.test(code))
        return `the server certificate is not trusted: it is signed by an unknown certificate authority (${message}): ${trust}`;
    if (code === 'CERT_HAS_EXPIRED')
        return `the server certificate has expired (${message}): the cluster's certificate must be renewed`;
    if (code === 'CERT_NOT_YET_VALID')
        return `the server certificate is not valid yet (${message}): check the clock of the runner and of the cluster`;
    if (code === 'CERT_REVOKED')
        return `the server certificate was revoked (${message})`;
    if (/^(ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG|ERR_SSL_HTTP_REQUEST)$/.test(code) || /wrong version number|packet length too long/i.test(message))
        return `the server does not speak TLS on this port (${message}): check openshift-server (http:// or https://, and the port)`;
    if (/CERT|SSL|TLS/.test(code))
        return `the TLS connection failed (${code}: ${message}): check openshift-server and certificate-authority`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/cluster/retry.ts
/** What is retried and how long to wait: capped exponential backoff with jitter, Retry-After honoured. */
const DEFAULT_RETRY = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 30000 };
/**
 * The time limit of one ordinary request (not a log stream, not a watch: those are long by nature; a watch has its
 * own idle limit, see Cluster.watch). The API server answers such a request in well under a second, and ends one
 * itself after 60 s (kube-apiserver --request-timeout); 30 s is a server that is not answering.
 */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Attempts in total of a request that got no answer in time: a server that accepts connections and never answers
 * ends the request after TIMEOUT_ATTEMPTS times the time limit (plus two short backoffs), not at timeout-minutes.
 */
const TIMEOUT_ATTEMPTS = 3;
/**
 * The environment variable that sets the time limit of one request, in seconds (a hidden setting, not an input of
 * the action: for a cluster that is slow to answer, and for tests that need a short limit).
 */
const REQUEST_TIMEOUT_VARIABLE = 'OSBS_REQUEST_TIMEOUT_SECONDS';
/** The time limit of one request from the environment (REQUEST_TIMEOUT_VARIABLE), in ms; undefined when unset or unusable. */
function requestTimeoutFromEnv(env) {
    const value = env[REQUEST_TIMEOUT_VARIABLE]?.trim();
    if (!value || !/^\d+(\.\d+)?$/.test(value))
        return undefined;
    const ms = Math.round(Number(value) * 1000);
    return ms > 0 ? ms : undefined;
}
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT'
]);
/** Network failures after which the server cannot have acted on the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason ?? new Error('aborted'));
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/** Capped exponential backoff with jitter (between half and all of the capped delay). */
function backoffDelay(attempt, policy, random = Math.random) {
    const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    return Math.round(capped * (0.5 + random() / 2));
}
/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed))
        return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// EXTERNAL MODULE: ./src/cluster/kubeconfig.ts
var kubeconfig = __webpack_require__(2315);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/shared/linear-text.ts
var linear_text = __webpack_require__(7018);
// EXTERNAL MODULE: ./src/cluster/kubeconfig-text.ts
var kubeconfig_text = __webpack_require__(1279);
// EXTERNAL MODULE: ./src/cluster/server-url.ts
var server_url = __webpack_require__(9163);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/cluster/no-proxy.ts
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

/** `ipv4` / `ipv6` for an IP literal, else undefined. */
function ipFamily(host) {
    const version = (0,external_node_net_.isIP)(host);
    return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}
/** An entry split into its host part and its port (when it names one). */
function splitPort(entry) {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed)
        return { host: bracketed[1], port: bracketed[2] };
    // One colon only: a host or IPv4 address with a port (an IPv6 literal has two or more colons).
    const withPort = /^([^:]+):(\d+)$/.exec(entry);
    if (withPort)
        return { host: withPort[1], port: withPort[2] };
    return { host: entry };
}
/** Whether one NO_PROXY entry covers `host` (lower case, no brackets, no trailing dot) at `port`. */
function entryMatches(raw, host, port) {
    const entry = raw.toLowerCase();
    if (entry === '*')
        return true;
    const family = ipFamily(host);
    const cidr = /^\[?([0-9a-f.:]+)\]?\/(\d{1,3})$/.exec(entry);
    if (cidr) {
        const blockFamily = ipFamily(cidr[1]);
        const prefix = Number(cidr[2]);
        if (!family || blockFamily !== family || prefix > (family === 'ipv4' ? 32 : 128))
            return false;
        const block = new external_node_net_.BlockList();
        block.addSubnet(cidr[1], prefix, blockFamily);
        return block.check(host, family);
    }
    const { host: name, port: entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port)
        return false;
    const entryFamily = ipFamily(name);
    if (entryFamily || family) {
        if (entryFamily !== family)
            return false;
        const address = new external_node_net_.BlockList();
        address.addAddress(name, entryFamily);
        return address.check(host, family);
    }
    const domain = name.replace(/^\*?\.+/, '').replace(/\.$/, '');
    if (!domain)
        return false;
    return host === domain || host.endsWith('.' + domain);
}
/** Whether NO_PROXY (its value) says that `url` is reached without the proxy. */
function bypassesProxy(url, noProxy) {
    const host = url.hostname
        .replace(/^\[|\]$/g, '')
        .toLowerCase()
        .replace(/\.$/, '');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return noProxy
        .split(/[\s,]+/)
        .filter(Boolean)
        .some((entry) => entryMatches(entry, host, port));
}

;// CONCATENATED MODULE: ./src/cluster/config.ts
/**
 * The kubeconfig of the connection settings, with the server, CA and insecure-skip-tls-verify of the settings and the
 * proxy of the environment applied. Nothing here sends a request.
 */








/** The certificate authority as client-node wants it: base64 of the PEM (accepts a PEM or an already base64 PEM). */
function caDataFromPem(ca) {
    const text = ca.replace(/\r\n/g, '\n').trim();
    if (text.includes('-----BEGIN'))
        return Buffer.from(text + '\n').toString('base64');
    const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN'))
        return text.replace(/\s+/g, '');
    throw new Error('certificate-authority: expected a PEM certificate ("-----BEGIN CERTIFICATE-----" …) or its base64');
}
/** The proxy for a server URL from HTTPS_PROXY / HTTP_PROXY and NO_PROXY (no-proxy.ts; client-node ignores them by itself). */
function proxyFor(server, env) {
    const url = new URL(server);
    const pick = (...names) => names
        .map((n) => env[n])
        .find((v) => v !== undefined && v.trim() !== '')
        ?.trim();
    const proxy = url.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy') : pick('HTTP_PROXY', 'http_proxy');
    if (!proxy)
        return undefined;
    const noProxy = pick('NO_PROXY', 'no_proxy');
    if (noProxy && bypassesProxy(url, noProxy))
        return undefined;
    return proxy;
}
/** A kubeconfig of one cluster, one user and one context. */
function singleKubeconfig(cluster, user, context = {}) {
    return new kubeconfig/* Kubeconfig */.Sb({
        clusters: [cluster],
        users: [user],
        contexts: [{ name: 'context', cluster: cluster.name, user: user.name, ...context }],
        currentContext: context.name ?? 'context'
    });
}
/** The service account of a runner inside the cluster (what client-node's loadFromCluster does, from `env`). */
function inClusterKubeconfig(env, serviceAccountDir) {
    const serviceHost = env.KUBERNETES_SERVICE_HOST;
    const host = serviceHost.includes(':') ? `[${serviceHost}]` : serviceHost;
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    const namespaceFile = external_node_path_default().join(serviceAccountDir, 'namespace');
    return singleKubeconfig({ name: 'in-cluster', server: `${['80', '8080', '8001'].includes(port) ? 'http' : 'https'}://${host}:${port}`, caFile: external_node_path_default().join(serviceAccountDir, 'ca.crt'), skipTLSVerify: false }, { name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: external_node_path_default().join(serviceAccountDir, 'token') } } }, { name: 'in-cluster', namespace: (0,external_node_fs_.existsSync)(namespaceFile) ? (0,external_node_fs_.readFileSync)(namespaceFile, 'utf8').trim() : undefined });
}
/** Where the credentials come from, in the order of loadConfig's rule, and the kubeconfig they make. */
function credentialsSource(conn, env, serviceAccountDir) {
    if (conn.token) {
        if (!conn.server)
            throw new Error('openshift-server is required with openshift-token');
        return { kc: singleKubeconfig({ name: 'cluster', server: conn.server, skipTLSVerify: false }, { name: 'user', token: conn.token }), source: 'token' };
    }
    if (conn.oidcAudience && conn.server) {
        // The bearer token comes from ClusterOptions.tokenProvider (a GitHub OIDC ID token for this audience).
        return { kc: singleKubeconfig({ name: 'cluster', server: conn.server, skipTLSVerify: false }, { name: 'oidc' }), source: `GitHub OIDC token for audience ${conn.oidcAudience}` };
    }
    if (conn.kubeconfig?.inline)
        return { kc: (0,kubeconfig_text/* loadKubeconfig */.iz)(conn.kubeconfig.inline, 'kubeconfig (inline)'), source: 'kubeconfig (inline)' };
    if (conn.kubeconfig?.path) {
        if (conn.kubeconfig.text === undefined && !(0,external_node_fs_.existsSync)(conn.kubeconfig.path))
            throw new Error(`kubeconfig: file not found: ${conn.kubeconfig.path}`);
        const source = `kubeconfig ${conn.kubeconfig.path}`;
        return { kc: (0,kubeconfig_text/* loadKubeconfig */.iz)(conn.kubeconfig.text ?? (0,external_node_fs_.readFileSync)(conn.kubeconfig.path, 'utf8'), source), source };
    }
    if (env.KUBERNETES_SERVICE_HOST && (0,external_node_fs_.existsSync)(external_node_path_default().join(serviceAccountDir, 'token')))
        return { kc: inClusterKubeconfig(env, serviceAccountDir), source: 'in-cluster service account' };
    const file = (0,kubeconfig/* defaultKubeconfigFiles */._q)(env, env.HOME || (0,external_node_os_.homedir)()).find((f) => (0,external_node_fs_.existsSync)(f));
    if (!file)
        throw new Error('No credentials for OpenShift: give openshift-token (with openshift-server) or a kubeconfig, or run inside the cluster');
    return { kc: (0,kubeconfig_text/* loadKubeconfig */.iz)((0,external_node_fs_.readFileSync)(file, 'utf8'), `kubeconfig ${file}`), source: `kubeconfig ${file}` };
}
/**
 * The kubeconfig of the connection settings: a token (with the server), else a kubeconfig (path or inline YAML,
 * as `oc login` writes it), else the in-cluster service account, else `$KUBECONFIG` / `~/.kube/config`.
 * The server, CA and insecure-skip-tls-verify of the settings override the kubeconfig's; proxies come from the
 * environment.
 */
function loadConfig(conn, env = process.env, serviceAccountDir = kubeconfig/* SERVICE_ACCOUNT_DIR */.Id) {
    const { kc, source } = credentialsSource(conn, env, serviceAccountDir);
    const context = kc.getContextObject(kc.getCurrentContext());
    const current = kc.getCurrentCluster();
    if (!current)
        throw new Error(`${source}: the current context names no cluster`);
    const server = (0,linear_text/* trimEndChar */.WP)(conn.server ?? current.server, '/');
    try {
        new URL(server);
    }
    catch {
        throw new Error(`openshift-server: not a URL: ${(0,server_url/* shownUrl */.zA)(server)}`);
    }
    const cluster = {
        ...current,
        server,
        // Plain http has no certificate to verify (client-node refuses http unless this is set).
        skipTLSVerify: conn.insecureSkipTlsVerify || current.skipTLSVerify || server.startsWith('http:'),
        ...(conn.certificateAuthority ? { caData: caDataFromPem(conn.certificateAuthority), caFile: undefined } : {}),
        proxyUrl: current.proxyUrl ?? proxyFor(server, env)
    };
    if (conn.insecureSkipTlsVerify) {
        delete cluster.caData;
        delete cluster.caFile;
    }
    const user = kc.getCurrentUser();
    const contextName = context?.name ?? 'context';
    const rebuilt = new kubeconfig/* Kubeconfig */.Sb({
        clusters: [cluster],
        users: user ? [user] : [{ name: 'user' }],
        contexts: [{ name: contextName, cluster: cluster.name, user: user?.name ?? 'user', namespace: context?.namespace }],
        currentContext: contextName
    });
    return { kubeConfig: rebuilt, server, namespace: context?.namespace, source };
}

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/shared/mask.ts
var mask = __webpack_require__(5249);
// EXTERNAL MODULE: ./src/shared/version.ts
var version = __webpack_require__(9189);
;// CONCATENATED MODULE: ./src/cluster/forward-proxy.ts
/**
 * A plain-http API server behind an HTTP proxy: requests go to the proxy in absolute form
 * (`GET http://host:port/path`), as curl, kubectl and client-node do, instead of a CONNECT tunnel. https servers
 * keep using undici's ProxyAgent tunnel.
 *
 * Why not undici's own `ProxyAgent({ proxyTunnel: false })` (undici 6.29.1, lib/dispatcher/proxy-agent.js): it sends
 * the absolute form only when both the proxy and the server are `http:` (`protocol === 'http:' &&
 * this[kProxy].protocol === 'http:'`); an `https://` proxy in front of a plain-http server is still tunnelled, which
 * a forward-only proxy refuses. This dispatcher covers both proxy schemes with one Pool to the proxy (its `connect`
 * options carry the proxy's TLS settings).
 */

class ForwardProxyDispatcher extends undici/* Dispatcher */.mk {
    pool;
    origin;
    proxyHeaders = {};
    constructor(proxyUrl, connect) {
        super();
        const proxy = new URL(proxyUrl);
        this.origin = proxy.origin;
        this.pool = new undici/* Pool */.bC(proxy.origin, { connect });
        if (proxy.username || proxy.password)
            this.proxyHeaders['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    }
    dispatch(options, handler) {
        const target = new URL(options.path, options.origin);
        const headers = { ...options.headers, ...this.proxyHeaders, host: target.host };
        return this.pool.dispatch({ ...options, origin: this.origin, path: target.href, headers }, handler);
    }
    close() {
        return this.pool.close();
    }
    destroy() {
        return this.pool.destroy();
    }
}

;// CONCATENATED MODULE: ./src/cluster/credentials.ts
/**
 * The credentials and the connection of a kubeconfig's current context, applied as `KubeConfig` of
 * `@kubernetes/client-node` applies them (its `applyHTTPSOptions` / `applyAuthorizationHeader`): CA, client
 * certificate and key (file or base64 data), `insecure-skip-tls-verify`, `tls-server-name`, basic auth,
 * impersonation, a bearer token, and client-node's own authenticators (exec plugin, token file) for a
 * user that needs one, loaded only then.
 *
 * The undici dispatcher (connection pool, TLS, proxy) is made once per client and owned here: one pool for the
 * whole run, closed by `close()`. undici is the one `@actions/core` already loads (its HTTP client), so a request
 * costs no second HTTP stack.
 */



/** File wins over data; data is base64 (client-node's bufferFromFileOrString). */
function fileOrData(file, data) {
    if (file)
        return (0,external_node_fs_.readFileSync)(file);
    if (data)
        return Buffer.from(data, 'base64');
    return undefined;
}
/** TLS options of the connection to the API server. */
function tlsOptions(cluster, user) {
    const tls = {};
    if (!user)
        return tls;
    if (cluster.skipTLSVerify)
        tls.rejectUnauthorized = false;
    if (cluster.tlsServerName)
        tls.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    if (ca)
        tls.ca = ca;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert)
        tls.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key)
        tls.key = key;
    return tls;
}
/**
 * The authenticators of client-node for a kubeconfig user: exec plugins and token files. Its `azure`, `gcp` and
 * `oidc` auth-providers are not among them: kubectl itself dropped them for exec plugins (kubelogin,
 * gke-gcloud-auth-plugin), and they would bring JSONPath, OpenID and the whole generated client into the bundle.
 */
async function loadAuthenticators(user) {
    const provider = user.authProvider?.name;
    const config = user.authProvider?.config;
    if (user.authProvider && !config?.tokenFile && !config?.exec && provider !== 'exec')
        throw new Error(`kubeconfig user ${user.name}: the ${provider} auth-provider is not supported; use an exec credential plugin (kubelogin, gke-gcloud-auth-plugin), openshift-token or oidc-audience`);
    const [{ ExecAuth }, { FileAuth }] = await Promise.all([__webpack_require__.e(/* import() */ 497).then(__webpack_require__.bind(__webpack_require__, 3497)), __webpack_require__.e(/* import() */ 371).then(__webpack_require__.bind(__webpack_require__, 5752))]);
    return [new ExecAuth(), new FileAuth()];
}
class Credentials {
    cluster;
    user;
    authenticator;
    dispatcher;
    closed = false;
    constructor(cluster, user) {
        this.cluster = cluster;
        this.user = user;
    }
    /** Headers that authenticate one request (an exec or token-file credential is refreshed as it expires). */
    async headers() {
        const user = this.user;
        const headers = {};
        if (!user)
            return headers;
        if (user.username)
            headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
        if (user.impersonateUser != null)
            headers['Impersonate-User'] = user.impersonateUser;
        if (user.exec || user.authProvider) {
            this.authenticator ??= loadAuthenticators(user).then((list) => list.find((a) => a.isAuthProvider(user)));
            const authenticator = await this.authenticator;
            if (authenticator)
                await authenticator.applyAuthentication(user, { headers });
        }
        if (user.token)
            headers.Authorization = `Bearer ${user.token}`;
        return headers;
    }
    /** The connection pool of the run (made at the first request). */
    async pool() {
        if (this.dispatcher)
            return this.dispatcher;
        if (this.closed)
            throw new Error('the connection to the cluster is closed');
        const { server, proxyUrl, skipTLSVerify } = this.cluster;
        if (!proxyUrl && server.startsWith('http:') && !skipTLSVerify)
            throw new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false');
        const tls = tlsOptions(this.cluster, this.user);
        // 30 s keep-alive probes, as client-go (a cloud load balancer may drop an idle connection at 60 s).
        const keepAlive = { keepAlive: true, keepAliveInitialDelay: 30000 };
        if (proxyUrl && !/^https?:/i.test(proxyUrl))
            throw new Error(`proxy ${new URL(proxyUrl).protocol}//${new URL(proxyUrl).host}: only http:// and https:// proxies are supported (HTTPS_PROXY, HTTP_PROXY or the kubeconfig's proxy-url)`);
        if (proxyUrl && server.startsWith('http:'))
            this.dispatcher = new ForwardProxyDispatcher(proxyUrl, keepAlive);
        else if (proxyUrl)
            this.dispatcher = new undici/* ProxyAgent */.kT({ uri: proxyUrl, requestTls: tls, connect: keepAlive });
        else
            this.dispatcher = new undici/* Agent */.g6({ connect: { ...tls, ...keepAlive } });
        return this.dispatcher;
    }
    /**
     * Close the connections: gracefully when that settles within `graceMs`, else they are destroyed. undici 6's
     * `Agent.close()` waits for every request still running (a followed log never ends by itself) and, after a TLS
     * failure while other requests were pending, never settles at all; nothing awaits a close that may not end.
     * Later requests get no new pool (see `pool`).
     */
    async close(graceMs = 1000) {
        const d = this.dispatcher;
        this.dispatcher = undefined;
        this.closed = true;
        if (!d)
            return;
        const within = (promise) => {
            let timer;
            const late = new Promise((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
            return Promise.race([
                promise.then(() => true, () => true),
                late
            ]).finally(() => clearTimeout(timer));
        };
        if (!(await within(d.close())))
            await within(d.destroy());
    }
}

;// CONCATENATED MODULE: ./src/cluster/failures.ts
/**
 * What the failures of a request say, built from what the request was and what came back: the access a request
 * asks for as RBAC names it (for a 403), the error of a server that could not be reached or did not answer, and a
 * server's answer with every known credential taken out. Pure: no I/O.
 */




/** `30 s`, `0.5 s` */
function secondsText(ms) {
    const seconds = ms / 1000;
    return `${seconds >= 1 ? Math.round(seconds) : seconds} s`;
}
/** `value` (a text, or parsed JSON) with every one of `secrets` replaced by `***` in every string it holds. */
function scrubbed(value, secrets) {
    if (typeof value === 'string')
        return (0,mask/* redact */.E$)(value, secrets);
    if (Array.isArray(value))
        return value.map((v) => scrubbed(v, secrets));
    if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubbed(v, secrets)]));
    return value;
}
/** The user info of a proxy URL, and the Basic credential undici makes of it (a proxy's error page may echo either). */
function proxyCredentials(proxyUrl) {
    if (!proxyUrl)
        return [];
    const found = (0,mask/* urlCredentials */.O4)(proxyUrl);
    try {
        const url = new URL(proxyUrl);
        if (url.password)
            found.push(Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64'));
    }
    catch {
        /* not a URL: the connection fails with its own message */
    }
    return found;
}
/** What a request asks for, as RBAC names it (`create` `buildconfigs/instantiate`); undefined for discovery. */
function requestAccess(spec, namespace) {
    if (!spec.resource)
        return undefined;
    const watch = String(spec.query?.watch) === 'true';
    const verbs = { GET: watch ? 'watch' : spec.name === undefined ? 'list' : 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
    return {
        verb: verbs[spec.verb],
        resource: spec.subresource ? `${spec.resource}/${spec.subresource}` : spec.resource,
        group: GROUP_NAMES[spec.group],
        namespace: spec.namespaced !== false ? namespace : undefined
    };
}
/** The error of a request that got no answer: the server, why (no answer in time, TLS, network), what to do. */
function unreachableError(request, server, failure) {
    const { code, message, timeoutMs, attempts } = failure;
    let text;
    if (timeoutMs !== undefined)
        text = `${request} failed: ${server} did not answer within ${secondsText(timeoutMs)}${attempts > 1 ? ` (${attempts} attempts)` : ''}: check that openshift-server is the address of the API server and that it is up (the time limit of one request is ${REQUEST_TIMEOUT_VARIABLE}, default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})`;
    else {
        const tls = tlsProblem(code, message, { host: new URL(server).hostname, certificateNames: failure.certificateNames });
        text = `${request} failed: could not reach ${server}: ${tls ?? `${code ? code + ': ' : ''}${message}`}`;
    }
    return new ClusterError(text, { request, code, ambiguous: !failure.notSent, cause: failure.error });
}

;// CONCATENATED MODULE: ./src/cluster/stream.ts
/** Response bodies read as they come: a byte stream whose breaks are ClusterErrors, and watch events line by line. */

/** The chunks of a response body (a Node stream); a break is a ClusterError (its message passed through `clean`: no credential). */
async function* wrapStream(body, request, clean = (text) => text) {
    const chunks = body[Symbol.asyncIterator]();
    try {
        for (;;) {
            let result;
            try {
                result = await chunks.next();
            }
            catch (error) {
                if (error instanceof Error && ['AbortError', 'TimeoutError', 'ClientClosedError'].includes(error.name))
                    throw error;
                const cause = networkCause(error);
                throw new ClusterError(`${request}: the stream broke: ${cause.code ? cause.code + ': ' : ''}${clean(cause.message)}`, {
                    request,
                    code: cause.code ?? 'STREAM',
                    ambiguous: true,
                    cause: error
                });
            }
            if (result.done)
                return;
            yield result.value;
        }
    }
    finally {
        body.destroy();
    }
}
/**
 * The events of a watch response (one JSON object a line; a line that is not JSON is skipped). `onChunk` is called
 * for each chunk (the caller's inactivity timer). An in-stream ERROR event is thrown as a ClusterError with its code
 * (its Status passed through `clean`: no credential).
 */
async function* watchEvents(chunks, request, onChunk, clean = (status) => status) {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of chunks) {
        onChunk();
        buffer += decoder.decode(chunk, { stream: true });
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line)
                continue;
            let event;
            try {
                event = JSON.parse(line);
            }
            catch {
                continue;
            }
            if (event.type === 'ERROR') {
                const status = clean(event.object);
                throw statusError(request, status.code ?? 500, status, undefined, false);
            }
            yield event;
        }
    }
}

;// CONCATENATED MODULE: ./src/cluster/client.ts
/**
 * The client: builds every URL, sends every request over one undici connection pool with the kubeconfig's
 * credentials (credentials.ts), retries what is safe to retry (retry.ts), and turns failures into errors that name
 * the request (errors.ts). Nothing here prints, and nothing here ever puts a credential into an error or a debug line.
 */











/** The transport: URLs, credentials, retries, time limits, errors and watches. Typed calls: resources.ts (Cluster). */
class ClusterClient {
    server;
    ns;
    retry;
    requestTimeoutMs;
    userAgent;
    debugLog;
    wait;
    credentials;
    tokenProvider;
    tokenLifetimeMs;
    token;
    /**
     * Credentials this client sends (and those it was given), taken out of every message built from a library's or a
     * server's text: a server may echo what it was sent in an error.
     */
    sentSecrets;
    /** Aborted by `close()`: every request still running ends, and no new one starts. */
    closed = new AbortController();
    constructor(kubeConfig, options = {}) {
        const cluster = kubeConfig.getCurrentCluster();
        if (!cluster)
            throw new Error('kubeconfig: no current cluster');
        const user = kubeConfig.getCurrentUser();
        this.credentials = new Credentials(cluster, user);
        this.sentSecrets = [...(0,kubeconfig/* userCredentials */.CO)(user), ...(0,mask/* urlCredentials */.O4)(cluster.server), ...proxyCredentials(cluster.proxyUrl)].filter((v) => v.length > 3);
        this.server = (0,linear_text/* trimEndChar */.WP)(cluster.server, '/');
        const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
        this.ns = options.namespace ?? context?.namespace ?? undefined;
        this.retry = { ...DEFAULT_RETRY, ...options.retry };
        this.requestTimeoutMs = options.requestTimeoutMs ?? requestTimeoutFromEnv(options.env ?? process.env) ?? DEFAULT_REQUEST_TIMEOUT_MS;
        this.userAgent = options.userAgent ?? `osbs-build-action/${version/* VERSION */.x}`;
        this.debugLog = options.debug ?? (() => { });
        this.wait = options.sleep ?? sleep;
        this.tokenProvider = options.tokenProvider;
        this.tokenLifetimeMs = options.tokenLifetimeMs ?? 4 * 60_000;
    }
    get namespace() {
        if (!this.ns)
            throw new Error('No namespace: give the namespace input or a kubeconfig context with a namespace');
        return this.ns;
    }
    /**
     * The end of the client, so that the process can end: requests still running (a log stream, a read nobody waits
     * for any more) are aborted, later ones fail with ClientClosedError, and the connections are closed — within a
     * bounded time (see Credentials.close: undici's close may never settle after a TLS failure).
     */
    async close() {
        this.closed.abort(new ClientClosedError());
        await this.credentials.close();
    }
    /** A library's error message without any credential (a header error quotes the header's value). */
    safeMessage(message) {
        if (/invalid header value|header value/i.test(message))
            return 'a request header could not be built: a credential holds a character an HTTP header cannot carry (a line break or a control character)';
        return (0,mask/* redact */.E$)(message, this.sentSecrets);
    }
    /** A server's answer (text, or parsed JSON) with every credential this client knows replaced by `***`. */
    scrub(value) {
        return scrubbed(value, this.sentSecrets);
    }
    /** `GET builds/foo in namespace ns` */
    describe(spec) {
        const what = spec.resource ? [spec.resource, spec.name, spec.subresource].filter(Boolean).join('/') : GROUP_PATHS[spec.group];
        const ns = spec.resource && spec.namespaced !== false && this.ns ? ` in namespace ${this.ns}` : '';
        return `${spec.verb} ${what}${ns}`;
    }
    /** The API URL of a namespaced object, e.g. a build (for people: the build-url output). */
    objectUrl(group, resource, name) {
        return this.url({ verb: 'GET', group, resource, name });
    }
    url(spec) {
        let p = GROUP_PATHS[spec.group];
        if (spec.resource) {
            if (spec.namespaced !== false)
                p += `/namespaces/${encodeURIComponent(this.namespace)}`;
            p += `/${spec.resource}`;
            if (spec.name !== undefined)
                p += `/${encodeURIComponent(spec.name)}`;
            if (spec.subresource)
                p += `/${spec.subresource}`;
        }
        return this.server + p;
    }
    /** The headers of one request: what it is, and its credentials (a fresh OIDC token when the last one is old). */
    async headers(spec) {
        const headers = { Accept: 'application/json, */*', 'User-Agent': this.userAgent };
        if (spec.body !== undefined)
            headers['Content-Type'] = spec.contentType ?? 'application/json';
        Object.assign(headers, await this.credentials.headers());
        if (this.tokenProvider) {
            if (!this.token || Date.now() - this.token.at > this.tokenLifetimeMs)
                this.token = { value: await this.tokenProvider(), at: Date.now() };
            headers.Authorization = `Bearer ${this.token.value}`;
        }
        // Whatever credential is sent (a token from a file or an exec plugin, Basic user:password) is one to redact.
        const credential = headers.Authorization?.replace(/^\S+\s+/, '');
        if (credential && credential.length > 3 && !this.sentSecrets.includes(credential))
            this.sentSecrets.push(credential);
        return headers;
    }
    fullUrl(spec) {
        const url = new URL(this.url(spec));
        for (const [key, value] of Object.entries(spec.query ?? {}))
            if (value !== undefined)
                url.searchParams.set(key, String(value));
        return url.toString();
    }
    /**
     * Send one request, with the retry rules: transient failures (connection reset, 429, 500, 502, 503, 504) of
     * idempotent requests are retried with capped exponential backoff and jitter (Retry-After honoured); a
     * non-idempotent request is only retried when it certainly did not reach the server (connection refused, 429).
     * Returns the response with its body unread when `stream`, else its text.
     */
    async send(spec, stream) {
        const idempotent = spec.idempotent ?? spec.verb !== 'POST';
        const request = this.describe(spec);
        let timeouts = 0;
        for (let attempt = 0;; attempt++) {
            if (this.closed.signal.aborted)
                throw new ClientClosedError(request);
            const last = attempt + 1 >= this.retry.attempts;
            const controller = new AbortController();
            const signals = [controller.signal, this.closed.signal, ...(spec.signal ? [spec.signal] : [])];
            const timer = stream ? undefined : setTimeout(() => controller.abort(new TimeoutError()), this.requestTimeoutMs);
            let status;
            let headers;
            let text;
            let body;
            try {
                const init = {
                    headers: await this.headers(spec),
                    body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
                    signal: AbortSignal.any(signals),
                    dispatcher: await this.credentials.pool()
                };
                if (stream) {
                    // A stream's body (a followed log, a watch) is read as undici's Node stream rather than fetch's web stream:
                    // measured, reading a 1M-line log costs 27 % less CPU (no promise and web-stream step per chunk).
                    const res = await (0,undici/* request */.Em)(this.fullUrl(spec), { ...init, method: spec.verb });
                    status = res.statusCode;
                    headers = {};
                    for (const [name, value] of Object.entries(res.headers))
                        if (value !== undefined)
                            headers[name] = Array.isArray(value) ? value.join(', ') : value;
                    if (status >= 200 && status < 300)
                        body = res.body;
                    else
                        text = await res.body.text();
                }
                else {
                    const res = await (0,undici/* fetch */.hd)(this.fullUrl(spec), { ...init, method: spec.verb });
                    status = res.status;
                    headers = {};
                    res.headers.forEach((value, name) => (headers[name] = value));
                    text = await res.text();
                }
                if (status >= 300)
                    text = this.scrub(text);
            }
            catch (error) {
                clearTimeout(timer);
                if (spec.signal?.aborted)
                    throw spec.signal.reason ?? error;
                if (this.closed.signal.aborted)
                    throw new ClientClosedError(request);
                const cause = networkCause(error);
                const timedOut = controller.signal.aborted;
                if (timedOut)
                    timeouts++;
                const code = timedOut ? 'TIMEOUT' : cause.code;
                const transient = timedOut || (code !== undefined && NETWORK_CODES.has(code)) || /terminated|other side closed/i.test(cause.message);
                const notSent = code !== undefined && NOT_SENT_CODES.has(code);
                const detail = timedOut ? `no answer within ${secondsText(this.requestTimeoutMs)}` : `${code ? code + ': ' : ''}${this.safeMessage(cause.message)}`;
                if (transient && (idempotent || notSent) && !last && timeouts < TIMEOUT_ATTEMPTS) {
                    const delay = backoffDelay(attempt, this.retry);
                    this.debugLog(`${request}: ${detail}; retrying in ${delay} ms`);
                    await this.wait(delay, spec.signal);
                    continue;
                }
                throw unreachableError(request, this.server, {
                    ...cause,
                    message: this.safeMessage(cause.message),
                    code,
                    timeoutMs: timedOut ? this.requestTimeoutMs : undefined,
                    attempts: attempt + 1,
                    notSent,
                    error
                });
            }
            clearTimeout(timer);
            if (status >= 200 && status < 300)
                return { status, headers, text, body };
            const statusObject = this.scrub(parseStatus(text));
            if (RETRY_STATUSES.has(status) && (idempotent || status === 429) && !last) {
                const retryAfter = parseRetryAfter(headers['retry-after']);
                const delay = retryAfter !== undefined ? Math.min(retryAfter, this.retry.maxRetryAfterMs) : backoffDelay(attempt, this.retry);
                this.debugLog(`${request}: ${status} ${statusObject?.reason ?? ''}; retrying in ${delay} ms`);
                await this.wait(delay, spec.signal);
                continue;
            }
            // 401 and 403 are never retried: the same credentials get the same answer.
            throw statusError(request, status, statusObject, text, !idempotent && status >= 500, requestAccess(spec, this.ns));
        }
    }
    /** Send a request and parse its JSON answer. */
    async request(spec) {
        const res = await this.send(spec, false);
        if (!res.text)
            return undefined;
        try {
            return JSON.parse(res.text);
        }
        catch {
            throw new ClusterError(`${this.describe(spec)}: the server answered ${res.status} with a body that is not JSON`, {
                request: this.describe(spec),
                status: res.status
            });
        }
    }
    /** Send a request and return the body as a byte stream (the log). */
    async stream(spec) {
        const res = await this.send(spec, true);
        if (!res.body)
            return (async function* () { })();
        return wrapStream(res.body, this.describe(spec), (text) => this.safeMessage(text));
    }
    /**
     * One watch connection on a collection (`?watch=true`): yields events until the server closes the stream, the
     * connection drops (throws ClusterError), or nothing arrives for `inactivityMs` (ends quietly: re-watch).
     * An in-stream 410 ERROR event is thrown as a ClusterError with status 410.
     */
    async *watch(group, resource, query, options = {}) {
        const inactivity = new AbortController();
        const signal = options.signal ? AbortSignal.any([options.signal, inactivity.signal]) : inactivity.signal;
        const spec = {
            verb: 'GET',
            group,
            resource,
            query: { watch: 'true', ...query, allowWatchBookmarks: 'true' },
            signal
        };
        const request = this.describe(spec) + ' (watch)';
        const inactivityMs = options.inactivityMs ?? 60000;
        let timer;
        const arm = (ms = inactivityMs) => {
            clearTimeout(timer);
            timer = setTimeout(() => inactivity.abort(new TimeoutError()), ms);
        };
        // The server answers a watch at once (its events come later): no answer in the time of a request is a failure.
        const answerMs = Math.min(this.requestTimeoutMs, inactivityMs);
        arm(answerMs);
        try {
            let chunks;
            try {
                chunks = await this.stream(spec);
            }
            catch (error) {
                if (inactivity.signal.aborted && !options.signal?.aborted)
                    throw new ClusterError(`${request} failed: ${this.server} did not answer within ${secondsText(answerMs)}`, { request, code: 'TIMEOUT', ambiguous: true });
                throw error;
            }
            arm();
            try {
                for await (const event of watchEvents(chunks, request, () => arm(), (status) => this.scrub(status)))
                    yield event;
            }
            catch (error) {
                if (error instanceof ClusterError && error.status !== undefined)
                    throw error;
                if (options.signal?.aborted)
                    throw options.signal.reason ?? error;
                if (inactivity.signal.aborted)
                    return;
                throw error;
            }
        }
        finally {
            clearTimeout(timer);
            inactivity.abort();
        }
    }
}

;// CONCATENATED MODULE: ./src/cluster/resources.ts
/**
 * The typed calls the action makes, one per request kind, over the transport of client.ts: discovery, the console,
 * Secrets, BuildConfigs, Builds (instantiate, cancel, log), ImageStreams and their tags, who the account is and what
 * it may do.
 */





class Cluster extends ClusterClient {
    /** A client from the action's connection settings (see `loadConfig`). */
    static fromSettings(conn, options = {}) {
        const loaded = loadConfig(conn, options.env ?? process.env);
        options.debug?.(`cluster ${loaded.server} (credentials: ${loaded.source})`);
        return new Cluster(loaded.kubeConfig, { ...options, namespace: options.namespace ?? loaded.namespace });
    }
    /** SPEC §6.1: the first request. Fails with a plain message when the server is not OpenShift. */
    async checkBuildApi(signal) {
        try {
            const doc = await this.request({ verb: 'GET', group: 'build', signal });
            if (!doc?.resources?.some((r) => r.name === 'buildconfigs'))
                throw new Error(`${this.server} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`);
        }
        catch (error) {
            if (error instanceof ClusterError && error.status === 404)
                throw new ClusterError(`${this.server} does not serve build.openshift.io/v1 — is it an OpenShift cluster?`, {
                    request: error.request,
                    status: 404
                });
            throw error;
        }
    }
    /**
     * The web console's URL, when the cluster publishes it (OpenShift 4: ConfigMap `console-public` in
     * `openshift-config-managed`, what `oc whoami --show-console` reads); undefined otherwise.
     */
    async consoleUrl(signal) {
        try {
            const cm = await this.request({
                verb: 'GET',
                group: 'core',
                resource: 'namespaces',
                name: 'openshift-config-managed',
                subresource: 'configmaps/console-public',
                namespaced: false,
                signal
            });
            const url = cm?.data?.consoleURL?.trim();
            return url && /^https?:\/\//.test(url) ? (0,linear_text/* trimEndChar */.WP)(url, '/') : undefined;
        }
        catch (error) {
            if (error instanceof ClusterError && error.status !== undefined && error.status < 500)
                return undefined;
            throw error;
        }
    }
    /**
     * Where a person looks at a build: its page in the web console when the cluster has one, else its API URL.
     * `consoleUrl`: the console URL when it was asked for already.
     */
    async buildPageUrl(name, signal, consoleUrl) {
        const console = await (consoleUrl ?? this.consoleUrl(signal)).catch(() => undefined);
        return console ? `${console}/k8s/ns/${encodeURIComponent(this.namespace)}/builds/${encodeURIComponent(name)}` : this.objectUrl('build', 'builds', name);
    }
    /**
     * Whether the account may create builds of the Custom strategy here (what OpenShift's admission plugin
     * BuildByStrategy checks): a SelfSubjectAccessReview, as `kubectl auth can-i create builds/custom` sends it.
     * Undefined when the server does not answer the review (404: not served; 403: the account may not ask; or an
     * error after the retries): then the writes are tried, and their own 403 says what is missing.
     */
    async mayCreateCustomBuilds(signal) {
        try {
            const review = await this.request({
                verb: 'POST',
                group: 'authorization',
                resource: 'selfsubjectaccessreviews',
                namespaced: false,
                body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: customStrategyAccess(this.namespace) } },
                // a question, not a write: asking again changes nothing
                idempotent: true,
                signal
            });
            return review?.status?.allowed === true;
        }
        catch (error) {
            if (error instanceof ClusterError && error.status !== undefined && error.status >= 400) {
                this.debugLog(`${error.message}; the permission for Custom builds is not checked beforehand`);
                return undefined;
            }
            throw error;
        }
    }
    /** The account's name (`users/~`, as `oc whoami` and osbs-client read it); undefined when the server does not say. */
    async accountName(signal) {
        try {
            const user = await this.request({ verb: 'GET', group: 'user', resource: 'users', name: '~', namespaced: false, signal });
            return user?.metadata?.name || undefined;
        }
        catch (error) {
            if (signal?.aborted)
                throw error;
            return undefined;
        }
    }
    getSecret(name, signal) {
        return this.request({ verb: 'GET', group: 'core', resource: 'secrets', name, signal });
    }
    async getBuildConfig(name, signal) {
        try {
            return await this.request({ verb: 'GET', group: 'build', resource: 'buildconfigs', name, signal });
        }
        catch (error) {
            if (isNotFound(error))
                return undefined;
            throw error;
        }
    }
    createBuildConfig(body, signal) {
        return this.request({ verb: 'POST', group: 'build', resource: 'buildconfigs', name: undefined, body, signal });
    }
    /** PUT: the body carries the resourceVersion it was read at (409 when someone wrote in between). */
    replaceBuildConfig(body, signal) {
        return this.request({ verb: 'PUT', group: 'build', resource: 'buildconfigs', name: body.metadata.name, body, signal });
    }
    listBuilds(query, signal) {
        return this.request({ verb: 'GET', group: 'build', resource: 'builds', query, signal });
    }
    /** POST builds: a Build without a BuildConfig (scratch, isolated). Never re-sent once it may have reached the server. */
    createBuild(body, signal) {
        return this.request({ verb: 'POST', group: 'build', resource: 'builds', body, signal });
    }
    getBuild(name, signal) {
        return this.request({ verb: 'GET', group: 'build', resource: 'builds', name, signal });
    }
    getImageStream(name, signal) {
        return this.request({ verb: 'GET', group: 'image', resource: 'imagestreams', name, signal });
    }
    /** The ImageStream, or undefined when it does not exist. */
    async findImageStream(name, signal) {
        try {
            return await this.getImageStream(name, signal);
        }
        catch (error) {
            if (isNotFound(error))
                return undefined;
            throw error;
        }
    }
    /** POST: never re-sent once it may have reached the server (the caller looks for the stream first). */
    createImageStream(body, signal) {
        return this.request({ verb: 'POST', group: 'image', resource: 'imagestreams', body, signal });
    }
    /** PUT: the body carries the resourceVersion it was read at (409 when someone wrote in between). */
    replaceImageStream(body, signal) {
        return this.request({ verb: 'PUT', group: 'image', resource: 'imagestreams', name: body.metadata.name, body, signal });
    }
    getImageStreamTag(name, signal) {
        return this.request({ verb: 'GET', group: 'image', resource: 'imagestreamtags', name, signal });
    }
    /** POST buildconfigs/<bc>/instantiate. Never retried once it may have reached the server (see flow/start). */
    instantiate(buildConfig, buildRequest, signal) {
        return this.request({
            verb: 'POST',
            group: 'build',
            resource: 'buildconfigs',
            name: buildConfig,
            subresource: 'instantiate',
            body: buildRequest,
            signal
        });
    }
    /**
     * Cancel a build: merge-patch `status.cancelled=true` (what `oc cancel-build` does); when the server refuses the
     * patch, GET and PUT the build back with the flag (osbs-client's way), retrying on conflict.
     */
    async cancelBuild(name, signal) {
        try {
            return await this.request({
                verb: 'PATCH',
                group: 'build',
                resource: 'builds',
                name,
                body: { status: { cancelled: true } },
                contentType: 'application/merge-patch+json',
                signal
            });
        }
        catch (error) {
            if (!(error instanceof ClusterError) || ![400, 405, 415, 422].includes(error.status ?? 0))
                throw error;
            this.debugLog(`${error.message}; cancelling with GET and PUT`);
        }
        for (let attempt = 0;; attempt++) {
            const build = await this.getBuild(name, signal);
            build.status = { ...(build.status ?? {}), cancelled: true };
            try {
                return await this.request({ verb: 'PUT', group: 'build', resource: 'builds', name, body: build, signal });
            }
            catch (error) {
                if (!isConflict(error) || attempt >= 4)
                    throw error;
            }
        }
    }
    /** GET builds/<name>/log as a byte stream. */
    buildLog(name, query, signal) {
        return this.stream({
            verb: 'GET',
            group: 'build',
            resource: 'builds',
            name,
            subresource: 'log',
            query: { ...query },
            signal
        });
    }
}

;// CONCATENATED MODULE: ./src/cluster/id-token.ts
/**
 * A GitHub OIDC ID token for one audience, fetched once per run and again only shortly before it expires. The
 * requests of a run go out together (the first reads): they share one fetch in flight instead of each fetching.
 */
/** Fetch again this long before the token's `exp`, so that no request carries a token that expires on the way. */
const ID_TOKEN_EXPIRY_MARGIN_MS = 60_000;
/**
 * How often the client asks the cache again (its `tokenLifetimeMs`): shorter than the margin, so that the client
 * never holds a token past `exp - margin + this`.
 */
const ID_TOKEN_RECHECK_MS = 30_000;
/** How long a token without a readable `exp` claim is used (GitHub's ID tokens carry one). */
const ID_TOKEN_FALLBACK_LIFETIME_MS = 4 * 60_000;
/** The `exp` claim of a JWT in milliseconds, or undefined when the token is not a JWT with a numeric `exp`. */
function jwtExpiry(token) {
    const payload = token.split('.')[1];
    if (!payload)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
    }
    catch {
        return undefined;
    }
}
function cachedIdToken(fetchToken, now = Date.now) {
    let current;
    let pending;
    return async () => {
        if (current && now() < current.refreshAt)
            return current.value;
        pending ??= fetchToken()
            .then((value) => {
            const fetched = now();
            const expiry = jwtExpiry(value);
            current = { value, refreshAt: expiry !== undefined ? expiry - ID_TOKEN_EXPIRY_MARGIN_MS : fetched + ID_TOKEN_FALLBACK_LIFETIME_MS };
            return value;
        })
            .finally(() => {
            pending = undefined;
        });
        return pending;
    };
}

;// CONCATENATED MODULE: ./src/cluster/connect.ts


/** The client for the action's settings: namespace from the settings, OIDC tokens fetched (and masked) as needed. */
function connectCluster(settings, hooks = {}) {
    const { connection } = settings;
    const audience = connection.oidcAudience;
    const getIdToken = hooks.getIdToken;
    const tokenProvider = audience && !connection.token && getIdToken
        ? cachedIdToken(async () => {
            const token = await getIdToken(audience);
            hooks.setSecret?.(token);
            return token;
        })
        : undefined;
    if (audience && !connection.token && !getIdToken)
        throw new Error('oidc-audience is set, but no way to get an OIDC token was given');
    return Cluster.fromSettings(connection, {
        namespace: settings.namespace,
        env: hooks.env,
        debug: hooks.debug,
        tokenProvider,
        tokenLifetimeMs: ID_TOKEN_RECHECK_MS
    });
}

;// CONCATENATED MODULE: ./src/cluster/index.ts
/**
 * The cluster room's public face: the one place that talks to the cluster. Its parts, each with one job, are in
 * cluster/: types, errors (Status mapping, TLS reasons), failures (what a failed request says, without
 * credentials), retry (and the time limit of a request), kubeconfig (reading one, finding one), config (the
 * kubeconfig of the settings, with CA and proxy), no-proxy (NO_PROXY as curl and kubectl read it), credentials
 * (applied as client-node applies them; the connection pool), client (URLs, requests, watches), stream (response
 * bodies, watch events), connect (the client for the action's settings), custom-strategy (the permission Custom builds need, in words),
 * dispatcher (the same proxy handling for a request to another server: the commit status, the Koji hub).
 */










// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/report/outputs.ts + 1 modules
var outputs = __webpack_require__(8157);
;// CONCATENATED MODULE: ./src/report/summary.ts

/** One line on the built image's ImageStream: what it follows, and whether the import went through. */
function imageStreamCell(update) {
    const tags = update.tags.map((t) => t.tag).join(', ');
    const what = `${code(update.name)} ${update.created ? 'created' : 'updated'}: ${tags} from ${code(update.repository)}`;
    return cell(update.problem ? `⚠️ ${update.problem.split('\n')[0]}` : `${what}, imported`);
}
/** What a Build posted directly is, in the summary. */
const KIND_ROW = {
    scratch: 'scratch build: no BuildConfig, no trigger, no ImageStream; only the unique tag is pushed',
    isolated: 'isolated build: no BuildConfig, no trigger, no ImageStream; only `<version>-<release>` and the unique tag are pushed'
};
const KIND_TITLE = { v1: 'v1 registry', v2: 'v2 registry', pulp: 'Pulp' };
/** Markdown table cells: no pipes or newlines. */
function cell(text) {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
function code(text) {
    return text ? '`' + text.replace(/`/g, "'") + '`' : '';
}
/** The Koji build koji_promote made: its NVR, linked to Koji's web UI when koji-web-url is set, and its id. */
function kojiCell(facts) {
    const { buildId, nvr, buildUrl } = facts.koji;
    if (!buildId)
        return undefined;
    const name = nvr ? code(nvr) : `build ${buildId}`;
    return `${buildUrl ? `[${name}](${buildUrl})` : name}${nvr ? ` (build ${buildId})` : ''}`;
}
function formatDuration(seconds) {
    if (seconds === undefined || !Number.isFinite(seconds))
        return '';
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = Math.round(seconds % 60);
    return h ? `${h}h ${m}m ${s}s` : m ? `${m}m ${s}s` : `${s}s`;
}
function renderSummary(input) {
    const { facts } = input;
    const ok = (facts.phase === 'Complete' || input.notWaited === true) && !input.failure;
    const lines = [];
    const mark = input.notWaited && !input.failure ? '⏳' : ok ? '✅' : '❌';
    lines.push(`## ${mark} OpenShift build ${facts.buildName || facts.buildConfig}: ${input.notWaited ? `started (${facts.phase}); not waited for` : facts.phase}`);
    lines.push('');
    lines.push('| | |');
    lines.push('|---|---|');
    lines.push(`| Build | [${cell(facts.buildName)}](${facts.buildUrl}) |`);
    lines.push(facts.kind === 'branch' ? `| BuildConfig | ${cell(facts.buildConfig)} |` : `| Kind | ${KIND_ROW[facts.kind]} |`);
    lines.push(`| Status | ${cell(facts.phase)}${facts.reason && !ok ? ` (${cell(facts.reason)})` : ''} |`);
    const duration = formatDuration(facts.durationSeconds);
    if (duration)
        lines.push(`| Duration | ${duration} |`);
    if (facts.commitId)
        lines.push(`| Commit | ${code(facts.commitId)} |`);
    if (facts.baseImage)
        lines.push(`| Base image | ${code(facts.baseImage)} |`);
    const koji = kojiCell(facts);
    if (koji)
        lines.push(`| Koji build | ${cell(koji)} |`);
    if (facts.koji.rpmCount !== undefined)
        lines.push(`| RPMs | ${facts.koji.rpmCount} |`);
    lines.push(`| Autorebuild | ${input.autorebuild.enabled ? 'on' : 'off'}: ${cell(input.autorebuild.reason)} |`);
    if (input.baseImageStreamTag)
        lines.push(`| Base ImageStreamTag | ${code(input.baseImageStreamTag)} |`);
    if (input.imageStream)
        lines.push(`| ImageStream | ${imageStreamCell(input.imageStream)} |`);
    if (input.adopted)
        lines.push('| Started by | OpenShift (image change trigger), adopted by this run |');
    if (facts.wasAutorebuild)
        lines.push('| Kind | autorebuild |');
    lines.push('');
    if (facts.images.length) {
        lines.push('### Images');
        lines.push('');
        lines.push('| Kind | Pull spec | Digest |');
        lines.push('|---|---|---|');
        for (const image of facts.images)
            lines.push(`| ${KIND_TITLE[image.kind]} | ${code(image.pullSpec)} | ${image.digest ? code(image.digest) : ''} |`);
        lines.push('');
    }
    else if (ok && facts.phase === 'Complete') {
        lines.push('No image references were recorded on the build.');
        lines.push('');
    }
    const errors = (0,outputs/* pluginErrorMessages */.k1)(facts.pluginErrors);
    if (!ok) {
        lines.push('### Failure');
        lines.push('');
        if (input.failure)
            lines.push(`- ${cell(input.failure)}`);
        for (const error of errors)
            lines.push(`- ${cell(error)}`);
        if (!input.failure && !errors.length && facts.message)
            lines.push(`- ${cell(facts.message)}`);
        lines.push('');
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/flow/watch-object.ts
/**
 * Waiting for one object to reach a state: watch it (`fieldSelector=metadata.name=<name>`) from a known
 * resourceVersion; when the stream ends or goes silent, watch again from the last resourceVersion seen; on 410
 * Expired, GET it and watch from there at once, and when 410 comes again before any event, after a pause that
 * doubles up to a cap (a server or proxy that answers every watch with 410 is read every few seconds, not in a
 * loop); a network failure or a 5xx is followed by a GET after a short pause (bounded). Builds waited for to end
 * and ImageStreams waited for to be imported both use it.
 */

/**
 * The pause before watching again after the second and each further 410 in a row: 0.5 s doubling up to 5 s, each
 * between half and all of it. The first 410 (the resourceVersion was compacted away) is answered at once.
 */
const GONE_BACKOFF = { baseDelayMs: 500, maxDelayMs: 5000 };
/** The pause before the next watch after `gone` 410 answers in a row without an event between them. */
function goneDelay(gone, random = Math.random) {
    return gone <= 1 ? 0 : backoffDelay(gone - 2, { ...GONE_BACKOFF, attempts: Infinity, maxRetryAfterMs: 0 }, random);
}
/** The object once `done` holds for it (checked on the object as first known too). */
async function watchUntil(client, what, done, options = {}) {
    const { name } = what;
    let current = options.from ?? (await what.get(name, options.signal));
    let resourceVersion = current.metadata.resourceVersion;
    let failures = 0;
    let gone = 0;
    for (;;) {
        if (done(current))
            return current;
        try {
            const events = client.watch(what.group, what.resource, { fieldSelector: `metadata.name=${name}`, resourceVersion, timeoutSeconds: options.watchSeconds ?? 300 }, { signal: options.signal, inactivityMs: options.inactivityMs ?? 90000 });
            for await (const event of events) {
                if (event.object?.metadata?.resourceVersion)
                    resourceVersion = event.object.metadata.resourceVersion;
                if (event.type === 'BOOKMARK' || event.object?.metadata?.name !== name)
                    continue;
                if (event.type === 'DELETED')
                    throw new Error(what.deleted);
                failures = 0;
                gone = 0;
                current = event.object;
                options.onUpdate?.(current);
                if (done(current))
                    return current;
            }
        }
        catch (error) {
            if (options.signal?.aborted)
                throw options.signal.reason ?? error;
            if (isGone(error)) {
                const pause = goneDelay(++gone);
                if (pause)
                    await sleep(pause, options.signal);
                current = await what.get(name, options.signal);
                resourceVersion = current.metadata.resourceVersion;
                options.onUpdate?.(current);
                continue;
            }
            if (!(error instanceof ClusterError) || (error.status !== undefined && error.status < 500))
                throw error;
            if (++failures > 10)
                throw error;
            await sleep(Math.min(5000, 250 * 2 ** failures), options.signal);
            current = await what.get(name, options.signal);
            resourceVersion = current.metadata.resourceVersion;
        }
    }
}

;// CONCATENATED MODULE: ./src/flow/builds.ts
/**
 * Builds of a BuildConfig: which are running, waiting for one to end (watch, re-watch, re-list), cancelling.
 */


/** The annotation a build started by this action carries: the run that started it (start.ts writes it). */
const RUN_URL_ANNOTATION = 'osbs-build-action/run-url';
/** The build was started by an ImageChange trigger. */
function triggeredByImageChange(build) {
    const causes = build.spec?.triggeredBy ?? [];
    return causes.some((c) => c?.imageChangeBuild || /image change/i.test(c?.message ?? ''));
}
const RUNNING_PHASES = new Set(['New', 'Pending', 'Running']);
const TERMINAL_PHASES = new Set(['Complete', 'Failed', 'Error', 'Cancelled']);
function phaseOf(build) {
    return build?.status?.phase ?? 'New';
}
function isTerminal(build) {
    return TERMINAL_PHASES.has(phaseOf(build));
}
/** A BuildProgress fed with each state of the build a watch sees (`seen`). */
class BuildEnd {
    done;
    waiters = new Set();
    constructor(build) {
        this.done = build !== undefined && isTerminal(build);
    }
    seen(build) {
        if (this.done || !isTerminal(build))
            return;
        this.done = true;
        for (const wake of this.waiters)
            wake();
        this.waiters.clear();
    }
    ended() {
        return this.done;
    }
    endedWithin(ms, signal) {
        if (this.done)
            return Promise.resolve(true);
        return new Promise((resolve) => {
            const finish = (value) => {
                clearTimeout(timer);
                this.waiters.delete(wake);
                signal?.removeEventListener('abort', onAbort);
                resolve(value);
            };
            const wake = () => finish(true);
            const onAbort = () => finish(false);
            const timer = setTimeout(() => finish(false), ms);
            this.waiters.add(wake);
            signal?.addEventListener('abort', onAbort, { once: true });
        });
    }
}
function buildNumber(build) {
    return Number(build.metadata.annotations?.['openshift.io/build.number'] ?? /-(\d+)$/.exec(build.metadata.name)?.[1] ?? 0);
}
/** Builds of the BuildConfig, oldest first (both the current and the older label, asked together). */
async function buildsOf(client, buildConfig, signal) {
    const byName = new Map();
    const lists = await Promise.all(['openshift.io/build-config.name', 'buildconfig'].map((label) => client.listBuilds({ labelSelector: `${label}=${buildConfig}` }, signal)));
    for (const list of lists)
        for (const build of list.items ?? [])
            byName.set(build.metadata.name, build);
    return [...byName.values()].sort((a, b) => buildNumber(a) - buildNumber(b));
}
/** Builds of the BuildConfig in New/Pending/Running, oldest first. */
async function runningBuilds(client, buildConfig, signal) {
    return (await buildsOf(client, buildConfig, signal)).filter((b) => RUNNING_PHASES.has(phaseOf(b)));
}
/** Wait until the build is terminal (watch-object.ts: watch, re-watch, re-read on 410 and failures). */
function waitForTerminal(client, name, options = {}) {
    const build = { group: 'build', resource: 'builds', name, get: (n, s) => client.getBuild(n, s), deleted: `Build ${name} was deleted before it finished` };
    return watchUntil(client, build, isTerminal, options);
}
/** Request the cancellation of a build (a build already ended is left alone). */
async function requestCancel(client, name, signal) {
    try {
        return await client.cancelBuild(name, signal);
    }
    catch (error) {
        if (isNotFound(error))
            return undefined;
        throw error;
    }
}
/**
 * The newest build of the BuildConfig as `lastVersion` numbers it, when the list missed it: instantiate moves
 * `status.lastVersion` before it creates the Build, so a list read right after the BuildConfig may not hold it
 * yet. Looked for a few times (a build deleted by hand stays missing).
 */
async function newestMissing(client, buildConfig, lastVersion, listed, signal) {
    if (lastVersion <= 0 || listed.some((b) => buildNumber(b) >= lastVersion))
        return undefined;
    for (let look = 0; look < 4; look++) {
        try {
            return await client.getBuild(`${buildConfig}-${lastVersion}`, signal);
        }
        catch (error) {
            if (!isNotFound(error))
                throw error;
            await sleep(250, signal);
        }
    }
    return undefined;
}
/** Builds of the BuildConfig in New/Pending/Running, including the newest one `lastVersion` names when the list has not caught up with it. */
async function runningNow(client, buildConfig, lastVersion, signal) {
    const all = await buildsOf(client, buildConfig, signal);
    const newest = await newestMissing(client, buildConfig, lastVersion, all, signal);
    return [...all, ...(newest ? [newest] : [])].filter((b) => RUNNING_PHASES.has(phaseOf(b)));
}
function refusal(buildConfig, running) {
    if (running.length === 1)
        return new Error(`Build ${running[0].metadata.name} of BuildConfig ${buildConfig} is ${phaseOf(running[0])}; on-running-build is 'fail', so this run does not start another`);
    const list = running.map((b) => `${b.metadata.name} (${phaseOf(b)})`).join(', ');
    return new Error(`Builds of BuildConfig ${buildConfig} are running: ${list}; on-running-build is 'fail'`);
}
/**
 * SPEC §6.2: apply `on-running-build` to the builds of this BuildConfig that are New, Pending or Running.
 * `existing` is the BuildConfig as read just before (its `status.lastVersion` numbers the newest build).
 */
async function applyRunningPolicy(client, buildConfig, policy, reporter, signal, existing) {
    const running = await runningNow(client, buildConfig, Number(existing?.status?.lastVersion ?? 0), signal);
    if (!running.length)
        return;
    if (policy === 'fail')
        throw refusal(buildConfig, running);
    if (policy === 'cancel') {
        for (const build of running) {
            reporter.info(`Cancelling build ${build.metadata.name} (${phaseOf(build)}) as on-running-build is 'cancel'`);
            await requestCancel(client, build.metadata.name, signal);
        }
    }
    for (const build of running) {
        reporter.info(`Waiting for build ${build.metadata.name} (${phaseOf(build)}) to end before starting a new one`);
        const done = await waitForTerminal(client, build.metadata.name, { signal, from: build });
        reporter.info(`Build ${build.metadata.name} ended: ${phaseOf(done)}`);
    }
}
/**
 * The running-build policy as the BuildConfig write's `beforeWrite`, called with the BuildConfig as read before
 * each write. `fail` is judged after every read of an existing BuildConfig: a run that lost a write to another
 * (409, also on create) judges the builds that run may have started since; the instantiate then carries the
 * `lastVersion` judged (start.ts), so that no build started after the judgement goes unseen. `wait` and `cancel`
 * act once, on the first read, as before: a racing run's build is queued behind, not waited for or cancelled.
 */
function runningPolicyBeforeWrite(client, buildConfig, policy, reporter, signal) {
    return async (existing, attempt) => {
        if (!existing || (policy !== 'fail' && attempt > 0))
            return;
        await applyRunningPolicy(client, buildConfig, policy, reporter, signal, existing);
    };
}
/**
 * Why a run with `on-running-build: fail` does not start its build after OpenShift refused its instantiate for a
 * `lastVersion` that moved: the builds started since, each with its phase and the run that started it.
 */
async function startedSince(client, buildConfig, lastVersion, signal) {
    const since = (await buildsOf(client, buildConfig, signal)).filter((b) => buildNumber(b) > lastVersion);
    const by = (b) => {
        const run = b.metadata.annotations?.[RUN_URL_ANNOTATION];
        return run ? ` by run ${run}` : triggeredByImageChange(b) ? ' by an image change' : '';
    };
    const named = since.length ? since.map((b) => `${b.metadata.name} (${phaseOf(b)}, started${by(b)})`).join(', ') : `build ${lastVersion + 1}`;
    return new Error(`BuildConfig ${buildConfig} started ${since.length > 1 ? 'builds' : 'build'} ${named} while this run was starting its own; on-running-build is 'fail', so this run does not start another`);
}

;// CONCATENATED MODULE: ./src/flow/abort.ts
/**
 * The end of a run cut short (timeout-minutes, SIGINT/SIGTERM) and of a job cancelled under a running build: why the
 * run was aborted, and the cancellation of a build that is confirmed by its terminal phase.
 */


/** The reason a run's own signal is aborted with: timeout-minutes passed, or the caller's signal (with its why). */
class RunAborted extends Error {
    why;
    constructor(why) {
        super(why);
        this.why = why;
        this.name = 'RunAborted';
    }
}
/** Why the run was aborted, in words for the failure message. */
function abortReason(signal) {
    const reason = signal.reason;
    if (typeof reason === 'string')
        return reason;
    if (reason instanceof RunAborted)
        return reason.why;
    if (reason instanceof Error && reason.message && reason.name !== 'AbortError')
        return reason.message;
    return 'the run was cancelled';
}
/**
 * Cancel a build and wait (at most `graceMs`) for it to be terminal. Used on timeout and signals, and by the post
 * step. Returns the last state seen.
 */
async function cancelAndConfirm(client, name, reporter, why, graceMs = 5000) {
    const deadline = AbortSignal.timeout(graceMs);
    try {
        const current = await client.getBuild(name, deadline);
        if (isTerminal(current))
            return current;
        reporter.warning(`${why}: cancelling build ${name}`);
        const patched = await requestCancel(client, name, deadline);
        if (!patched)
            return undefined;
        const ended = await waitForTerminal(client, name, { signal: deadline, from: patched, inactivityMs: graceMs });
        reporter.info(`Build ${name} is ${phaseOf(ended)}`);
        return ended;
    }
    catch (error) {
        if (deadline.aborted) {
            reporter.warning(`Cancellation of build ${name} requested; it had not ended within ${Math.round(graceMs / 1000)} s`);
            return client.getBuild(name, AbortSignal.timeout(1000)).catch(() => undefined);
        }
        reporter.warning(`Could not cancel build ${name}: ${error.message}`);
        return undefined;
    }
}
/** The post step: cancel a build the main step left running (job cancelled, runner killed the process). */
async function cancelLeftoverBuild(client, name, reporter) {
    let build;
    try {
        build = await client.getBuild(name, AbortSignal.timeout(10_000));
    }
    catch (error) {
        if (isNotFound(error))
            return;
        reporter.warning(`Could not read build ${name}: ${error.message}`);
        return;
    }
    if (isTerminal(build)) {
        reporter.info(`Build ${name} already ended: ${phaseOf(build)}`);
        return;
    }
    await cancelAndConfirm(client, name, reporter, 'The job was cancelled', 8000);
}

;// CONCATENATED MODULE: ./src/flow/buildconfig.ts
/**
 * SPEC §5.1: create the BuildConfig, or update the existing one without taking over someone else's, keeping what
 * others set, with optimistic concurrency (409 → re-read, re-judge, re-apply, bounded, with backoff).
 */

const IDENTITY_LABELS = ['git-repo-name', 'git-branch'];
/**
 * Error when an existing BuildConfig belongs to another repository or branch (hash collision), or carries no
 * identity labels at all (made by hand, not by this action or osbs-client): neither is ever taken over.
 */
function checkCollision(existing, wanted) {
    const have = existing.metadata.labels ?? {};
    const want = wanted.metadata.labels ?? {};
    const missing = IDENTITY_LABELS.filter((key) => !have[key]);
    if (missing.length && relabelledByReactor(existing, wanted))
        return;
    if (missing.length)
        throw new Error(`BuildConfig ${existing.metadata.name} already exists without the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
            `it was not made for this repository and branch, and it is not taken over. Set build-config-name to use another ` +
            `name, or label it ${missing.map((k) => `${k}=${want[k] ?? ''}`).join(' ')} if it is meant for this repository and branch.`);
    const clashes = IDENTITY_LABELS.filter((key) => want[key] && have[key] !== want[key]);
    if (clashes.length)
        throw new Error(`BuildConfig ${existing.metadata.name} already exists for another source (${clashes
            .map((k) => `${k}: "${have[k]}", this run: "${want[k]}"`)
            .join('; ')}); it is not taken over. Set build-config-name to use another name.`);
}
/**
 * Whether a BuildConfig lost its labels to atomic-reactor 1.6.26.3: its check_and_set_rebuild replaces the labels
 * of the BuildConfig a build came from with `is_autorebuild` alone (osbs-client's set_labels_on_build_config, seen
 * on a real OpenShift 3.11 master). Left so and building this run's git URI and branch, it is this action's own.
 */
function relabelledByReactor(existing, wanted) {
    const labels = Object.keys(existing.metadata.labels ?? {});
    const have = existing.spec?.source?.git;
    const want = wanted.spec?.source?.git;
    return labels.length === 1 && labels[0] === 'is_autorebuild' && !!have && have.uri === want?.uri && have.ref === want?.ref;
}
function isImageChange(trigger) {
    return trigger?.type === 'ImageChange';
}
function triggerFrom(trigger) {
    const from = trigger?.imageChange?.from;
    return from ? `${from.namespace ?? ''}/${from.kind ?? ''}/${from.name ?? ''}` : undefined;
}
/**
 * The updated BuildConfig: the existing one (status, resourceVersion, labels and annotations others set, other
 * spec fields and trigger types kept) with this run's labels, `source.git` and `source.sourceSecret`, `output.to`, the whole
 * `customStrategy` and the ImageChange trigger replaced. An ImageChange trigger on the same tag keeps the image it
 * last fired for, so that an update never looks like a new image to OpenShift.
 */
function mergeBuildConfig(existing, wanted) {
    const spec = existing.spec ?? {};
    const next = wanted.spec ?? {};
    const merged = { ...spec };
    for (const [key, value] of Object.entries(next))
        if (!['source', 'output', 'strategy', 'triggers'].includes(key))
            merged[key] = value;
    merged.source = { ...(spec.source ?? {}), ...(next.source ?? {}), git: next.source?.git };
    if (next.source?.type)
        merged.source.type = next.source.type;
    // the source-secret input owns sourceSecret: without it the BuildConfig clones without one
    if (!next.source?.sourceSecret)
        delete merged.source.sourceSecret;
    merged.output = { ...(spec.output ?? {}), ...(next.output ?? {}), to: next.output?.to };
    merged.strategy = { ...(next.strategy ?? {}) };
    const oldTriggers = Array.isArray(spec.triggers) ? spec.triggers : [];
    const newImageTriggers = (Array.isArray(next.triggers) ? next.triggers : []).filter(isImageChange);
    const otherNew = (Array.isArray(next.triggers) ? next.triggers : []).filter((t) => !isImageChange(t));
    merged.triggers = [
        ...oldTriggers.filter((t) => !isImageChange(t) && !otherNew.some((n) => n.type === t.type)),
        ...otherNew,
        ...newImageTriggers.map((t) => {
            const old = oldTriggers.find((o) => isImageChange(o) && triggerFrom(o) === triggerFrom(t));
            const last = old?.imageChange?.lastTriggeredImageID;
            return last && !t.imageChange?.lastTriggeredImageID ? { ...t, imageChange: { ...t.imageChange, lastTriggeredImageID: last } } : t;
        })
    ];
    return {
        ...existing,
        apiVersion: wanted.apiVersion,
        kind: wanted.kind,
        metadata: {
            ...existing.metadata,
            labels: { ...(existing.metadata.labels ?? {}), ...(wanted.metadata.labels ?? {}) },
            annotations: { ...(existing.metadata.annotations ?? {}), ...(wanted.metadata.annotations ?? {}) }
        },
        spec: merged
    };
}
/** Create or update the BuildConfig (SPEC §5.1). */
async function applyBuildConfig(client, wanted, reporter, options = {}) {
    const name = wanted.metadata.name;
    const attempts = options.attempts ?? 6;
    const wait = options.wait ?? sleep;
    for (let attempt = 0;; attempt++) {
        const existing = await (attempt === 0 && options.firstRead ? options.firstRead : client.getBuildConfig(name, options.signal));
        if (existing)
            checkCollision(existing, wanted);
        await options.beforeWrite?.(existing, attempt);
        const previousLastVersion = Number(existing?.status?.lastVersion ?? 0);
        try {
            if (!existing) {
                const body = { ...wanted, metadata: { ...wanted.metadata } };
                delete body.metadata.resourceVersion;
                delete body.status;
                const created = await client.createBuildConfig(body, options.signal);
                reporter.info(`Created BuildConfig ${name}`);
                return { buildConfig: created, created: true, previousLastVersion };
            }
            const updated = await client.replaceBuildConfig(mergeBuildConfig(existing, wanted), options.signal);
            reporter.info(`Updated BuildConfig ${name}`);
            return { buildConfig: updated, created: false, previousLastVersion };
        }
        catch (error) {
            const retryable = isConflict(error) || // changed since we read it, or created by someone else meanwhile
                (error instanceof ClusterError && error.ambiguous && !existing); // the create may have happened: re-read
            if (!retryable || attempt + 1 >= attempts) {
                if (isConflict(error))
                    throw new Error(`BuildConfig ${name} kept changing while this run wrote it (${attempts} attempts): ${error.message}`);
                throw error;
            }
            const delay = backoffDelay(attempt, { ...DEFAULT_RETRY, baseDelayMs: 200, maxDelayMs: 5000 });
            reporter.debug(`${error.message}; reading BuildConfig ${name} again in ${delay} ms`);
            await wait(delay, options.signal);
        }
    }
}

;// CONCATENATED MODULE: ./src/flow/checks.ts
/**
 * The reads before the BuildConfig is written (SPEC §5.3, §5.4): the permission Custom builds need, each secret the
 * BuildConfig mounts, and the base image's ImageStream. Each check is a read (sent at once, so that a run sends them together) and a verdict reported
 * in a fixed order, whatever order the answers come in.
 */

/**
 * Whether the account may create builds of the Custom strategy, asked before anything is written: OpenShift's
 * admission plugin BuildByStrategy refuses every write of a Custom BuildConfig or Build (403 `build strategy Custom
 * is not allowed`) to an account without the cluster role `system:build-strategy-custom`. A server that does not
 * answer the question (the review forbidden or not served) does not block the run: the writes' own 403 says it.
 */
async function readCustomStrategy(plan, client, signal) {
    const strategy = (plan.build ?? plan.buildConfig).spec.strategy;
    if (strategy?.type !== 'Custom')
        return {};
    if ((await client.mayCreateCustomBuilds(signal)) !== false)
        return {};
    return { denied: customStrategyDenied(await client.accountName(signal), client.namespace) };
}
function reportCustomStrategy(found) {
    if (found.denied)
        throw new Error(found.denied);
}
/** GET every secret the BuildConfig mounts, all at once. Throws for a failure that is neither 404 nor 403. */
async function readSecrets(plan, client, signal) {
    const answers = await Promise.allSettled(plan.secrets.map((secret) => client.getSecret(secret.name, signal)));
    const found = { missing: [], warnings: [] };
    answers.forEach((answer, i) => {
        if (answer.status === 'fulfilled')
            return;
        const secret = plan.secrets[i];
        const error = answer.reason;
        if (isNotFound(error))
            found.missing.push(`Secret "${secret.name}" (input ${secret.input}) does not exist in namespace ${client.namespace}: create it there, or correct input ${secret.input}`);
        else if (error instanceof ClusterError && error.status === 403)
            found.warnings.push(`Cannot check that secret "${secret.name}" (input ${secret.input}) exists: ${error.message}`);
        else
            throw error;
    });
    return found;
}
/** Report what readSecrets found: a warning per forbidden check, an error listing every missing secret. */
function reportSecrets(found, reporter) {
    for (const warning of found.warnings)
        reporter.warning(warning);
    if (found.missing.length)
        throw new Error(found.missing.join('\n'));
}
/** Check each secret the BuildConfig mounts (SPEC §5.3): 404 is an error naming the input, 403 a warning. */
async function checkSecrets(plan, client, reporter, signal) {
    reportSecrets(await readSecrets(plan, client, signal), reporter);
}
async function readBaseImageStream(plan, client, signal) {
    const tag = plan.baseImageStreamTag;
    if (!plan.autorebuild.enabled || !tag)
        return {};
    const stream = tag.slice(0, tag.indexOf(':'));
    try {
        await client.getImageStream(stream, signal);
        return {};
    }
    catch (error) {
        if (signal?.aborted)
            throw error;
        if (isNotFound(error))
            return {
                notice: `ImageStream ${stream} (base image ${plan.baseImage}) does not exist yet in namespace ${client.namespace}: ` +
                    `the ImageChange trigger on ${tag} is written, and autorebuilds start once the ImageStream exists`
            };
        return { debug: `Cannot check that ImageStream ${stream} exists: ${error.message}` };
    }
}
function reportBaseImageStream(found, reporter) {
    if (found.notice)
        reporter.notice(found.notice);
    if (found.debug)
        reporter.debug(found.debug);
}
/**
 * SPEC §5.4: the ImageChange trigger is written even when BL's ImageStream does not exist yet; a notice says that
 * autorebuilds start once it exists. Only informative: a failure to look is a debug line.
 */
async function checkBaseImageStream(plan, client, reporter, signal) {
    reportBaseImageStream(await readBaseImageStream(plan, client, signal), reporter);
}

;// CONCATENATED MODULE: ./src/flow/clone-failure.ts
/** git's messages when the server wants credentials that were not given, or refused the ones given. */
const NO_CREDENTIALS = /(?:fatal: )?could not read (?:Username|Password) for '[^']*': [^\n]*/;
const REFUSED = [/(?:fatal: )?Authentication failed for '[^']*'/, /Permission denied \(publickey[^)]*\)\.?/, /Host key verification failed\.?/, /(?:remote: )?Repository not found\.?/];
/** git's messages when the repository itself could not be read (a wrong git-uri, a deleted fork, no such host). */
const UNREADABLE = [
    /fatal: '[^'\n]*' does not appear to be a git repository/,
    /fatal: repository '[^'\n]*' not found/,
    /fatal: unable to access '[^'\n]*': [^\n]*/,
    /fatal: Could not resolve host: [^\n]*/
];
/** git's messages when the repository has no such commit or branch (the full clone's `git reset --hard <ref>`). */
const NO_SUCH_REF = [/fatal: Could not parse object '[^'\n]*'\.?/, /fatal: ambiguous argument '[^'\n]*': unknown revision[^\n]*/, /fatal: reference is not a tree: [^\n]*/];
/** The lines the log is searched in: the last ones, where atomic-reactor gave up. */
const CLONE_LOG_TAIL_LINES = 200;
const first = (patterns, log) => patterns.map((pattern) => pattern.exec(log)?.[0]).find((m) => m !== undefined);
/** What the build checks out: a branch build its branch, a scratch or an isolated build its commit. */
function sourceRef(plan) {
    return plan.kind === 'branch' ? `branch ${plan.settings.git.branch}` : `commit ${plan.settings.git.commit}`;
}
/** The message for a build whose log shows that the repository, or the commit or branch in it, could not be fetched, else undefined. Pure. */
function fetchFailureMessage(plan, log) {
    const uri = plan.settings.git.uri;
    const unreadable = first(UNREADABLE, log);
    const noRef = unreadable ? undefined : first(NO_SUCH_REF, log);
    const said = unreadable ?? noRef;
    if (!said)
        return undefined;
    const what = `The build could not fetch ${sourceRef(plan)} from ${uri}`;
    if (unreadable)
        return `${what}: the repository could not be read (git: ${said.trim()}). Check input git-uri: it must be a URL the cluster's builds can clone`;
    const pullRequest = plan.settings.pullRequest;
    if (plan.kind === 'scratch' && pullRequest)
        return (`${what}: the repository has no such commit (git: ${said.trim()}). The head of pull request #${pullRequest.number} is no longer there ` +
            `(pushed over, or its branch or fork deleted) or git-uri names another repository: run the workflow again on the pull request's current head, or correct input git-uri`);
    return `${what}: the repository has no such ${plan.kind === 'branch' ? 'branch' : 'commit'} (git: ${said.trim()}). Push it to ${uri}, or correct input git-uri`;
}
/** The message for a build whose log shows that git could not authenticate or fetch what it had to, else undefined. Pure. */
function cloneFailureMessage(plan, log) {
    return credentialFailureMessage(plan, log) ?? fetchFailureMessage(plan, log);
}
/** The message for a build whose log shows that git could not authenticate, else undefined. Pure. */
function credentialFailureMessage(plan, log) {
    const uri = plan.settings.git.uri;
    const secret = plan.settings.sourceSecret;
    const missing = NO_CREDENTIALS.exec(log)?.[0];
    const refused = first(REFUSED, log);
    const said = missing ?? refused;
    if (!said)
        return undefined;
    if (!secret)
        return (`The build could not clone ${uri}: the repository asks for credentials (git: ${said.trim()}). ` +
            `For a private repository, create a secret with them in namespace ${plan.settings.namespace} and set input source-secret to its name ` +
            `(see "Private repositories" in the README)`);
    return (`The build could not clone ${uri} with the credentials of secret "${secret}" (input source-secret) (git: ${said.trim()}). ` +
        `Check that the secret holds username and password (a token that may read the repository) for an https git-uri, or ssh-privatekey and known_hosts for an ssh one`);
}
/** Read the end of a failed build's log and explain a clone that could not authenticate or fetch; undefined when it is something else or the log cannot be read. */
async function readCloneFailure(plan, client, name, signal) {
    try {
        const chunks = [];
        for await (const chunk of await client.buildLog(name, { tailLines: CLONE_LOG_TAIL_LINES }, signal))
            chunks.push(Buffer.from(chunk));
        return cloneFailureMessage(plan, Buffer.concat(chunks).toString('utf8'));
    }
    catch (error) {
        if (signal?.aborted)
            throw error;
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/flow/log/lines.ts
/**
 * Pure pieces of the build-log follower (SPEC §6.4): splitting a byte stream into lines, the `timestamps=true`
 * prefix, exact de-duplication across resumed streams, and grouping atomic-reactor lines per plugin.
 * Nothing here holds more than one line (plus an unfinished one) in memory.
 */
/** Splits decoded chunks into complete lines; keeps only the unfinished tail. */
class LineSplitter {
    decoder = new TextDecoder();
    tail = '';
    /** Complete lines in this chunk (without the newline, `\r` dropped). */
    push(chunk) {
        const text = this.tail + this.decoder.decode(chunk, { stream: true });
        const lines = [];
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            lines.push(text.charCodeAt(nl - 1) === 13 && nl > start ? text.slice(start, nl - 1) : text.slice(start, nl));
            start = nl + 1;
        }
        this.tail = start === 0 ? text : text.slice(start);
        return lines;
    }
    /** The unfinished line, if any, and reset (a new stream starts clean). */
    finish() {
        const rest = this.tail + this.decoder.decode();
        this.tail = '';
        return rest === '' ? undefined : rest;
    }
    get pending() {
        return this.tail !== '';
    }
}
/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (30 characters), checked without a regular expression: it runs for every line. */
function isUtcNano(text) {
    for (let i = 0; i < 30; i++) {
        const c = text.charCodeAt(i);
        const want = UTC_NANO_SHAPE.charCodeAt(i);
        if (want === 100 /* d */ ? c < 48 || c > 57 : c !== want)
            return false;
    }
    return true;
}
const UTC_NANO_SHAPE = 'dddd-dd-ddTdd:dd:dd.dddddddddZ';
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)$/i;
/**
 * An RFC 3339 timestamp in one fixed form, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (UTC, 9 fraction digits), so that
 * timestamps compare as strings; undefined when it is not a timestamp. The kubelet's own form (UTC, 9 digits)
 * is returned as it is, without any allocation: this runs for every line of the log.
 */
function normalizeTimestamp(text) {
    if (text.length === 30 && isUtcNano(text))
        return text;
    const m = RFC3339.exec(text);
    if (!m)
        return undefined;
    const ms = Date.parse(m[1] + (m[3].toUpperCase() === 'Z' ? 'Z' : m[3]));
    if (Number.isNaN(ms))
        return undefined;
    return new Date(ms).toISOString().slice(0, 19) + '.' + (m[2] ?? '').padEnd(9, '0') + 'Z';
}
/** `sinceTime` for a resume: one whole second before `ts` (normalized), so that the answer starts at or before
 * that line whatever the server's precision and whether it counts the bound in or out. */
function resumeSinceTime(ts) {
    return new Date(Date.parse(ts.slice(0, 19) + 'Z') - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** Split `timestamps=true` output: `<RFC3339Nano> <line>`. */
function splitTimestamp(line) {
    const space = line.indexOf(' ');
    if (space > 0) {
        const ts = normalizeTimestamp(line.slice(0, space));
        if (ts !== undefined)
            return { ts, text: line.slice(space + 1) };
    }
    else if (space < 0) {
        const ts = normalizeTimestamp(line);
        if (ts !== undefined)
            return { ts, text: '' };
    }
    return { text: line };
}
/**
 * Decides which lines of a (resumed) stream are new. The log is append-only with non-decreasing timestamps, and a
 * resumed stream starts at or before the last printed line. After printing lines up to timestamp T (k of them at
 * T), a resumed stream's lines before T are old, its first k lines at T are old, everything after is new — exact
 * even when many lines share a timestamp.
 */
class LogDeduper {
    lastTs;
    countAtLast = 0;
    baseTs;
    baseCount = 0;
    seenAtBase = 0;
    previousTs;
    /** Lines printed in total. */
    printed = 0;
    /** Call when a new stream starts (the first one too). */
    beginStream() {
        this.baseTs = this.lastTs;
        this.baseCount = this.countAtLast;
        this.seenAtBase = 0;
        this.previousTs = this.lastTs;
    }
    /** true when the line is new (and counts it as printed). */
    accept(line) {
        const ts = line.ts ?? this.previousTs;
        this.previousTs = ts;
        if (ts !== undefined && this.baseTs !== undefined) {
            if (ts < this.baseTs)
                return false;
            if (ts === this.baseTs) {
                this.seenAtBase++;
                if (this.seenAtBase <= this.baseCount)
                    return false;
            }
        }
        if (ts !== undefined) {
            if (ts === this.lastTs)
                this.countAtLast++;
            else {
                this.lastTs = ts;
                this.countAtLast = 1;
            }
        }
        this.printed++;
        return true;
    }
    /** Timestamp of the last printed line (for sinceTime). */
    get last() {
        return this.lastTs;
    }
}
const REACTOR_TIME = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)? platform:/;
const LEVELS = new Set(['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL']);
/** What `.` of a regular expression does not match: such a line is not in the format. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const WHITESPACE = /\s/;
/**
 * `<time> platform:<arch> - <logger> - <LEVEL> - <message>`, read by position after one anchored test (this
 * runs for every line of the log: no capture groups, no backtracking).
 */
function parseReactorLine(text) {
    const c = text.charCodeAt(0);
    if (c < 48 || c > 57 || !REACTOR_TIME.test(text))
        return undefined;
    const platformAt = text.indexOf(' platform:');
    const platformEnd = text.indexOf(' ', platformAt + 10);
    if (platformEnd < 0 || !text.startsWith(' - ', platformEnd))
        return undefined;
    const loggerAt = platformEnd + 3;
    const loggerEnd = text.indexOf(' ', loggerAt);
    if (loggerEnd <= loggerAt || !text.startsWith(' - ', loggerEnd))
        return undefined;
    const levelAt = loggerEnd + 3;
    const levelEnd = text.indexOf(' - ', levelAt);
    if (levelEnd < 0)
        return undefined;
    const level = text.slice(levelAt, levelEnd);
    if (!LEVELS.has(level))
        return undefined;
    const platform = text.slice(platformAt + 10, platformEnd);
    const logger = text.slice(loggerAt, loggerEnd);
    const message = text.slice(levelEnd + 3);
    if (WHITESPACE.test(platform) || WHITESPACE.test(logger) || LINE_BREAK.test(message))
        return undefined;
    return { time: text.slice(0, platformAt), platform, logger, level, message };
}
const RUNNING_PLUGIN = /^running plugin '([^']+)'/;
const PLUGIN_LOGGER = /^atomic_reactor\.plugins\.([\w-]+)/;
const PHASE_START = /^(running (pre-build|buildstep|build-step|pre-publish|prepublish|post-build|postbuild|exit) plugins|initializing runner of )/;
/** A LogSink that collects LogActions. */
function collect(actions) {
    return {
        line: (text) => actions.push({ kind: 'line', text }),
        startGroup: (name) => actions.push({ kind: 'start-group', name }),
        endGroup: () => actions.push({ kind: 'end-group' }),
        error: (message, plugin) => actions.push({ kind: 'error', message, plugin })
    };
}
/**
 * Groups atomic-reactor lines per plugin: a group opens at `running plugin '<name>'` (or the first line of a
 * plugin's own logger) and closes when another plugin starts or a phase begins. ERROR (and CRITICAL) lines
 * also become error annotations. Lines in no known format stay in the current group.
 */
class LogGrouper {
    current;
    get group() {
        return this.current;
    }
    line(text) {
        const actions = [];
        this.feed(text, collect(actions));
        return actions;
    }
    /** The line and what it changes, handed to `sink` in order. */
    feed(text, sink) {
        const parsed = parseReactorLine(text);
        if (!parsed) {
            sink.line(text);
            return;
        }
        const running = parsed.logger === 'atomic_reactor.plugin' ? RUNNING_PLUGIN.exec(parsed.message) : null;
        const own = parsed.logger.startsWith('atomic_reactor.plugins.') ? PLUGIN_LOGGER.exec(parsed.logger) : null;
        const plugin = running?.[1] ?? own?.[1];
        if (plugin && plugin !== this.current) {
            if (this.current !== undefined)
                sink.endGroup();
            this.current = plugin;
            sink.startGroup(`plugin ${plugin}`);
        }
        else if (!plugin && this.current !== undefined && (parsed.logger === 'atomic_reactor.inner' || PHASE_START.test(parsed.message))) {
            sink.endGroup();
            this.current = undefined;
        }
        sink.line(text);
        if (parsed.level === 'ERROR' || parsed.level === 'CRITICAL')
            sink.error(parsed.message, own?.[1] ?? this.current);
    }
    /** Close the open group at the end of the log. */
    end() {
        const actions = [];
        this.finish(collect(actions));
        return actions;
    }
    finish(sink) {
        if (this.current === undefined)
            return;
        this.current = undefined;
        sink.endGroup();
    }
}

;// CONCATENATED MODULE: ./src/flow/log/follow.ts
/**
 * SPEC §6.4: stream the build log into the job log as it arrives, each chunk of lines in one piece. A dropped stream is resumed with
 * `sinceTime` and the lines already printed are skipped (exactly, see LogDeduper); atomic-reactor lines are grouped
 * per plugin and ERROR lines become error annotations. Nothing but the current line is held in memory.
 */



/** Messages of a log request that mean "not yet": the build has not started, or its container is starting. */
function notStartedYet(error) {
    if (error.status === 504 || error.status === 500 || error.status === 503)
        return true;
    const message = error.statusObject?.message ?? '';
    return error.status === 400 && /(timed out waiting|waiting to start|PodInitializing|ContainerCreating|unable to wait)/i.test(message);
}
/** Messages that mean there is no log and never will be (cancelled, error state). */
function noLogs(error) {
    return error.status === 400 && /no logs are available|was cancelled|error state/i.test(error.statusObject?.message ?? '');
}
class LogPrinter {
    reporter;
    grouper = new LogGrouper();
    constructor(reporter) {
        this.reporter = reporter;
    }
    debug(message) {
        this.reporter.debug(message);
    }
    print(text) {
        this.grouper.feed(text, this);
    }
    /** What `report` prints, as one piece of the job log (see Reporter.batch). */
    batch(report) {
        if (this.reporter.batch)
            this.reporter.batch(report);
        else
            report();
    }
    end() {
        this.grouper.finish(this);
    }
    startGroup(name) {
        this.reporter.startGroup(name);
    }
    endGroup() {
        this.reporter.endGroup();
    }
    error(message, plugin) {
        this.reporter.error(message, { title: plugin ? `Build log: plugin ${plugin}` : 'Build log' });
    }
    line(text) {
        this.reporter.logLine(text);
    }
}
/** Follow the log of `name` until the build has ended and every line has been printed. */
function followLog(client, name, reporter, options = {}) {
    return new LogFollower(client, name, reporter).follow(options);
}
/**
 * One build's log: `follow` streams it as it comes; `catchUp`, once the build has ended and a slow follow was
 * stopped, reads the final log since the last printed line and prints what is missing. It knows what was printed
 * (the de-duplicator), so whether a line is missing is found out by comparing, not guessed.
 */
class LogFollower {
    client;
    name;
    dedup = new LogDeduper();
    printer;
    constructor(client, name, reporter) {
        this.client = client;
        this.name = name;
        this.printer = new LogPrinter(reporter);
    }
    /** Lines printed so far. */
    get printed() {
        return this.dedup.printed;
    }
    /**
     * The final log of the ended build from the last printed line on (one request, no follow): prints the lines not
     * printed yet and returns how many there were.
     */
    async catchUp(signal) {
        const since = this.dedup.last;
        this.dedup.beginStream();
        const before = this.dedup.printed;
        const splitter = new LineSplitter();
        const stream = await this.client.buildLog(this.name, { timestamps: true, ...(since !== undefined ? { sinceTime: resumeSinceTime(since) } : {}) }, signal);
        try {
            for await (const chunk of stream) {
                const lines = splitter.push(chunk);
                this.printer.batch(() => {
                    for (const line of lines)
                        this.accept(line);
                });
            }
            const held = splitter.finish();
            if (held !== undefined)
                this.accept(held);
        }
        finally {
            this.printer.end();
        }
        return this.dedup.printed - before;
    }
    /** One line of the log (with its timestamp): printed unless it was printed already. */
    accept(line) {
        const parsed = splitTimestamp(line);
        if (!this.dedup.accept(parsed))
            return false;
        this.printer.print(parsed.text);
        return true;
    }
    follow(options = {}) {
        return follow(this.client, this.name, this.dedup, this.printer, (line) => this.accept(line), options);
    }
}
async function follow(client, name, dedup, printer, accept, options) {
    const { signal } = options;
    const retryDelay = options.retryDelayMs ?? 1000;
    const batch = (report) => printer.batch(report);
    let streams = 0;
    /** Streams in a row that brought nothing new. */
    let fruitless = 0;
    /** Log requests in a row answered "not started yet". */
    let waiting = 0;
    let held;
    try {
        for (;;) {
            const terminalAtStart = options.build ? options.build.ended() : isTerminal(await client.getBuild(name, signal));
            const since = dedup.last;
            dedup.beginStream();
            const splitter = new LineSplitter();
            let broke = false;
            let fresh = 0;
            let stream;
            try {
                stream = await client.buildLog(name, { follow: true, timestamps: true, ...(since !== undefined ? { sinceTime: resumeSinceTime(since) } : {}) }, signal);
            }
            catch (error) {
                if (signal?.aborted)
                    throw signal.reason ?? error;
                if (!(error instanceof ClusterError))
                    throw error;
                if (noLogs(error))
                    return { lines: dedup.printed, streams, incomplete: error.statusObject?.message };
                if (terminalAtStart && !notStartedYet(error))
                    throw error;
                if (error.status !== undefined && !notStartedYet(error) && error.status !== 404)
                    throw error;
                if (++waiting > 600)
                    throw error;
                printer.debug(`${error.message}; asking again`);
                await sleep(retryDelay, signal);
                continue;
            }
            streams++;
            waiting = 0;
            held = undefined;
            try {
                for await (const chunk of stream) {
                    const lines = splitter.push(chunk);
                    if (!lines.length)
                        continue;
                    // The whole chunk at once: one write to the job log, and no line held back for the next chunk.
                    batch(() => {
                        for (const line of lines)
                            if (accept(line))
                                fresh++;
                    });
                    if (options.drain)
                        await options.drain();
                }
            }
            catch (error) {
                if (signal?.aborted)
                    throw signal.reason ?? error;
                if (!(error instanceof ClusterError))
                    throw error;
                broke = true;
                printer.debug(`${error.message}; resuming the log`);
            }
            held = splitter.finish();
            // A stream ends normally when the build's container ended: once the build is seen ended, that was all.
            const complete = !broke && (terminalAtStart || (options.build !== undefined && (await options.build.endedWithin(options.endGraceMs ?? 10_000, signal))));
            if (signal?.aborted)
                throw signal.reason;
            if (complete) {
                // The whole rest of the log of an ended build: a last line without a newline is the real last line.
                if (held !== undefined)
                    accept(held);
                held = undefined;
                return { lines: dedup.printed, streams };
            }
            fruitless = fresh ? 0 : fruitless + 1;
            if (fruitless > 50)
                return { lines: dedup.printed, streams, incomplete: 'the log stream kept ending without new lines' };
            if (broke || !fresh)
                await sleep(Math.min(retryDelay * fruitless, 5000), signal);
        }
    }
    finally {
        printer.end();
    }
}

// EXTERNAL MODULE: ./src/render/image-stream.ts
var image_stream = __webpack_require__(2046);
;// CONCATENATED MODULE: ./src/flow/image-stream.ts
/**
 * After a build ended Complete: the built image's ImageStream is created or updated to follow the build's moving
 * tags (`latest`, `<version>`), and imported now, as osbs-client's `import_image` did for atomic-reactor's plugin
 * (which in 1.6.26.3 only works in an orchestrated build). The tags' `importPolicy.scheduled` makes OpenShift
 * re-import them on its own, so that a rebuild OpenShift starts by itself (an autorebuild) moves the stream too and
 * the images built FROM it are rebuilt in turn.
 *
 * A failure here is a warning, never a failed step: the image was built and pushed.
 */




/** The tags to follow: from the build's `repositories` annotation, else (no annotation) from the labels. */
function tagsOfBuild(build, plan) {
    const primary = (0,outputs/* jsonAnnotation */["if"])(build.metadata.annotations, 'repositories')?.primary;
    const specs = Array.isArray(primary) ? primary.filter((p) => typeof p === 'string') : [];
    return specs.length ? (0,image_stream/* trackedTags */.Iz)(specs) : (0,image_stream/* plannedTags */._6)(plan.labels.version);
}
/** Create the stream, or merge this run's tags into the one that exists (409 → read again, bounded). */
async function writeImageStream(client, wanted, repository, options) {
    const attempts = options.attempts ?? 5;
    const wait = options.wait ?? sleep;
    for (let attempt = 0;; attempt++) {
        const existing = await client.findImageStream(wanted.metadata.name, options.signal);
        try {
            if (!existing)
                return { stream: await client.createImageStream(wanted, options.signal), created: true };
            return { stream: await client.replaceImageStream((0,image_stream/* mergeImageStream */.At)(existing, wanted, repository), options.signal), created: false };
        }
        catch (error) {
            // 409: changed since it was read, or created by someone else meanwhile; 404: deleted since it was read; an
            // ambiguous create may have happened: in each case read it again rather than sending the create blindly.
            const again = isConflict(error) || (existing ? isNotFound(error) : error instanceof ClusterError && error.ambiguous);
            if (!again || attempt + 1 >= attempts)
                throw error;
            await wait(backoffDelay(attempt, { ...DEFAULT_RETRY, baseDelayMs: 200, maxDelayMs: 5000 }), options.signal);
        }
    }
}
function isImported(stream) {
    return Boolean(stream?.metadata?.annotations?.[image_stream/* REPOSITORY_CHECK */.w2]);
}
/**
 * Wait until OpenShift imported the stream (it sets the repository-check annotation again), by watch from the
 * write (watch-object.ts); undefined when `timeoutMs` passed first.
 */
async function waitForImport(client, written, timeoutMs, signal) {
    const name = written.metadata.name;
    const deadline = AbortSignal.timeout(timeoutMs);
    const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const stream = {
        group: 'image',
        resource: 'imagestreams',
        name,
        get: (n, s) => client.getImageStream(n, s),
        deleted: `ImageStream ${name} was deleted while OpenShift imported it`
    };
    try {
        // a server may import within the write itself: `from` is checked first
        return await watchUntil(client, stream, isImported, { signal: both, from: written, inactivityMs: timeoutMs, watchSeconds: Math.ceil(timeoutMs / 1000) });
    }
    catch (error) {
        if (signal?.aborted)
            throw signal.reason ?? error;
        if (deadline.aborted)
            return undefined;
        throw error;
    }
}
/** What the imported stream says of each tag: its image, or why it was not imported. */
function importedTags(stream, tags) {
    const status = Array.isArray(stream.status?.tags) ? stream.status.tags : [];
    return tags.map((tag) => {
        const entry = status.find((t) => t?.tag === tag);
        const failed = entry?.conditions?.find((c) => c?.type === 'ImportSuccess' && c?.status === 'False');
        const image = entry?.items?.[0]?.image;
        if (failed)
            return { tag, ...(image ? { image } : {}), error: failed.message || failed.reason || 'import failed' };
        return image ? { tag, image } : { tag, error: 'OpenShift recorded no image for it' };
    });
}
/** Create or update the ImageStream of a Complete build and import its tags now; never throws but for an aborted run. */
async function updateImageStream(client, plan, build, reporter, options = {}) {
    const tags = tagsOfBuild(build, plan);
    // A scratch or isolated build never moves the image's ImageStream (osbs-client's builds of these kinds do not touch it).
    if (plan.build)
        return undefined;
    const wanted = (0,image_stream/* imageStreamFor */.zh)(plan.settings, { imageStream: plan.imageStream, nameLabel: plan.labels.name }, tags);
    const repository = (0,image_stream/* imageStreamRepository */.Qc)(plan.settings, plan.labels.name);
    // No registry to import from: the plan warned already.
    if (!wanted || !repository || !tags.length)
        return undefined;
    const name = wanted.metadata.name;
    const ns = client.namespace;
    const byHand = `oc import-image ${name} --all -n ${ns}`;
    const update = { name, repository, created: false, tags: tags.map((tag) => ({ tag })) };
    let written;
    try {
        const result = await writeImageStream(client, wanted, repository, options);
        written = result.stream;
        update.created = result.created;
    }
    catch (error) {
        if (options.signal?.aborted)
            throw error;
        const forbidden = error instanceof ClusterError && error.status === 403;
        update.problem = `ImageStream ${name} was not written: ${error.message}`;
        reporter.warning(`${update.problem}. The image was built and pushed, but images built FROM ${name} are not rebuilt until the stream follows ${repository}: ` +
            (forbidden
                ? `give the account the right to get, create and update imagestreams in namespace ${ns} (e.g. the edit role), then run this workflow again`
                : `run this workflow again, or create the stream as a dry run shows it`));
        return update;
    }
    reporter.info(`${update.created ? 'Created' : 'Updated'} ImageStream ${name}: ${tags.join(', ')} from ${repository}, imported now and on OpenShift's schedule`);
    const importWaitMs = options.importWaitMs ?? 60_000;
    let imported;
    try {
        imported = await waitForImport(client, written, importWaitMs, options.signal);
    }
    catch (error) {
        if (options.signal?.aborted)
            throw error;
        update.problem = `ImageStream ${name}: the import could not be followed: ${error.message}`;
        reporter.warning(`${update.problem}. OpenShift imports the tags on its schedule; to import now: ${byHand}`);
        return update;
    }
    if (!imported) {
        update.problem = `ImageStream ${name}: OpenShift had not imported ${tags.join(', ')} within ${Math.round(importWaitMs / 1000)} s`;
        reporter.warning(`${update.problem}. The image was built and pushed; OpenShift imports the tags on its schedule. To import now: ${byHand}`);
        return update;
    }
    update.tags = importedTags(imported, tags);
    const failed = update.tags.filter((t) => t.error);
    if (failed.length) {
        update.problem = failed.map((t) => `ImageStream ${name}: OpenShift did not import ${repository}:${t.tag}: ${t.error}`).join('\n');
        reporter.warning(`${update.problem}\nThe image was built and pushed, but images built FROM ${name} are not rebuilt until it is imported: check that OpenShift can pull from ` +
            `${repository.split('/')[0]} (a pull secret in namespace ${ns}; http:// in registry-uri or source-registry-uri for a registry without TLS), then: ${byHand}`);
    }
    const done = update.tags.filter((t) => !t.error);
    if (done.length)
        reporter.info(`ImageStream ${name} imported ${done.map((t) => `${t.tag} (${t.image})`).join(', ')}`);
    return update;
}

;// CONCATENATED MODULE: ./src/flow/start.ts
/**
 * SPEC §6.3: start the build, or adopt the one OpenShift started itself when writing the BuildConfig made an
 * ImageChange trigger fire. One run starts at most one build: an instantiate whose answer was lost is never sent
 * again before looking for the build it may have created.
 */





const ANNOTATION_PREFIX = 'osbs-build-action';
const REQUEST_ID_ANNOTATION = `${ANNOTATION_PREFIX}/request-id`;
/**
 * The BuildRequest of SPEC §6.3. With `lastVersion`, OpenShift creates the build only while the BuildConfig's
 * `status.lastVersion` is still that number (any other build started since makes it answer 400): the
 * compare-and-set `on-running-build: fail` needs.
 */
function buildRequest(plan, requestId, lastVersion) {
    const { settings } = plan;
    return {
        kind: 'BuildRequest',
        apiVersion: 'build.openshift.io/v1',
        metadata: { name: plan.buildConfigName, annotations: runAnnotations(plan, requestId) },
        revision: sourceRevision(plan),
        // OpenShift passes a BuildRequest's revision to the build only as spec.revision; the pod's SOURCE_REF (what
        // atomic-reactor checks out) is the BuildConfig's ref, the branch. The request's env is appended to the
        // strategy's and the last SOURCE_REF wins in the pod: this build builds exactly the pushed commit, while
        // autorebuilds (started by triggers, without it) build the branch's head.
        env: [{ name: 'SOURCE_REF', value: settings.git.commit }],
        triggeredBy: [{ message: triggerMessage(plan) }],
        ...(lastVersion === undefined ? {} : { lastVersion })
    };
}
/** The annotations a build started by this run carries: the request's id, the repository, the run, the actor. */
function runAnnotations(plan, requestId) {
    const run = plan.settings.run;
    const annotations = {
        [REQUEST_ID_ANNOTATION]: requestId,
        [`${ANNOTATION_PREFIX}/repository`]: `${(0,linear_text/* trimEndChar */.WP)(run.serverUrl, '/')}/${run.repository}`
    };
    if (run.runUrl)
        annotations[RUN_URL_ANNOTATION] = run.runUrl;
    if (run.actor)
        annotations[`${ANNOTATION_PREFIX}/actor`] = run.actor;
    return annotations;
}
/** The commit built, with the push's author, committer and message when the event has them. */
function sourceRevision(plan) {
    const { settings } = plan;
    const run = settings.run;
    const person = (p) => p && (p.name || p.email) ? { ...(p.name ? { name: p.name } : {}), ...(p.email ? { email: p.email } : {}) } : undefined;
    const git = { commit: settings.git.commit };
    const author = person(run.headCommit?.author);
    const committer = person(run.headCommit?.committer);
    if (author)
        git.author = author;
    if (committer)
        git.committer = committer;
    if (run.headCommit?.message)
        git.message = run.headCommit.message;
    return { type: 'Git', git };
}
function triggerMessage(plan) {
    const runUrl = plan.settings.run.runUrl;
    return runUrl ? `Started by GitHub Actions run ${runUrl}` : 'Started by GitHub Actions';
}
/**
 * The label selector of the builds a run of this plan may have started: the BuildConfig's builds, or for a Build
 * posted directly those of its kind, repository and branch.
 */
function requestSelector(plan) {
    if (!plan.build)
        return `openshift.io/build-config.name=${plan.buildConfigName}`;
    const labels = plan.build.metadata.labels;
    return `${plan.kind}=true,git-repo-name=${labels['git-repo-name']},git-branch=${labels['git-branch']}`;
}
/** OpenShift's answer to an instantiate whose `lastVersion` is no longer the BuildConfig's. */
function isLastVersionMismatch(error) {
    return error instanceof ClusterError && error.status === 400 && /does not match the build request LastVersion/i.test(error.message);
}
/** The image the BuildConfig's ImageChange trigger last fired for, if recorded (4.x status, or 3.x spec). */
function lastTriggered(buildConfig, tag) {
    const fromStatus = (buildConfig.status?.imageChangeTriggers ?? []).find((t) => t?.from?.name === tag);
    if (fromStatus?.lastTriggeredImageID)
        return fromStatus.lastTriggeredImageID;
    const fromSpec = (buildConfig.spec?.triggers ?? []).find((t) => t?.type === 'ImageChange' && (t.imageChange?.from?.name ?? tag) === tag);
    return fromSpec?.imageChange?.lastTriggeredImageID;
}
/** Read the ImageStreamTag the BuildConfig's ImageChange trigger follows (no request without such a trigger). */
async function readTriggerTag(client, buildConfig, signal) {
    const trigger = (buildConfig.spec?.triggers ?? []).find((t) => t?.type === 'ImageChange');
    if (!trigger)
        return { kind: 'no-trigger' };
    const tag = trigger.imageChange?.from?.name ?? buildConfig.spec?.strategy?.customStrategy?.from?.name;
    if (!tag)
        return { kind: 'unknown' };
    try {
        const ist = await client.getImageStreamTag(tag, signal);
        return { kind: 'image', tag, image: ist.image?.dockerImageReference };
    }
    catch (error) {
        if (isNotFound(error))
            return { kind: 'missing' };
        if (error instanceof ClusterError && (error.status === 403 || error.status === 401))
            return { kind: 'unknown' };
        throw error;
    }
}
/**
 * Whether writing this BuildConfig can make its ImageChange trigger fire: the trigger's ImageStreamTag has an
 * image the BuildConfig has not been built from. A missing tag cannot fire.
 */
function mayFire(buildConfig, read) {
    if (read.kind === 'no-trigger' || read.kind === 'missing')
        return false;
    if (read.kind === 'unknown' || !read.image)
        return true;
    return lastTriggered(buildConfig, read.tag) !== read.image;
}
async function triggerMayFire(client, buildConfig, signal) {
    return mayFire(buildConfig, await readTriggerTag(client, buildConfig, signal));
}
/**
 * Watch the BuildConfig from the write's resourceVersion for `status.lastVersion` to move within `windowMs`.
 * Returns the new lastVersion, or undefined.
 */
async function watchLastVersion(client, written, windowMs, signal) {
    const name = written.metadata.name;
    const before = Number(written.status?.lastVersion ?? 0);
    const window = new AbortController();
    const timer = setTimeout(() => window.abort(), windowMs);
    const combined = signal ? AbortSignal.any([signal, window.signal]) : window.signal;
    let resourceVersion = written.metadata.resourceVersion;
    let failed = 0;
    try {
        while (!window.signal.aborted) {
            try {
                for await (const event of client.watch('build', 'buildconfigs', { fieldSelector: `metadata.name=${name}`, resourceVersion, timeoutSeconds: Math.ceil(windowMs / 1000) + 1 }, { signal: combined, inactivityMs: windowMs + 1000 })) {
                    if (event.object?.metadata?.resourceVersion)
                        resourceVersion = event.object.metadata.resourceVersion;
                    if (event.type === 'BOOKMARK' || event.object?.metadata?.name !== name)
                        continue;
                    const last = Number(event.object.status?.lastVersion ?? 0);
                    if (last > before)
                        return last;
                }
            }
            catch (error) {
                if (signal?.aborted)
                    throw signal.reason ?? error;
                if (window.signal.aborted)
                    break;
                // 410 or a broken stream: read the BuildConfig itself
                const current = await client.getBuildConfig(name, combined).catch(() => undefined);
                const last = Number(current?.status?.lastVersion ?? 0);
                if (last > before)
                    return last;
                resourceVersion = current?.metadata.resourceVersion;
                await sleep(Math.max(200, goneDelay(++failed)), combined).catch(() => { });
            }
        }
        return undefined;
    }
    finally {
        clearTimeout(timer);
    }
}
/** A build that exists right after lastVersion moved (instantiate updates the BuildConfig before creating it). */
async function getSoon(client, name, signal) {
    for (let attempt = 0; attempt < 20; attempt++) {
        try {
            return await client.getBuild(name, signal);
        }
        catch (error) {
            if (!isNotFound(error))
                throw error;
            await sleep(250, signal);
        }
    }
    return undefined;
}
const carries = (requestId) => (b) => b?.metadata?.annotations?.[REQUEST_ID_ANNOTATION] === requestId;
/** Find the build a lost instantiate may have created: the one carrying this run's request id. */
async function findRequested(client, plan, requestId, signal) {
    const list = await client.listBuilds({ labelSelector: requestSelector(plan) }, signal);
    return list.items.find(carries(requestId));
}
/**
 * The build an instantiate cut short (SIGINT/SIGTERM, timeout) may still create: the server can carry out a
 * request after its client gave up on it (a proxy or load balancer keeps the upstream request), so a single look
 * misses a build created a moment later. Lists the BuildConfig's builds, then watches them from that list for
 * one carrying this run's request id, for at most `withinMs`. undefined when none appeared.
 */
async function awaitRequested(client, plan, requestId, withinMs) {
    const labelSelector = requestSelector(plan);
    const deadline = AbortSignal.timeout(withinMs);
    const ours = carries(requestId);
    let failed = 0;
    try {
        while (!deadline.aborted) {
            const list = await client.listBuilds({ labelSelector }, deadline);
            const found = list.items.find(ours);
            if (found)
                return found;
            try {
                const query = { labelSelector, resourceVersion: list.metadata?.resourceVersion, timeoutSeconds: Math.ceil(withinMs / 1000) };
                for await (const event of client.watch('build', 'builds', query, { signal: deadline, inactivityMs: withinMs })) {
                    if (event.type !== 'DELETED' && ours(event.object))
                        return event.object;
                }
            }
            catch (error) {
                if (deadline.aborted)
                    break;
                await sleep(Math.max(200, goneDelay(++failed)), deadline);
            }
        }
    }
    catch (error) {
        if (!deadline.aborted)
            throw error;
    }
    return undefined;
}
/** Instantiate, or adopt the build the write of the BuildConfig made OpenShift start. */
async function startOrAdopt(client, plan, written, reporter, options = {}) {
    const { signal } = options;
    const name = plan.buildConfigName;
    if (mayFire(written, await (options.triggerTag ?? readTriggerTag(client, written, signal)))) {
        reporter.info(`The ImageChange trigger of ${name} may start a build by itself; watching ${name} for it`);
        const last = await watchLastVersion(client, written, options.adoptWindowMs ?? 3000, signal);
        if (last !== undefined) {
            const build = await getSoon(client, `${name}-${last}`, signal);
            if (build && triggeredByImageChange(build)) {
                reporter.info(`OpenShift started build ${build.metadata.name} (image change); following it instead of starting another`);
                return { build, adopted: true };
            }
            if (build)
                reporter.info(`Build ${build.metadata.name} was started by someone else; starting this run's own build`);
        }
    }
    const requestId = options.requestId ?? (0,external_node_crypto_.randomUUID)();
    const body = buildRequest(plan, requestId, options.lastVersion);
    for (let attempt = 0;; attempt++) {
        try {
            options.onInstantiate?.();
            const build = await client.instantiate(name, body, signal);
            reporter.info(`Started build ${build.metadata.name}`);
            return { build, adopted: false };
        }
        catch (error) {
            if (signal?.aborted)
                throw signal.reason ?? error;
            if (options.lastVersion !== undefined && isLastVersionMismatch(error)) {
                // a request of this run's whose answer was lost may be the one that moved it
                const found = attempt > 0 ? await findRequested(client, plan, requestId, signal) : undefined;
                if (found) {
                    reporter.info(`Build ${found.metadata.name} was started by this run's request; following it`);
                    return { build: found, adopted: false };
                }
                throw await startedSince(client, name, options.lastVersion, signal);
            }
            const ambiguous = error instanceof ClusterError && error.ambiguous;
            const safe = error instanceof ClusterError && (error.status === 409 || error.status === 429);
            if ((!ambiguous && !safe) || attempt >= 3)
                throw error;
            if (ambiguous) {
                reporter.warning(`${error.message}; looking for the build it may have started`);
                for (let look = 0; look < 3; look++) {
                    const found = await findRequested(client, plan, requestId, signal);
                    if (found) {
                        reporter.info(`Build ${found.metadata.name} was started by this run's request; following it`);
                        return { build: found, adopted: false };
                    }
                    await sleep(500 * (look + 1), signal);
                }
                reporter.info('No build was started; sending the request again');
            }
            else
                await sleep(500 * (attempt + 1), signal);
        }
    }
}

// EXTERNAL MODULE: ./src/plan/kind.ts + 2 modules
var kind = __webpack_require__(9996);
;// CONCATENATED MODULE: ./src/flow/direct.ts
/**
 * A scratch or isolated build (osbs-client's `_create_build_directly`): no BuildConfig is read or written, no
 * ImageStream touched; an isolated build is refused while another of the same repository and branch runs; a builder
 * given as an ImageStreamTag is resolved to its image (only a BuildConfig may name an ImageStreamTag there, as
 * osbs-client says); then the Build is posted. A POST whose answer was lost is never sent blindly again: the
 * Build has a name of its own, and carries this run's request id.
 */




/** osbs-client's uniqueness of isolated builds: none of the same repository and branch may be running. */
async function refuseRunningIsolated(client, plan, signal) {
    const list = await client.listBuilds({ labelSelector: requestSelector(plan) }, signal);
    const running = list.items.filter((b) => RUNNING_PHASES.has(phaseOf(b)));
    if (!running.length)
        return;
    const { git } = plan.settings;
    const names = running.map((b) => `${b.metadata.name} (${phaseOf(b)})`).join(', ');
    throw new Error(`Isolated build ${names} of ${git.uri} branch ${git.branch} is running; only one isolated build of a repository and branch runs at a time (as osbs-client's). ` +
        'Wait for it to end, or cancel it, then run again');
}
/** The builder image as a DockerImage: an ImageStreamTag is read for the image it points at. */
async function builderImage(client, from, signal) {
    if (from.kind !== 'ImageStreamTag')
        return from;
    try {
        const tag = await client.getImageStreamTag(from.name, signal);
        const image = tag.image?.dockerImageReference;
        if (typeof image === 'string' && image)
            return { kind: 'DockerImage', name: image };
        throw new Error(`ImageStreamTag ${from.name} (input build-imagestream) has no image yet`);
    }
    catch (error) {
        if (isNotFound(error))
            throw new Error(`ImageStreamTag ${from.name} (input build-imagestream) does not exist in namespace ${client.namespace}: a Build posted directly needs the builder's image`);
        throw error;
    }
}
/** The Build, once the server has it: what the POST answered, or (answer lost, or 409) the Build of that name if it is this run's. */
async function send(client, body, options) {
    const name = body.metadata.name;
    const ours = (b) => b?.metadata?.annotations?.[REQUEST_ID_ANNOTATION] === options.requestId;
    try {
        options.onSend?.();
        return await client.createBuild(body, options.signal);
    }
    catch (error) {
        if (options.signal?.aborted)
            throw options.signal.reason ?? error;
        const ambiguous = error instanceof ClusterError && error.ambiguous;
        if (!ambiguous && !isConflict(error))
            throw error;
        const found = await client.getBuild(name, options.signal).catch(() => undefined);
        if (ours(found))
            return found;
        if (isConflict(error))
            throw new Error(`A build named ${name} exists already and was not started by this run; run again (the name comes from the time and a random number)`);
        throw error;
    }
}
/** Post the plan's Build; returns it as the server created it. */
async function postDirectBuild(client, plan, reporter, options) {
    const rendered = plan.build;
    if (!rendered)
        throw new Error('postDirectBuild: the plan is a branch build');
    const { signal } = options;
    if (plan.kind === 'isolated')
        await refuseRunningIsolated(client, plan, signal);
    const custom = rendered.spec.strategy.customStrategy;
    const from = await builderImage(client, custom.from, signal);
    const body = {
        ...rendered,
        metadata: { ...rendered.metadata, annotations: runAnnotations(plan, options.requestId) },
        spec: {
            ...rendered.spec,
            revision: sourceRevision(plan),
            strategy: { ...rendered.spec.strategy, customStrategy: { ...custom, from } },
            triggeredBy: [{ message: triggerMessage(plan) }]
        }
    };
    const build = await send(client, body, options);
    reporter.info(`Started ${(0,kind/* kindTitle */.t5)(plan.settings)} ${build.metadata.name} (no BuildConfig)`);
    return build;
}

;// CONCATENATED MODULE: ./src/cluster/dispatcher.ts
/**
 * The transport of a request to a server other than the cluster (GitHub's commit status, the Koji hub): undici,
 * through the runner's proxy for that URL as the cluster's requests go (HTTPS_PROXY, HTTP_PROXY, NO_PROXY:
 * config.ts's proxyFor; a plain-http server behind a proxy in absolute form, forward-proxy.ts), with TLS verified
 * against Node's certificate authorities (the system's, and NODE_EXTRA_CA_CERTS: a job's own CA).
 */



/** The dispatcher of requests to `url`; the caller destroys it when done. */
function dispatcherFor(url, env) {
    const proxy = proxyFor(url, env);
    if (!proxy)
        return new undici/* Agent */.g6();
    return url.startsWith('http:') ? new ForwardProxyDispatcher(proxy, {}) : new undici/* ProxyAgent */.kT({ uri: proxy });
}

;// CONCATENATED MODULE: ./src/koji/xmlrpc.ts
/**
 * XML-RPC messages as a Koji hub reads and writes them (Python's xmlrpc.client with koji's xmlrpcplus): a
 * `methodCall` out; a `methodResponse` or a fault in, with struct, array, string, int/i4/i8, boolean, double, nil
 * (Koji's None), dateTime.iso8601 and base64 (kept as their text). Pure.
 *
 * Why not a library: the npm `xmlrpc` package exports only its own HTTP client and server (its serializer and
 * stream deserializer are not public API), so the Koji request could not go through the cluster's undici transport
 * with the runner's proxy; `@foxglove/xmlrpc` 1.3.0 exports `serializeMethodCall` and `Deserializer`, but bundles
 * to 508 KB minified (xmlbuilder2, @oozcitak/dom, node-fetch, js-yaml 4; measured with esbuild on an entry that
 * imports only those two) for the ~100 lines below.
 */
const xmlrpc_escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function xmlrpc_unescape(s) {
    return s.replace(/&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, name, dec, hex) => name ? ENTITIES[name] : String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hex, 16)));
}
function encodeValue(v) {
    if (v === null)
        return '<value><nil/></value>';
    if (typeof v === 'boolean')
        return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
    if (typeof v === 'number')
        return Number.isInteger(v) ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`;
    if (typeof v === 'string')
        return `<value><string>${xmlrpc_escape(v)}</string></value>`;
    if (Array.isArray(v))
        return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`;
    const members = Object.entries(v).map(([k, x]) => `<member><name>${xmlrpc_escape(k)}</name>${encodeValue(x)}</member>`);
    return `<value><struct>${members.join('')}</struct></value>`;
}
/**
 * A call; `keywords` are Python keyword arguments as koji's ClientSession sends them (koji.encode_args: a last
 * struct with `__starstar`).
 */
function encodeCall(method, params, keywords) {
    const all = keywords ? [...params, { ...keywords, __starstar: true }] : params;
    return `<?xml version='1.0'?>\n<methodCall><methodName>${xmlrpc_escape(method)}</methodName><params>${all.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>\n`;
}
/** A fault the hub answered (a koji exception: its code names the class, koji.convertFault). */
class XmlRpcFault extends Error {
    faultCode;
    faultString;
    constructor(faultCode, faultString) {
        super(`Fault ${faultCode}: ${faultString}`);
        this.faultCode = faultCode;
        this.faultString = faultString;
    }
}
/** The tags and texts of a message (no attributes in XML-RPC), prolog, comments and blank text between tags left out. */
function tokens(xml) {
    const out = [];
    const pattern = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z0-9.]+)\s*(\/?)>|([^<]+)|(<)/g;
    for (const m of xml.matchAll(pattern)) {
        if (m[5])
            throw new Error(`not XML-RPC: an unexpected "<" at ${m.index}`);
        if (m[2])
            out.push({ tag: m[2], close: m[1] === '/', empty: m[3] === '/' });
        else if (m[4] !== undefined)
            out.push({ text: m[4] });
    }
    return out;
}
/** Reads the tokens of one message. */
class Reader {
    list;
    at = 0;
    constructor(list) {
        this.list = list;
    }
    next() {
        return this.list[this.at++];
    }
    /** The next tag, skipping blank text. */
    tag() {
        for (;;) {
            const t = this.next();
            if (!t)
                throw new Error('not XML-RPC: the message ends early');
            if ('tag' in t)
                return t;
            if (t.text.trim())
                throw new Error(`not XML-RPC: text ${JSON.stringify(t.text.trim().slice(0, 40))} where a tag was expected`);
        }
    }
    open(name) {
        const t = this.tag();
        if (t.tag !== name || t.close || t.empty)
            throw new Error(`not XML-RPC: <${t.close ? '/' : ''}${t.tag}> where <${name}> was expected`);
    }
    close(name) {
        const t = this.tag();
        if (t.tag !== name || !t.close)
            throw new Error(`not XML-RPC: <${t.close ? '/' : ''}${t.tag}> where </${name}> was expected`);
    }
    /** The text up to the closing tag `name` (empty when there is none). */
    text(name) {
        const t = this.list[this.at];
        const text = t && 'text' in t ? (this.at++, xmlrpc_unescape(t.text)) : '';
        this.close(name);
        return text;
    }
    /** Whether the next tag (blank text skipped) opens `name`; does not consume it. */
    peek(name) {
        let i = this.at;
        while (this.list[i] && 'text' in this.list[i] && !this.list[i].text.trim())
            i++;
        const t = this.list[i];
        return Boolean(t && 'tag' in t && t.tag === name && !t.close);
    }
    value() {
        this.open('value');
        // <value>text</value> (and <value></value>) is a string; else a type's tag follows, maybe after blank text
        const [first, second] = [this.list[this.at], this.list[this.at + 1]];
        const opens = (t) => Boolean(t && 'tag' in t && !t.close);
        if (!opens(first) && !(first && 'text' in first && !first.text.trim() && opens(second)))
            return this.text('value');
        const t = this.tag();
        let v;
        if (t.empty)
            v = t.tag === 'nil' ? null : t.tag === 'string' ? '' : fail(`<${t.tag}/>`);
        else if (t.tag === 'array')
            v = this.array();
        else if (t.tag === 'struct')
            v = this.struct();
        else
            v = scalar(t.tag, this.text(t.tag));
        this.close('value');
        return v;
    }
    array() {
        this.open('data');
        const items = [];
        while (this.peek('value'))
            items.push(this.value());
        this.close('data');
        this.close('array');
        return items;
    }
    struct() {
        const members = {};
        while (this.peek('member')) {
            this.open('member');
            this.open('name');
            const name = this.text('name');
            members[name] = this.value();
            this.close('member');
        }
        this.close('struct');
        return members;
    }
}
function fail(what) {
    throw new Error(`not XML-RPC: ${what}`);
}
function scalar(type, text) {
    switch (type) {
        case 'int':
        case 'i4':
        case 'i8':
            return /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : fail(`<${type}>${text}</${type}>`);
        case 'double':
            return Number(text);
        case 'boolean':
            return text.trim() === '1';
        case 'string':
        case 'dateTime.iso8601':
        case 'base64':
            return text;
        case 'nil':
            return null;
        default:
            return fail(`the type <${type}>`);
    }
}
/** The value of a methodResponse; a fault is thrown as XmlRpcFault, anything else not XML-RPC as an Error. */
function decodeResponse(xml) {
    const r = new Reader(tokens(xml));
    r.open('methodResponse');
    if (r.peek('fault')) {
        r.open('fault');
        const fault = r.value();
        throw new XmlRpcFault(Number(fault?.faultCode), String(fault?.faultString));
    }
    r.open('params');
    r.open('param');
    const value = r.value();
    r.close('param');
    r.close('params');
    r.close('methodResponse');
    return value;
}

;// CONCATENATED MODULE: ./src/koji/hub.ts
/**
 * One anonymous call to a Koji hub, as koji's ClientSession makes it without a login (`koji buildinfo`, `koji
 * list-builds`): `POST <koji-hub>` with an XML-RPC methodCall, keyword arguments as koji.encode_args sends them. Over
 * the cluster module's transport (cluster/dispatcher.ts: the runner's proxy, Node's CAs). A failure is a
 * KojiCallError saying what failed, never with the URL's user info.
 */





/** What a call to the hub failed with: `<method>: <why>`. */
class KojiCallError extends Error {
    method;
    faultCode;
    constructor(method, why, 
    /** Koji's fault code, when the hub answered with a fault. */
    faultCode) {
        super(`${method}: ${why}`);
        this.method = method;
        this.faultCode = faultCode;
        this.name = 'KojiCallError';
    }
}
/** The hub's answer to `method(*params, **keywords)`. */
async function kojiCall(hub, method, params, keywords, options = {}) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const dispatcher = dispatcherFor(hub, options.env ?? process.env);
    let text;
    try {
        const response = await (0,undici/* fetch */.hd)(hub, {
            method: 'POST',
            dispatcher,
            signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
            headers: { 'content-type': 'text/xml', 'user-agent': `osbs-build-action/${version/* VERSION */.x}` },
            body: encodeCall(method, params, keywords)
        });
        text = await response.text();
        if (!response.ok)
            throw new KojiCallError(method, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    catch (error) {
        if (error instanceof KojiCallError)
            throw error;
        // undici's "fetch failed" has the reason in its cause (connect ECONNREFUSED ..., a certificate error)
        const cause = error.cause;
        const why = timeout.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : typeof cause?.message === 'string' ? cause.message : error.message;
        throw new KojiCallError(method, (0,mask/* withoutUserInfo */.sl)(why));
    }
    finally {
        void dispatcher.destroy().catch(() => { });
    }
    try {
        return decodeResponse(text);
    }
    catch (error) {
        if (error instanceof XmlRpcFault)
            throw new KojiCallError(method, `the hub answered with fault ${error.faultCode}: ${error.faultString}`, error.faultCode);
        throw new KojiCallError(method, `the answer is not XML-RPC (${error.message})`);
    }
}

;// CONCATENATED MODULE: ./src/koji/image-rpms.ts
/**
 * The RPMs a Koji build's images hold, as the hub recorded them when koji_promote imported the build: its image
 * archives (`listArchives(buildID=<id>, type='image')`, what `koji buildinfo` lists as "Image archives") and each
 * one's RPM components (`listRPMs(imageID=<archive id>)`, what Koji's web UI lists as an archive's "RPM
 * components"). CGImport keeps the components of the image output that match RPMs the hub knows.
 */

/** Structs with a numeric `id` from a list answer; anything else is not Koji's answer. */
function ids(method, answer) {
    if (!Array.isArray(answer))
        throw new Error(`${method}: the hub answered ${answer === null ? 'None' : typeof answer}, not a list`);
    return answer.map((item) => {
        const id = item && typeof item === 'object' && !Array.isArray(item) ? item.id : undefined;
        if (typeof id !== 'number')
            throw new Error(`${method}: an entry of the hub's answer has no id`);
        return id;
    });
}
async function imageRpms(hub, buildId, options = {}) {
    const archives = ids('listArchives', await kojiCall(hub, 'listArchives', [], { buildID: buildId, type: 'image' }, options));
    const rpms = new Set();
    for (const archive of archives)
        for (const id of ids('listRPMs', await kojiCall(hub, 'listRPMs', [], { imageID: archive }, options)))
            rpms.add(id);
    return { archives, rpms: rpms.size };
}

;// CONCATENATED MODULE: ./src/flow/koji-rpms.ts
/**
 * The RPM count of a Complete build from the Koji hub. atomic-reactor 1.6.26.3 leaves the Build's `rpm-packages`
 * annotation empty and sends the image's RPM list (all_rpm_packages) to Koji only, as the image output's
 * components of the build koji_promote imports; so when the Build names its Koji build (the `koji-build-id` label)
 * and `koji-hub` is set, the count is what the hub holds for that build's images (koji/image-rpms.ts). An annotation
 * that lists RPMs is kept. A hub that cannot be asked is a warning, never a failed run: the count is left out.
 */


/** `facts` with `koji.rpmCount` from the hub, when the Build's annotation gave none and the hub can say it. */
async function withHubRpmCount(facts, settings, reporter, options = {}) {
    const { buildId, rpmCount } = facts.koji;
    if (rpmCount !== undefined || !buildId || !settings.kojiHub)
        return facts;
    const hub = settings.kojiHub;
    try {
        const found = await imageRpms(hub, Number(buildId), options);
        if (!found.archives.length) {
            reporter.warning(`The Koji hub ${(0,server_url/* shownUrl */.zA)(hub)} holds no image archive for Koji build ${buildId}, so it lists no RPMs for it; the rpm-count output is left empty`);
            return facts;
        }
        reporter.debug(`Koji build ${buildId}: ${found.rpms} RPMs in its image archives ${found.archives.join(', ')} (${(0,server_url/* shownUrl */.zA)(hub)})`);
        return { ...facts, koji: { ...facts.koji, rpmCount: found.rpms } };
    }
    catch (error) {
        reporter.warning(`The RPM count of Koji build ${buildId} could not be read from the Koji hub ${(0,server_url/* shownUrl */.zA)(hub)}: ${error.message}. The rpm-count output is left empty; the build itself is not affected`);
        return facts;
    }
}

// EXTERNAL MODULE: ./src/flow/state.ts
var state = __webpack_require__(7573);
;// CONCATENATED MODULE: ./src/flow/index.ts
/**
 * The OSBS build flow of SPEC §6.1–§6.6 as a library function: `createBuild(plan, client, reporter, options)`.
 * It reports only through the Reporter and needs nothing of the GitHub toolkit.
 *
 *   discovery check → secret check → base ImageStream notice → BuildConfig (collision check, running-build policy, create/update with
 *   conflict retry) → instantiate or adopt → log follow ‖ wait by watch → the image's ImageStream and the Koji build's RPM count
 *   (Complete builds) → outputs and summary.
 *
 * Timeout (`timeout-minutes`) and the caller's abort signal (SIGINT/SIGTERM) cancel the build.
 */























/** The API URL of a build (the cluster module builds every URL). */
function apiUrl(client, build) {
    return client.objectUrl('build', 'builds', build);
}
/** Run the whole flow. Never throws for a build that fails or is cancelled: the result says so. Throws for
 * problems before a build exists (unreachable cluster, missing secret, collision, on-running-build fail). */
async function createBuild(plan, client, reporter, options = {}) {
    const settings = plan.settings;
    const timeoutMs = options.timeoutMs ?? settings.timeoutMinutes * 60_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RunAborted(`timeout-minutes (${settings.timeoutMinutes}) passed`)), Math.min(timeoutMs, 2 ** 31 - 1));
    const onOuterAbort = () => controller.abort(new RunAborted(abortReason(options.signal)));
    if (options.signal?.aborted)
        onOuterAbort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const run = {
        plan,
        client,
        reporter,
        options,
        signal: controller.signal,
        requestId: (0,external_node_crypto_.randomUUID)(),
        waitForEnd: options.wait ?? settings.wait,
        adopted: false,
        instantiateSent: false
    };
    try {
        const { build, buildUrl } = await writeAndStart(run);
        if (!run.waitForEnd) {
            reporter.saveState(state/* STATE_BUILD_LEFT_RUNNING */.Ly, 'true');
            const facts = factsOf(run, build, buildUrl);
            return finish(run, { success: true, buildName: build.metadata.name, phase: phaseOf(build), build, facts });
        }
        const ended = await followAndWait(run, build);
        return await conclude(run, build.metadata.name, buildUrl, ended);
    }
    catch (error) {
        if (!run.signal.aborted)
            throw error;
        return await concludeAborted(run);
    }
    finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onOuterAbort);
    }
}
/** The result of a run, its outputs set: the facts of the build make the outputs and the summary. */
function finish(run, partial) {
    const { plan, adopted } = run;
    const result = { buildConfig: plan.buildConfigName, adopted, outputs: {}, summary: '', ...partial };
    // The base image is the Dockerfile's: atomic-reactor 1.6.26.3's base-image-name annotation names the build
    // itself once pull_base_image has re-tagged the parent image with the build's name.
    if (result.facts)
        result.facts = { ...result.facts, baseImage: plan.baseImage ?? undefined };
    if (result.facts) {
        result.outputs = (0,outputs/* outputsFrom */.v3)(result.facts, {
            baseImageStreamTag: plan.baseImageStreamTag,
            autorebuild: plan.autorebuild.enabled
        });
        result.summary = renderSummary({
            facts: result.facts,
            autorebuild: plan.autorebuild,
            baseImageStreamTag: plan.baseImageStreamTag,
            adopted,
            failure: result.failure,
            notWaited: !run.waitForEnd,
            imageStream: result.imageStream
        });
    }
    for (const [key, value] of Object.entries(result.outputs))
        run.reporter.setOutput(key, value);
    if (run.configJson !== undefined)
        result.outputs['build-config-json'] = run.configJson;
    return result;
}
/**
 * The first reads do not depend on each other: they go out together and are judged in this order (§6.1
 * discovery, the permission Custom builds need, §5.3 secrets, §5.4 base ImageStream, §5.1 the BuildConfig, §6.3 the trigger's tag, the console).
 */
function firstReads({ plan, client, options, signal }) {
    const first = {
        api: client.checkBuildApi(signal),
        customStrategy: readCustomStrategy(plan, client, signal),
        secrets: readSecrets(plan, client, signal),
        baseStream: readBaseImageStream(plan, client, signal),
        buildConfig: plan.build ? Promise.resolve(undefined) : client.getBuildConfig(plan.buildConfigName, signal),
        triggerTag: readTriggerTag(client, plan.buildConfig, signal),
        console: options.consoleUrl ? Promise.resolve(undefined) : client.consoleUrl(signal).catch(() => undefined)
    };
    // Each is awaited below; one that fails after an earlier verdict ended the run is of no interest.
    for (const read of Object.values(first))
        read.catch(() => { });
    return first;
}
/** The checks, the BuildConfig written (§5.1, with §6.2 the running-build policy before the write), the build started or adopted (§6.3). */
async function writeAndStart(run) {
    const { plan, client, reporter, signal } = run;
    reporter.startGroup(`OpenShift ${client.server}, namespace ${client.namespace}`);
    const first = firstReads(run);
    let build;
    try {
        await first.api;
        reportCustomStrategy(await first.customStrategy);
        reportSecrets(await first.secrets, reporter);
        reportBaseImageStream(await first.baseStream, reporter);
        // scratch, isolated: a Build posted directly, no BuildConfig (direct.ts)
        if (plan.build)
            build = run.build = await postDirectBuild(client, plan, reporter, { signal, requestId: run.requestId, onSend: () => (run.instantiateSent = true) });
        else
            build = await writeAndInstantiate(run, first);
    }
    finally {
        reporter.endGroup();
    }
    return announce(run, build, first.console);
}
/** §5.1 the BuildConfig written (with §6.2 the running-build policy before the write), §6.3 the build started or adopted. */
async function writeAndInstantiate(run, first) {
    const { plan, client, reporter, options, signal } = run;
    const settings = plan.settings;
    const applied = await applyBuildConfig(client, plan.buildConfig, reporter, {
        signal,
        firstRead: first.buildConfig,
        beforeWrite: runningPolicyBeforeWrite(client, plan.buildConfigName, settings.onRunningBuild, reporter, signal)
    });
    // On the cluster as rendered: said now, so that a run that fails after this has it too.
    run.configJson = (0,outputs/* buildConfigJson */.Ti)(plan.buildConfig);
    reporter.setOutput('build-config-json', run.configJson);
    const started = await startOrAdopt(client, plan, applied.buildConfig, reporter, {
        signal,
        adoptWindowMs: options.adoptWindowMs,
        requestId: run.requestId,
        triggerTag: first.triggerTag,
        lastVersion: settings.onRunningBuild === 'fail' ? Number(applied.buildConfig.status?.lastVersion ?? 0) : undefined,
        onInstantiate: () => (run.instantiateSent = true)
    });
    run.adopted = started.adopted;
    return (run.build = started.build);
}
/** The build is started: its name saved for the post step, its page said. */
async function announce(run, build, console) {
    const { client, reporter, options, signal } = run;
    const name = build.metadata.name;
    reporter.saveState(state/* STATE_BUILD_NAME */.p_, name);
    const buildUrl = (run.buildUrl = options.consoleUrl?.(client.namespace, name) ?? (await client.buildPageUrl(name, signal, console)));
    reporter.info(`Build ${name}: ${buildUrl}`);
    options.onStarted?.({ name, url: buildUrl });
    return { build, buildUrl };
}
/** §6.4 logs ‖ §6.5 wait: the build's log followed while its phase is watched; returns the build as it ended. */
async function followAndWait(run, build) {
    const { plan, client, reporter, options, signal } = run;
    const name = build.metadata.name;
    const stopLogs = new AbortController();
    const logSignal = AbortSignal.any([signal, stopLogs.signal]);
    // A failure of the log that no retry mends (the token rejected, the account denied) ends the wait too.
    const stopWait = new AbortController();
    // The watch below sees the build end; the log follower asks it instead of the server.
    const end = new BuildEnd(build);
    const follower = (options.followLogs ?? plan.settings.followLogs) ? new LogFollower(client, name, reporter) : undefined;
    const logs = follower
        ? follower.follow({ signal: logSignal, drain: options.drain, build: end }).catch((error) => {
            if (logSignal.aborted)
                return undefined;
            if (isDenied(error))
                stopWait.abort(error);
            else
                reporter.warning(`The build log could not be followed: ${error.message}`);
            return undefined;
        })
        : undefined;
    let last = build;
    let ended;
    try {
        ended = await waitForTerminal(client, name, {
            signal: AbortSignal.any([signal, stopWait.signal]),
            from: build,
            onUpdate: (b) => {
                // debug: an info line could land inside the log's plugin groups
                if (phaseOf(b) !== phaseOf(last))
                    reporter.debug(`Build ${name}: ${phaseOf(b)}`);
                last = b;
                end.seen(b);
            }
        });
    }
    catch (error) {
        // The wait failed (the build or its BuildConfig deleted, the server gone, the token rejected): the log
        // follower has nothing left to wait for, and the step ends with the wait's error.
        stopLogs.abort();
        await logs;
        throw error;
    }
    end.seen(ended);
    if (logs && follower)
        await endLog(run, follower, logs, stopLogs);
    return ended;
}
/** The log ends with the build; give a slow stream a moment, then stop it and read what it has not printed yet. */
async function endLog(run, follower, logs, stopLogs) {
    const { reporter, signal } = run;
    const graceMs = run.options.logGraceMs ?? 30_000;
    const grace = new Promise((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
    const outcome = await Promise.race([logs, grace]);
    if (outcome === 'late') {
        stopLogs.abort();
        await logs;
        try {
            const missing = await follower.catchUp(signal);
            reporter.debug(`Build log: the stream was still open ${Math.round(graceMs / 1000)} s after the build ended; the final log had ${missing} more lines`);
        }
        catch (error) {
            if (signal.aborted)
                throw error;
            reporter.warning(`The build log could not be read to its end after the build ended (${error.message}); it may be incomplete`);
        }
    }
    else if (outcome?.incomplete)
        reporter.debug(`Build log: ${outcome.incomplete}`);
}
/** What the Build says, read with what the plan knows (its BuildConfig, registries, Koji's web UI). */
function factsOf(run, build, buildUrl) {
    const { plan } = run;
    return (0,outputs/* readBuild */.lT)(build, { buildConfig: plan.buildConfigName, registries: plan.settings.registries, buildUrl, kojiWebUrl: plan.settings.kojiWebUrl });
}
/** The build ended: its final state read, the image's ImageStream written for a Complete one (§6.6), the plugin errors reported otherwise. */
async function conclude(run, name, buildUrl, ended) {
    const { plan, client, reporter, options, signal } = run;
    reporter.saveState(state/* STATE_BUILD_FINISHED */.WM, 'true');
    const build = (run.build = await client.getBuild(name, signal).catch(() => ended));
    let facts = factsOf(run, build, buildUrl);
    const phase = facts.phase;
    if (phase === 'Complete') {
        reporter.info(`Build ${name} is Complete`);
        facts = await withHubRpmCount(facts, plan.settings, reporter, { signal });
        const imageStream = await updateImageStream(client, plan, build, reporter, { signal, importWaitMs: options.importWaitMs });
        return finish(run, { success: true, buildName: name, phase, build, facts, imageStream });
    }
    const errors = (0,outputs/* pluginErrorMessages */.k1)(facts.pluginErrors);
    // no plugin error: the build may have failed at the clone, before any plugin ran
    const cloneFailure = errors.length === 0 && phase === 'Failed' ? await readCloneFailure(plan, client, name, signal) : undefined;
    if (cloneFailure)
        errors.push(cloneFailure);
    for (const error of errors)
        reporter.error(error, { title: `Build ${name} ${phase}` });
    const failure = errors[0] ?? `Build ${name} ended ${phase}${facts.message ? `: ${facts.message}` : ''}`;
    return finish(run, { success: false, buildName: name, phase, build, facts, failure, failureReported: errors.length > 0 });
}
/** The run was aborted (timeout-minutes, a signal): the build it started, or that its cut-short instantiate started, is cancelled. */
async function concludeAborted(run) {
    const { plan, client, reporter, options } = run;
    const why = abortReason(run.signal);
    let build = run.build;
    if (!build) {
        if (!run.instantiateSent)
            throw new Error(`${why}; no build was started`);
        // An instantiate cut short may still be carried out, also after this run gave up on its answer: cancel what it started.
        const lookMs = options.cancelGraceMs ?? 5000;
        build = await awaitRequested(client, plan, run.requestId, lookMs).catch(() => undefined);
        if (!build)
            throw new Error(`${why}; the request to start a build was cut short, and no build from it appeared within ${Math.round(lookMs / 1000)} s`);
        reporter.info(`Build ${build.metadata.name} was started by this run's request after ${why}; cancelling it`);
    }
    const name = build.metadata.name;
    const ended = await cancelAndConfirm(client, name, reporter, why, options.cancelGraceMs ?? 5000);
    reporter.saveState(state/* STATE_BUILD_FINISHED */.WM, 'true');
    const buildUrl = (run.buildUrl ??= options.consoleUrl?.(client.namespace, name) ?? apiUrl(client, name));
    const facts = factsOf(run, ended ?? build, buildUrl);
    if (facts.phase === 'Complete') {
        // It ended just before the cancellation could apply: the build is good.
        reporter.info(`Build ${name} is Complete`);
        return finish(run, { success: true, buildName: name, phase: facts.phase, build: ended ?? build, facts });
    }
    return finish(run, {
        success: false,
        buildName: name,
        phase: facts.phase,
        build: ended ?? build,
        facts,
        failure: `${why}: build ${name} ${facts.phase === 'Cancelled' ? 'was cancelled' : `cancellation requested (${facts.phase})`}`
    });
}

;// CONCATENATED MODULE: ./src/github/statuses.ts
/**
 * The one request the action makes to GitHub: `POST /repos/{owner}/{repo}/statuses/{sha}` (create a commit
 * status), with undici's fetch. Octokit would bring 220 KB into the bundle for this one call, and the toolkit's
 * `@actions/github` loads it with the action; undici is the cluster's HTTP client already. The proxy of the
 * runner (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is honoured as for the cluster.
 *
 * The answer is never thrown: a status GitHub refuses must not fail the build's step, so the caller gets what
 * GitHub said (the HTTP status, its message, the permission it asks for) and says it once.
 */



/** The REST API version the request is written for (GitHub's `X-GitHub-Api-Version`). */
const GITHUB_API_VERSION = '2022-11-28';
/** The URL of the statuses of `sha` in `repository`. */
function statusesUrl(target) {
    const [owner = '', name = ''] = target.repository.split('/');
    return `${target.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/statuses/${encodeURIComponent(target.sha)}`;
}
/** Sends one commit status; resolves with GitHub's answer, never rejects. */
async function postCommitStatus(target, status, options = {}) {
    const url = statusesUrl(target);
    const dispatcher = dispatcherFor(url, options.env ?? process.env);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    try {
        const response = await (0,undici/* fetch */.hd)(url, {
            method: 'POST',
            dispatcher,
            signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
            headers: {
                accept: 'application/vnd.github+json',
                authorization: `Bearer ${target.token}`,
                'content-type': 'application/json',
                'user-agent': `osbs-build-action/${version/* VERSION */.x}`,
                'x-github-api-version': GITHUB_API_VERSION
            },
            body: JSON.stringify(status)
        });
        const text = await response.text();
        if (response.ok)
            return { ok: true };
        const accepted = response.headers.get('x-accepted-github-permissions') ?? undefined;
        return { ok: false, status: response.status, message: messageOf(text) || response.statusText, ...(accepted ? { acceptedPermissions: accepted } : {}) };
    }
    catch (error) {
        const cause = error.cause;
        const why = timeout.aborted ? `no answer within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s` : cause instanceof Error ? cause.message : error.message;
        return { ok: false, message: `${new URL(url).host}: ${why}` };
    }
    finally {
        void dispatcher.destroy().catch(() => { });
    }
}
/** GitHub's `message` of an error body (JSON `{message, errors}`), the first line of other text. */
function messageOf(text) {
    try {
        const body = JSON.parse(text);
        const details = Array.isArray(body.errors)
            ? body.errors.map((e) => (typeof e?.message === 'string' ? e.message : typeof e?.field === 'string' ? `${e.field} is not valid` : '')).filter(Boolean)
            : [];
        if (typeof body.message === 'string')
            return [body.message, ...details].join(': ');
    }
    catch {
        /* not JSON */
    }
    return text.split('\n')[0].slice(0, 200);
}

;// CONCATENATED MODULE: ./src/report/commit-status.ts
const DESCRIPTION_LIMIT = 140;
/**
 * The status's context: one per BuildConfig, so that two builds of a commit (two Dockerfiles) keep their own; a
 * scratch or an isolated build of it (a Build posted directly) has its own beside the branch's.
 */
function statusContext(buildConfig, kind = 'branch') {
    return kind === 'branch' ? `osbs/${buildConfig}` : `osbs/${kind}/${buildConfig}`;
}
/** `text` within GitHub's limit, counted in characters (code points) as GitHub counts them; cut with an ellipsis. */
function limitDescription(text) {
    const oneLine = text.replace(/\s+/g, ' ').trim();
    const chars = Array.from(oneLine);
    return chars.length <= DESCRIPTION_LIMIT ? oneLine : `${chars.slice(0, DESCRIPTION_LIMIT - 1).join('')}…`;
}
/** The image a reviewer pulls: the build's unique tag (only this build has it), else the first image pushed. */
function imageToPull(facts) {
    return (facts.images.find((i) => i.role === 'unique') ?? facts.images[0])?.pullSpec;
}
function pendingStatus(buildName) {
    return { state: 'pending', description: limitDescription(`Build ${buildName} is running on OpenShift`) };
}
/** The status of a build that ended. */
function finalStatus({ facts, success, failure, pullRequest }) {
    const name = facts.buildName;
    if (success && facts.phase === 'Complete') {
        const image = imageToPull(facts);
        if (!image)
            return { state: 'success', description: limitDescription(`Build ${name} is Complete`) };
        const pushed = pullRequest ? `docker pull ${image}` : `Pushed ${image}`;
        // A pull spec cut short is of no use: past the limit, the job summary has it.
        return { state: 'success', description: Array.from(pushed).length <= DESCRIPTION_LIMIT ? pushed : limitDescription(`Build ${name} is Complete; the image is in the job summary`) };
    }
    const why = failure ?? facts.message;
    const text = `Build ${name} ${facts.phase}${why ? `: ${why}` : ''}`;
    return { state: facts.phase === 'Failed' ? 'failure' : 'error', description: limitDescription(text) };
}
/** The status of a run that lost track of its build (the wait or the log failed for good). */
function unknownStatus(buildName, error) {
    return { state: 'error', description: limitDescription(`Build ${buildName}: its end is not known: ${error}`) };
}

;// CONCATENATED MODULE: ./src/flow/commit-status.ts


/** The first line of the warning for a status GitHub did not take. */
function refusalWarning(settings, context, answer) {
    const where = `The commit status ${context} was not set on ${settings.repository}@${settings.sha.slice(0, 7)}`;
    const said = answer.status ? `GitHub answered ${answer.status} (${answer.message})` : answer.message;
    if (answer.status === 401)
        return `${where}: ${said}. github-token is not a valid token; give the job's own (the default) or set commit-status: false`;
    if (answer.status === 403 || answer.status === 404) {
        const asks = answer.acceptedPermissions ? ` (GitHub asks for ${answer.acceptedPermissions})` : '';
        const fork = settings.fromFork ? ' A pull request from a fork gets a read-only token under `pull_request`, whatever the workflow asks for.' : '';
        return `${where}: ${said}. The token needs the permission \`statuses: write\`${asks}: add \`statuses: write\` to the job's \`permissions:\`, ` + `or set commit-status: false.${fork}`;
    }
    return `${where}: ${said}. The build's result is not changed by this`;
}
class CommitStatusReporter {
    settings;
    reporter;
    options;
    context;
    queue = Promise.resolve();
    refusal;
    warned = false;
    buildName;
    buildUrl;
    sent;
    constructor(settings, buildConfig, reporter, options = {}, kind = 'branch') {
        this.settings = settings;
        this.reporter = reporter;
        this.options = options;
        this.context = statusContext(buildConfig, kind);
    }
    /** The build exists: `pending`, linked to its page. Returns at once; the request goes out in the background. */
    started(build) {
        this.buildName = build.name;
        this.buildUrl = build.url;
        this.send(pendingStatus(build.name), build.url);
    }
    /** The build ended (or the run gave up on it): its final state, sent and awaited. */
    async ended(result) {
        if (this.buildName === undefined)
            return;
        if (result.facts) {
            const status = finalStatus({ facts: result.facts, success: result.success, failure: result.failure, pullRequest: this.settings.pullRequest !== undefined });
            this.send(status, result.facts.buildUrl);
        }
        await this.settle();
    }
    /** The run lost its build (the wait failed): `error`, so that the commit is not left pending. */
    async lost(error) {
        if (this.buildName === undefined)
            return;
        this.send(unknownStatus(this.buildName, error instanceof Error ? error.message : String(error)), this.buildUrl);
        await this.settle();
    }
    /** Markdown for the job summary: the status set, and for a pull request the image to pull. */
    summary(facts) {
        if (!this.sent || this.refusal)
            return '';
        const lines = [`Commit status \`${this.context}\` on \`${this.settings.sha.slice(0, 7)}\`: ${this.sent.state}`];
        const image = facts?.phase === 'Complete' ? imageToPull(facts) : undefined;
        if (this.settings.pullRequest !== undefined && image)
            lines.push(`Pull request #${this.settings.pullRequest}'s image: \`docker pull ${image}\``);
        return `\n${lines.join('\n\n')}\n`;
    }
    send(status, targetUrl) {
        this.queue = this.queue.then(async () => {
            if (this.refusal !== undefined)
                return;
            const body = { state: status.state, description: status.description, context: this.context, ...(targetUrl ? { target_url: targetUrl } : {}) };
            const answer = await postCommitStatus(this.settings, body, this.options);
            if (answer.ok) {
                this.sent = status;
                this.reporter.debug(`Commit status ${this.context} on ${this.settings.sha}: ${status.state}`);
            }
            else
                this.refusal = refusalWarning(this.settings, this.context, answer);
        });
    }
    async settle() {
        await this.queue;
        if (this.refusal !== undefined && !this.warned) {
            this.warned = true;
            this.reporter.warning(this.refusal);
        }
        else if (this.sent && !this.refusal)
            this.reporter.info(`Commit status ${this.context}: ${this.sent.state} (${this.sent.description})`);
    }
}
/** The run's commit status reporter; none when no status is to be sent (no token, commit-status: false, wait: false). */
function commitStatusFor(settings, buildConfig, reporter, options = {}) {
    if (!settings.commitStatus)
        return undefined;
    if (!settings.wait) {
        reporter.debug('No commit status: with wait: false the run does not see the build end, and a status would stay pending');
        return undefined;
    }
    return new CommitStatusReporter(settings.commitStatus, buildConfig, reporter, options, settings.kind);
}

;// CONCATENATED MODULE: ./src/lib.ts
/**
 * What the action's steps need only once they send a request: the cluster client and the build flow. `main.ts`
 * and `post.ts` load it with `import()`, so that a dry run, an invalid input and a post step with nothing to do
 * never load (nor parse) it; the bundle keeps it in a chunk of its own.
 */





/***/ })

};

//# sourceMappingURL=105.index.js.map