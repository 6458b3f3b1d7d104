export const id = 373;
export const ids = [373];
export const modules = {

/***/ 5373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  githubContext: () => (/* binding */ githubContext),
  readSettings: () => (/* binding */ readSettings)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 20 modules
var core = __webpack_require__(3218);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
;// CONCATENATED MODULE: ./src/action/github-context.ts
function githubContextFrom(env, readFile) {
    const payload = eventPayload(env.GITHUB_EVENT_PATH, readFile);
    const runId = Number.parseInt(env.GITHUB_RUN_ID ?? '', 10);
    return {
        ref: env.GITHUB_REF || undefined,
        sha: env.GITHUB_SHA || undefined,
        repository: repositoryOf(env.GITHUB_REPOSITORY, payload),
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        apiUrl: env.GITHUB_API_URL || undefined,
        runId: Number.isFinite(runId) && runId > 0 ? runId : undefined,
        actor: env.GITHUB_ACTOR || undefined,
        eventName: env.GITHUB_EVENT_NAME || undefined,
        payload
    };
}
/** The event's payload; none when the file is missing or is not a JSON object (`head_commit` and `pull_request.head` are read from it). */
function eventPayload(file, readFile) {
    const text = file ? readFile(file) : null;
    if (text === null)
        return {};
    try {
        const value = JSON.parse(text);
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    }
    catch {
        return {};
    }
}
/** `owner/name`: GITHUB_REPOSITORY, else the payload's repository (as `@actions/github`'s `context.repo`). */
function repositoryOf(variable, payload) {
    if (variable) {
        const [owner, name] = variable.split('/');
        return `${owner}/${name}`;
    }
    const repo = payload.repository;
    if (typeof repo?.owner?.login === 'string' && typeof repo.name === 'string')
        return `${repo.owner.login}/${repo.name}`;
    return undefined;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/shared/mask.ts
var mask = __webpack_require__(5249);
// EXTERNAL MODULE: ./src/checkout/workspace-files.ts
var workspace_files = __webpack_require__(5031);
// EXTERNAL MODULE: ./src/naming/image-reference.ts
var image_reference = __webpack_require__(6081);
// EXTERNAL MODULE: ./src/naming/names.ts
var names = __webpack_require__(2804);
// EXTERNAL MODULE: ./src/inputs/defaults.ts
var defaults = __webpack_require__(9011);
;// CONCATENATED MODULE: ./src/inputs/builder.ts
/** The builder image (build-image or build-imagestream) and the BuildConfig's name. */




const IMAGE_STREAM_TAG = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** build-image or build-imagestream, and build-config-name. */
function parseBuilder(r) {
    const buildImage = r.optional('build-image');
    const buildImagestream = r.optional('build-imagestream');
    let builder = { kind: 'DockerImage', name: defaults/* DEFAULT_BUILD_IMAGE */.zI };
    if (buildImage && buildImagestream) {
        r.problems.push({
            input: 'build-image',
            message: `Inputs build-image (${(0,errors.q)(buildImage)}) and build-imagestream (${(0,errors.q)(buildImagestream)}) are both set. Accepted: only one of them`
        });
    }
    else if (buildImagestream) {
        if (!IMAGE_STREAM_TAG.test(buildImagestream))
            r.invalid('build-imagestream', buildImagestream, 'Accepted: an ImageStreamTag name:tag');
        builder = { kind: 'ImageStreamTag', name: buildImagestream };
    }
    else if (buildImage) {
        if (!(0,image_reference/* isImageReference */.hb)(buildImage))
            r.invalid('build-image', buildImage, 'Accepted: a docker image reference, e.g. registry.example.com/buildroot:latest');
        builder = { kind: 'DockerImage', name: buildImage };
    }
    const buildConfigName = r.optional('build-config-name');
    if (buildConfigName && !(0,names/* isDns1123Label */.z3)(buildConfigName)) {
        r.invalid('build-config-name', buildConfigName, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, at most 63 characters');
    }
    return { builder, buildConfigName };
}

// EXTERNAL MODULE: ./src/shared/linear-text.ts
var linear_text = __webpack_require__(7018);
;// CONCATENATED MODULE: ./src/inputs/commit-status.ts
/**
 * `github-token` and `commit-status`: whether the build's state goes to the commit as a GitHub commit status, and
 * where (GITHUB_API_URL, the repository, the commit). The commit is the one the run is about: GITHUB_SHA, except for
 * a pull request, whose GITHUB_SHA is a merge commit (`pull_request`) or the base branch (`pull_request_target`),
 * and whose own commit is the event's `pull_request.head.sha`.
 */


const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
/** The commit a status of this run belongs on, and the pull request when the run is for one. */
function statusCommit(r) {
    const { eventName, payload, sha } = r.context;
    const pr = payload?.pull_request;
    if (eventName && PULL_REQUEST_EVENTS.includes(eventName) && typeof pr?.head?.sha === 'string') {
        const headRepository = pr.head.repo?.full_name;
        return {
            sha: pr.head.sha,
            ...(typeof pr.number === 'number' ? { pullRequest: pr.number } : {}),
            ...(typeof headRepository === 'string' && r.context.repository ? { fromFork: headRepository.toLowerCase() !== r.context.repository.toLowerCase() } : {})
        };
    }
    return { sha: sha ?? '' };
}
/** The commit status settings, or undefined when none is to be sent (commit-status: false, no token). */
function parseCommitStatus(r, repository) {
    const enabled = r.bool('commit-status', true);
    const token = r.get('github-token');
    if (token)
        r.secrets.push(token);
    if (!enabled || token === '')
        return undefined;
    const apiUrl = (0,linear_text/* trimEndChar */.WP)(r.context.apiUrl || 'https://api.github.com', '/');
    if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
        r.problems.push({
            input: 'github-token',
            message: `GITHUB_API_URL ${(0,errors.q)(apiUrl)} is not an http(s) URL, so the commit status cannot be sent. Set commit-status: false, or run where the runner sets GITHUB_API_URL`
        });
        return undefined;
    }
    const commit = statusCommit(r);
    if (!/^[0-9a-fA-F]{40}$/.test(commit.sha) || repository === '') {
        r.problems.push({
            input: 'commit-status',
            message: `Input commit-status: true needs the run's repository and commit, and GITHUB_REPOSITORY is ${(0,errors.q)(repository)}, the commit ${(0,errors.q)(commit.sha)}. Set commit-status: false`
        });
        return undefined;
    }
    return { apiUrl, token, repository, ...commit, sha: commit.sha.toLowerCase() };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/cluster/kubeconfig.ts
var cluster_kubeconfig = __webpack_require__(2315);
// EXTERNAL MODULE: ./src/cluster/kubeconfig-text.ts
var kubeconfig_text = __webpack_require__(1279);
// EXTERNAL MODULE: ./src/cluster/server-url.ts
var server_url = __webpack_require__(9163);
;// CONCATENATED MODULE: ./src/inputs/reader.ts
/** Reading the raw inputs one by one: the InputReader that collects every problem and every value to mask, and the list input. */



const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
/** The raw inputs of one run, read one by one: every problem and every value to mask is collected here. */
class InputReader {
    raw;
    context;
    environment;
    problems = [];
    /** Values to mask before anything is printed. */
    secrets = [];
    /** The checkout (GITHUB_WORKSPACE). */
    workspace;
    constructor(raw, context, environment) {
        this.raw = raw;
        this.context = context;
        this.environment = environment;
        this.workspace = external_node_path_default().resolve(environment.env.GITHUB_WORKSPACE || environment.cwd);
    }
    get(name) {
        return (this.raw[name] ?? '').trim();
    }
    optional(name) {
        return this.get(name) || undefined;
    }
    invalid(name, value, accepted) {
        this.problems.push((0,errors/* invalidInput */.aY)(name, value, accepted));
    }
    bool(name, fallback) {
        const value = this.get(name);
        if (value === '')
            return fallback;
        if (TRUE.includes(value))
            return true;
        if (FALSE.includes(value))
            return false;
        this.invalid(name, value, 'Accepted: true or false');
        return fallback;
    }
    /** A path inside the checkout, normalized (`fallback` when the input is empty). */
    checkoutPath(name, fallback) {
        const value = this.get(name) || fallback;
        const normalized = external_node_path_default().posix.normalize(value.replace(/\\/g, '/'));
        if (external_node_path_default().posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) {
            this.invalid(name, value, 'Accepted: a path relative to the checkout (GITHUB_WORKSPACE), inside it');
            return value;
        }
        return normalized;
    }
}
/** Splits a list input on commas and/or newlines; items are trimmed; empty items are an error. */
function parseList(input, value, problems) {
    if (value.trim() === '')
        return [];
    // A comma at the end of a line and the newline after it are one separator.
    const items = value
        .trim()
        .split(/,[ \t]*\r?\n|,|\r?\n/)
        .map((item) => item.trim());
    if (items.some((item) => item === '')) {
        problems.push({
            input,
            message: `Input ${input}: ${JSON.stringify((0,mask/* withoutUserInfo */.sl)(value))} has an empty item. Accepted: items separated by commas and/or newlines, none empty`
        });
        return items.filter((item) => item !== '');
    }
    return items;
}
/** Whether a URL carries a password in its user info (`scheme://user:password@host`). */
function hasPassword(value) {
    return (0,mask/* urlCredentials */.O4)(value).length > 0;
}

;// CONCATENATED MODULE: ./src/inputs/connection.ts
/** SPEC §2, §6.1: the API server, the credentials, the CA, the namespace; a dry run needs none of the first three. */









/** The bearer token, masked at once with every URL's user info of every input. */
function readToken(r) {
    const token = r.optional('openshift-token');
    // Masked before anything is printed: the token (each line of it), every URL's user info, every kubeconfig credential.
    r.secrets.push(...(token ? (0,mask/* maskValues */.Z$)(token) : []), ...Object.values(r.raw).flatMap((v) => (0,mask/* urlCredentials */.O4)(v ?? '')));
    if (token) {
        const why = (0,kubeconfig_text/* tokenProblem */.jV)(token);
        if (why)
            r.problems.push({ input: 'openshift-token', message: `Input openshift-token: ${why}. Accepted: a bearer token on one line, without spaces or control characters` });
    }
    return token;
}
/** Whether this run sends requests: not a dry run (an invalid dry-run value: unknown, so no credential problems). */
function readMode(r) {
    const oidcAudience = r.optional('oidc-audience');
    const dryRunValue = r.get('dry-run');
    const dryRun = r.bool('dry-run', false);
    // With an invalid dry-run value it is unknown whether credentials are needed: report only that value.
    const needsCluster = !dryRun && (dryRunValue === '' || FALSE.includes(dryRunValue));
    const insecureSkipTlsVerify = r.bool('insecure-skip-tls-verify', false);
    return { oidcAudience, dryRun, needsCluster, insecureSkipTlsVerify };
}
/** The kubeconfig input, else (no token) the first default kubeconfig file: what it names, its credentials masked. */
function readKubeconfigInput(r, token) {
    let kubeconfig;
    let kubeInfo = {};
    /** Reads one kubeconfig's text: its credentials are masked even when it does not parse. */
    const takeKubeconfig = (text, where, found) => {
        const read = (0,kubeconfig_text/* readKubeconfigText */.Fq)(text);
        r.secrets.push(...read.secrets);
        if (read.ok) {
            kubeInfo = read;
            kubeconfig = found;
        }
        else
            r.problems.push({ input: 'kubeconfig', message: `Input kubeconfig: ${where} cannot be read as a kubeconfig (${read.reason}). Accepted: a kubeconfig file path or YAML` });
    };
    const kubeconfigInput = r.get('kubeconfig');
    if (kubeconfigInput !== '') {
        const inline = kubeconfigInput.includes('\n') || /^(apiVersion|kind|clusters|contexts|current-context|users)\s*:/m.test(kubeconfigInput) || kubeconfigInput.startsWith('{');
        if (inline)
            takeKubeconfig(kubeconfigInput, 'the inline kubeconfig', { inline: kubeconfigInput });
        else {
            const file = (0,workspace_files/* readInputFile */.jH)(r.environment, r.workspace, kubeconfigInput, 'kubeconfig');
            if ('problem' in file)
                r.problems.push({ input: 'kubeconfig', message: file.problem });
            else if ('missing' in file)
                r.invalid('kubeconfig', kubeconfigInput, 'Accepted: the path of an existing kubeconfig file, or the kubeconfig YAML itself');
            else
                takeKubeconfig(file.text, (0,errors.q)(kubeconfigInput), { path: external_node_path_default().resolve(r.workspace, kubeconfigInput), text: file.text });
        }
    }
    else if (!token) {
        const candidates = (0,cluster_kubeconfig/* defaultKubeconfigFiles */._q)(r.environment.env, r.environment.homedir);
        for (const candidate of candidates) {
            const text = r.environment.readFile(candidate);
            if (text === null)
                continue;
            takeKubeconfig(text, `not set, and the default kubeconfig ${candidate}`, { path: candidate, text });
            break;
        }
    }
    return { kubeconfig, kubeInfo };
}
/** SPEC §2, §6.1: the API server, the credentials, the CA; a dry run needs none of them. */
function parseConnection(r) {
    const token = readToken(r);
    const { oidcAudience, dryRun, needsCluster, insecureSkipTlsVerify } = readMode(r);
    const { kubeconfig, kubeInfo } = readKubeconfigInput(r, token);
    // A kubeconfig that was given but refused is the one problem to fix: no "no credentials" besides it.
    const kubeconfigRefused = () => r.problems.some((p) => p.input === 'kubeconfig');
    const inCluster = Boolean(r.environment.env.KUBERNETES_SERVICE_HOST);
    const serverInput = r.get('openshift-server');
    let server;
    if (serverInput !== '') {
        const checked = (0,server_url/* checkServerUrl */.r1)(serverInput);
        if ('url' in checked)
            server = checked.url;
        else
            r.problems.push({ input: 'openshift-server', message: `Input openshift-server: ${(0,errors.q)((0,server_url/* shownUrl */.zA)(serverInput))} is not valid: ${checked.reason}. Accepted: ${server_url/* SERVER_URL_FORMAT */.cc}` });
    }
    else if (kubeInfo.server) {
        server = kubeInfo.server;
    }
    else if (needsCluster && !inCluster && !kubeconfigRefused()) {
        r.problems.push({
            input: 'openshift-server',
            message: 'Input openshift-server: (empty) is not valid: no kubeconfig names a server either. Accepted: the API server URL, https://host:port, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
        });
    }
    if (needsCluster && !token && !oidcAudience && !kubeconfig && !inCluster && !kubeconfigRefused()) {
        r.problems.push({
            input: 'openshift-token',
            message: 'Input openshift-token: (empty) is not valid: no credentials are given. Accepted: a bearer token, or oidc-audience, or a kubeconfig (input kubeconfig, $KUBECONFIG, ~/.kube/config)'
        });
    }
    if (token && oidcAudience) {
        r.problems.push({ input: 'oidc-audience', message: `Inputs openshift-token and oidc-audience (${(0,errors.q)(oidcAudience)}) are both set. Accepted: only one of them` });
    }
    const certificateAuthority = readCertificateAuthority(r, insecureSkipTlsVerify);
    const connection = {
        ...(server ? { server } : {}),
        ...(token ? { token } : {}),
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(oidcAudience ? { oidcAudience } : {}),
        ...(certificateAuthority ? { certificateAuthority } : {}),
        insecureSkipTlsVerify
    };
    return { connection, dryRun, kubeInfo, inCluster };
}
/** certificate-authority: PEM text or a file in the checkout; not together with insecure-skip-tls-verify. */
function readCertificateAuthority(r, insecureSkipTlsVerify) {
    let certificateAuthority;
    const caInput = r.get('certificate-authority');
    if (caInput !== '') {
        const file = caInput.includes('-----BEGIN') ? { text: caInput } : (0,workspace_files/* readInputFile */.jH)(r.environment, r.workspace, caInput, 'certificate-authority');
        const pem = 'text' in file ? file.text : null;
        if ('problem' in file)
            r.problems.push({ input: 'certificate-authority', message: file.problem });
        else if (pem === null)
            r.invalid('certificate-authority', caInput, 'Accepted: PEM text, or the path of an existing PEM file');
        else if (!pem.includes('-----BEGIN CERTIFICATE-----'))
            r.invalid('certificate-authority', caInput.includes('-----BEGIN') ? '(PEM text)' : caInput, 'Accepted: PEM text with at least one -----BEGIN CERTIFICATE----- block, or the path of such a file');
        else
            certificateAuthority = pem;
    }
    if (insecureSkipTlsVerify && certificateAuthority) {
        r.problems.push({ input: 'insecure-skip-tls-verify', message: 'Inputs insecure-skip-tls-verify and certificate-authority: both set; set only one of them' });
    }
    return certificateAuthority;
}
/** The namespace: the input, else the kubeconfig context's, else (credentials of the pod's service account) the pod's. */
function parseNamespace(r, conn) {
    const namespaceInput = r.get('namespace');
    const serviceAccountNamespace = conn.inCluster && !conn.connection.token && !conn.connection.oidcAudience && !conn.connection.kubeconfig
        ? r.environment.readFile(external_node_path_default().posix.join(cluster_kubeconfig/* SERVICE_ACCOUNT_DIR */.Id, 'namespace'))?.trim() || undefined
        : undefined;
    const namespace = namespaceInput || conn.kubeInfo.namespace || serviceAccountNamespace || '';
    if (namespace === '') {
        r.problems.push({
            input: 'namespace',
            message: 'Input namespace: (empty) is not valid, and no kubeconfig context names a namespace. Accepted: the OpenShift project (a DNS-1123 label: lowercase letters, digits and -, at most 63)'
        });
    }
    else if (!(0,names/* isDns1123Label */.z3)(namespace)) {
        r.invalid('namespace', namespace, 'Accepted: a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters');
    }
    let notice;
    if (!namespaceInput && conn.kubeInfo.namespace)
        notice = `namespace: ${namespace}, from the kubeconfig's current context`;
    else if (!namespaceInput && serviceAccountNamespace)
        notice = `namespace: ${namespace}, the namespace of this pod's service account`;
    return { namespace, notice };
}

;// CONCATENATED MODULE: ./src/inputs/flow.ts

/** setTimeout's limit, in minutes. */
const MAX_TIMEOUT_MINUTES = 35791;
/** on-running-build, follow-logs, wait, timeout-minutes. */
function parseFlow(r) {
    const onRunningBuild = (r.get('on-running-build') || 'wait');
    if (!['wait', 'fail', 'cancel'].includes(onRunningBuild))
        r.invalid('on-running-build', onRunningBuild, 'Accepted: wait, fail or cancel');
    const followLogs = r.bool('follow-logs', true);
    const wait = r.bool('wait', true);
    const timeoutInput = r.get('timeout-minutes');
    let timeoutMinutes = defaults/* DEFAULT_TIMEOUT_MINUTES */.EV;
    if (timeoutInput !== '') {
        if (/^[0-9]+$/.test(timeoutInput) && Number(timeoutInput) >= 1 && Number(timeoutInput) <= MAX_TIMEOUT_MINUTES)
            timeoutMinutes = Number(timeoutInput);
        else
            r.invalid('timeout-minutes', timeoutInput, `Accepted: a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}`);
    }
    return { onRunningBuild, followLogs, wait, timeoutMinutes };
}

;// CONCATENATED MODULE: ./src/inputs/naming.ts
/** The image's naming inputs: user, component, target. */

const TARGET = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,106}$/;
/** user (default: the repository owner), component, target. */
function parseImageNaming(r, owner) {
    const userInput = r.get('user');
    const user = userInput || owner.toLowerCase();
    if (user === '') {
        r.problems.push({ input: 'user', message: 'Input user: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: an image namespace' });
    }
    else if (!(0,names/* isImagePathComponent */.ac)(user)) {
        r.invalid('user', user, 'Accepted: an image namespace: lowercase letters and digits, with . _ or - between them');
    }
    const component = r.optional('component');
    if (component && !(0,names/* isImagePathComponent */.ac)(component)) {
        r.invalid('component', component, 'Accepted: an image name part: lowercase letters and digits, with . _ or - between them');
    }
    const target = r.optional('target');
    if (target && !TARGET.test(target)) {
        r.invalid('target', target, 'Accepted: letters, digits, _ . - (not starting with . or -), at most 107 characters');
    }
    return { user, component, target };
}

;// CONCATENATED MODULE: ./src/inputs/plugin-settings.ts
/** The inputs passed through to the plugins inside the build, as the BuildConfig carries them. */




function isHttpUrl(value) {
    try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    }
    catch {
        return false;
    }
}
/** What the plugins inside the build are given: builder-openshift-url, koji-hub; and the deprecated build-json-dir. */
function parsePluginSettings(r) {
    const builderOpenshiftUrl = r.optional('builder-openshift-url');
    if (builderOpenshiftUrl) {
        const checked = (0,server_url/* checkServerUrl */.r1)(builderOpenshiftUrl, { allowPath: true });
        if ('reason' in checked)
            r.problems.push({
                input: 'builder-openshift-url',
                message: `Input builder-openshift-url: ${(0,errors.q)((0,server_url/* shownUrl */.zA)(builderOpenshiftUrl))} is not valid: ${checked.reason}. Accepted: an http(s) URL of the OpenShift API, without user info`
            });
    }
    // Unused and deprecated (it fed import_image, no longer rendered): accepted as it is, and warned about when set.
    const buildJsonDir = r.get('build-json-dir') || defaults/* DEFAULT_BUILD_JSON_DIR */.k1;
    const kojiHub = r.optional('koji-hub');
    if (kojiHub && (!isHttpUrl(kojiHub) || hasPassword(kojiHub)))
        r.invalid('koji-hub', (0,server_url/* shownUrl */.zA)(kojiHub), 'Accepted: an http(s) URL of the Koji hub, without user:password@ (it is written into the BuildConfig)');
    return { builderOpenshiftUrl, buildJsonDir, kojiHub };
}

;// CONCATENATED MODULE: ./src/inputs/registry-uri.ts
const REGISTRY_URI_FORMAT = '[http[s]://]host[:port][/v1|/v2]';
const HOST = String.raw `(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[-A-Za-z0-9.]*[A-Za-z0-9])?)(?::[0-9]{1,5})?`;
const REGISTRY_RE = new RegExp(String.raw `^(?:(https?)://)?(${HOST})(?:/(v[0-9]+)?)?/?$`);
/** Parses one registry URI; returns a reason (for the error message) when it is not valid. */
function parseRegistryUri(uri) {
    const match = REGISTRY_RE.exec(uri);
    if (!match) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !/^https?:\/\//i.test(uri)) {
            return { reason: 'only http:// and https:// are accepted as a scheme' };
        }
        return { reason: `expected ${REGISTRY_URI_FORMAT}` };
    }
    const scheme = match[1];
    const host = match[2];
    const port = /:(\d+)$/.exec(host.replace(/^\[.*\]/, ''));
    if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) {
        return { reason: `port ${port[1]} is out of range` };
    }
    const suffix = match[3];
    if (suffix !== undefined && suffix !== 'v1' && suffix !== 'v2') {
        return { reason: `unknown registry API version /${suffix}: the accepted suffixes are /v1 and /v2` };
    }
    const version = suffix ?? 'v1';
    return {
        registry: {
            uri,
            scheme,
            host,
            base: scheme ? `${scheme}://${host}` : host,
            version,
            versionExplicit: suffix !== undefined,
            insecure: scheme !== 'https'
        }
    };
}

;// CONCATENATED MODULE: ./src/inputs/registries.ts
/** The registries the build pushes to (with their secrets and API versions), the source registry, and Pulp. */




/** SPEC §2, §5.2: registry-uri with registry-secret by position, registry-api-versions, source-registry-uri. */
function parseRegistries(r) {
    const registries = [];
    const registryUris = parseList('registry-uri', r.get('registry-uri'), r.problems);
    for (const uri of registryUris) {
        const parsed = parseRegistryUri(uri);
        if ('reason' in parsed) {
            r.problems.push({ input: 'registry-uri', message: `Input registry-uri: ${(0,errors.q)(uri)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}` });
            continue;
        }
        const same = registries.find((r) => r.host === parsed.registry.host);
        if (same) {
            r.problems.push({
                input: 'registry-uri',
                message: `Input registry-uri: ${(0,errors.q)(uri)} names host ${parsed.registry.host} again (also ${(0,errors.q)(same.uri)}). Accepted: each registry host once`
            });
            continue;
        }
        registries.push({ ...parsed.registry });
    }
    const registrySecrets = parseList('registry-secret', r.get('registry-secret'), r.problems);
    const registryCount = registryUris.length;
    if (registrySecrets.length > registryCount) {
        r.problems.push({
            input: 'registry-secret',
            message: `Input registry-secret: ${registrySecrets.length} secrets (${registrySecrets.join(', ')}) for ${registryCount} ${registryCount === 1 ? 'registry' : 'registries'} in registry-uri. Accepted: at most one secret per registry-uri entry, paired by position`
        });
    }
    registrySecrets.forEach((secret, index) => {
        if (!(0,names/* isDns1123Subdomain */.Pz)(secret)) {
            r.invalid('registry-secret', secret, 'Accepted: OpenShift secret names (lowercase letters, digits, - and .)');
        }
        else if (index < registries.length) {
            registries[index].secret = secret;
        }
    });
    const versionItems = parseList('registry-api-versions', r.get('registry-api-versions'), r.problems);
    const registryApiVersions = [];
    for (const item of versionItems) {
        if (item !== 'v1' && item !== 'v2')
            r.invalid('registry-api-versions', item, 'Accepted: v1, v2, or both (v1,v2)');
        else if (!registryApiVersions.includes(item))
            registryApiVersions.push(item);
    }
    if (versionItems.length === 0)
        registryApiVersions.push('v1', 'v2');
    registryApiVersions.sort();
    let sourceRegistry;
    const sourceInput = r.get('source-registry-uri');
    if (sourceInput !== '') {
        const parsed = parseRegistryUri(sourceInput);
        if ('reason' in parsed) {
            r.problems.push({
                input: 'source-registry-uri',
                message: `Input source-registry-uri: ${(0,errors.q)(sourceInput)} is not valid: ${parsed.reason}. Accepted: ${REGISTRY_URI_FORMAT}`
            });
        }
        else {
            sourceRegistry = { uri: sourceInput, host: parsed.registry.host, base: parsed.registry.base, insecure: parsed.registry.insecure };
        }
    }
    return { registries, registryApiVersions, sourceRegistry };
}
/** The Pulp environments and their secrets (the sync ones default to the push ones). */
function parsePulp(r) {
    const pulpName = r.optional('pulp-registry-name');
    const pulpSecret = r.optional('pulp-secret');
    const pulpSyncName = r.optional('pulp-sync-registry-name') ?? pulpName;
    const pulpSyncSecret = r.optional('pulp-sync-secret') ?? pulpSecret;
    for (const name of ['pulp-registry-name', 'pulp-sync-registry-name']) {
        const value = r.get(name);
        if (value && !/^[A-Za-z0-9_.-]+$/.test(value))
            r.invalid(name, value, 'Accepted: a Pulp environment name (letters, digits, _ . -)');
    }
    for (const name of ['pulp-secret', 'pulp-sync-secret']) {
        const value = r.get(name);
        if (value && !(0,names/* isDns1123Subdomain */.Pz)(value))
            r.invalid(name, value, 'Accepted: an OpenShift secret name (lowercase letters, digits, - and .)');
    }
    if (pulpSecret && !pulpName && !pulpSyncName) {
        r.problems.push({
            input: 'pulp-secret',
            message: `Input pulp-secret: ${(0,errors.q)(pulpSecret)} is set but no pulp-registry-name or pulp-sync-registry-name names a Pulp r.environment. Accepted: a Pulp secret together with a Pulp environment`
        });
    }
    const pulp = pulpName ? { registryName: pulpName, ...(pulpSecret ? { secret: pulpSecret } : {}) } : undefined;
    const pulpSync = pulpSyncName ? { registryName: pulpSyncName, ...(pulpSyncSecret ? { secret: pulpSyncSecret } : {}) } : undefined;
    return { pulp, pulpSync };
}

;// CONCATENATED MODULE: ./src/inputs/source.ts
/** Where the build's source is (git-uri, git-branch, git-commit) and what the run knows about itself. */




/** A git branch name as `git check-ref-format --branch` accepts it (the parts that matter here). */
function isBranchName(value) {
    return (value !== '' &&
        !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(value) &&
        !value.includes('..') &&
        !value.includes('@{') &&
        !value.includes('//') &&
        !value.startsWith('/') &&
        !value.startsWith('-') &&
        !value.endsWith('/') &&
        !value.endsWith('.') &&
        !value.endsWith('.lock') &&
        value !== '@');
}
/** git-uri (default: this repository), git-branch (default: GITHUB_REF's branch), git-commit (default: GITHUB_SHA). */
function parseGit(r, repository, serverUrl) {
    const gitUriInput = r.get('git-uri');
    let gitUri = gitUriInput;
    if (gitUri === '') {
        if (repository === '') {
            r.problems.push({ input: 'git-uri', message: 'Input git-uri: (empty) is not valid, and GITHUB_REPOSITORY is not set to derive it. Accepted: a git URI' });
        }
        else
            gitUri = `${serverUrl}/${repository}.git`;
    }
    else if (hasPassword(gitUri)) {
        r.invalid('git-uri', (0,server_url/* shownUrl */.zA)(gitUri), 'Accepted: a git URI without a password (user:password@ is written into the BuildConfig for everyone to read); give the build a source secret instead');
    }
    else if (/\s/.test(gitUri) || (0,names/* repoNameFromGitUri */.cd)(gitUri) === '') {
        r.invalid('git-uri', gitUri, 'Accepted: a git URI naming a repository, e.g. https://github.com/owner/repo.git');
    }
    let branch = r.get('git-branch');
    if (branch === '') {
        const ref = r.context.ref ?? '';
        if (ref.startsWith('refs/heads/'))
            branch = ref.slice('refs/heads/'.length);
        else
            r.problems.push({
                input: 'git-branch',
                message: `Input git-branch: (empty) is not valid, and GITHUB_REF ${(0,errors.q)(ref)} is not a branch (refs/heads/…). Accepted: the branch the BuildConfig builds; set git-branch when running on a tag or a pull request`
            });
    }
    else if (!isBranchName(branch)) {
        r.invalid('git-branch', branch, 'Accepted: a git branch name (no spaces, no ~ ^ : ? * [ \\, no "..")');
    }
    const commitInput = r.get('git-commit') || r.context.sha || '';
    if (!/^[0-9a-fA-F]{40}$/.test(commitInput)) {
        r.problems.push({
            input: 'git-commit',
            message: `Input git-commit: ${(0,errors.q)(commitInput)}${r.get('git-commit') ? '' : ' (from GITHUB_SHA)'} is not valid. Accepted: a full 40-hex commit id`
        });
    }
    return { uri: gitUri, branch, commit: commitInput.toLowerCase() };
}
/** What the run knows about itself, for the BuildRequest and the summary. */
function runContext(r, repository, serverUrl) {
    const headCommit = r.context.payload?.head_commit;
    const run = {
        repository,
        serverUrl,
        ...(repository && r.context.runId ? { runUrl: `${serverUrl}/${repository}/actions/runs/${r.context.runId}` } : {}),
        ...(r.context.actor ? { actor: r.context.actor } : {}),
        ...(r.context.eventName ? { eventName: r.context.eventName } : {}),
        ...(headCommit
            ? {
                headCommit: {
                    message: headCommit.message,
                    author: headCommit.author ? { name: headCommit.author.name, email: headCommit.author.email } : undefined,
                    committer: headCommit.committer ? { name: headCommit.committer.name, email: headCommit.committer.email } : undefined
                }
            }
            : {})
    };
    return run;
}

;// CONCATENATED MODULE: ./src/inputs/parse.ts
/**
 * The workflow inputs (SPEC §2) as one typed Settings object. `parseSettings` is pure (raw inputs, the GitHub
 * context and the environment in; Settings or every problem out); `readSettings` (action-inputs.ts, the edge) is
 * the only code that reads `@actions/core` inputs and the run's context. Nothing here touches the
 * network or imports the GitHub toolkit.
 */














/**
 * Turns raw input values (as `core.getInput` returns them: trimmed, '' when unset), the GitHub context and the
 * environment into Settings, or the list of every problem found (each group of inputs by its parser, one file of this folder each).
 */
function parseSettings(raw, context, environment) {
    const r = new InputReader(raw, context, environment);
    const repository = context.repository ?? '';
    const owner = repository.split('/')[0] ?? '';
    const serverUrl = (0,linear_text/* trimEndChar */.WP)(context.serverUrl || 'https://github.com', '/');
    const conn = parseConnection(r);
    const { namespace, notice } = parseNamespace(r, conn);
    const git = parseGit(r, repository, serverUrl);
    const dockerfile = r.checkoutPath('dockerfile', 'Dockerfile');
    const repoConfigFile = r.checkoutPath('repo-config-file', '.osbs-repo-config');
    const { user, component, target } = parseImageNaming(r, owner);
    const { builder, buildConfigName } = parseBuilder(r);
    const { registries, registryApiVersions, sourceRegistry } = parseRegistries(r);
    const { pulp, pulpSync } = parsePulp(r);
    const { builderOpenshiftUrl, buildJsonDir, kojiHub } = parsePluginSettings(r);
    const flow = parseFlow(r);
    const commitStatus = parseCommitStatus(r, repository);
    if (r.problems.length > 0)
        return { ok: false, problems: r.problems, secrets: (0,mask/* maskList */.R_)(r.secrets) };
    const settings = {
        connection: conn.connection,
        namespace,
        git,
        workspace: r.workspace,
        dockerfile,
        repoConfigFile,
        user,
        ...(component ? { component } : {}),
        ...(target ? { target } : {}),
        builder,
        ...(buildConfigName ? { buildConfigName } : {}),
        registries,
        registryApiVersions,
        ...(sourceRegistry ? { sourceRegistry } : {}),
        ...(pulp ? { pulp } : {}),
        ...(pulpSync ? { pulpSync } : {}),
        ...(builderOpenshiftUrl ? { builderOpenshiftUrl: (0,linear_text/* trimEndChar */.WP)(builderOpenshiftUrl, '/') } : {}),
        buildJsonDir,
        ...(kojiHub ? { kojiHub } : {}),
        ...flow,
        dryRun: conn.dryRun,
        run: runContext(r, repository, serverUrl),
        ...(commitStatus ? { commitStatus } : {})
    };
    return { ok: true, settings, notices: notice ? [notice] : [], secrets: (0,mask/* maskList */.R_)(r.secrets) };
}
/** The real environment of the process. */
function processEnvironment() {
    return {
        env: process.env,
        homedir: external_node_os_default().homedir(),
        cwd: process.cwd(),
        readFile(file) {
            try {
                if (!(0,external_node_fs_.statSync)(file).isFile())
                    return null;
                return (0,external_node_fs_.readFileSync)(file, 'utf8');
            }
            catch {
                return null;
            }
        },
        readCheckout: (workspace, file, input) => (0,workspace_files/* readCheckoutFile */.$C)(workspace, file, input)
    };
}

;// CONCATENATED MODULE: ./src/inputs/raw.ts
/** Every input of action.yml, in its order. */
const INPUT_NAMES = [
    'openshift-server',
    'openshift-token',
    'kubeconfig',
    'oidc-audience',
    'certificate-authority',
    'insecure-skip-tls-verify',
    'namespace',
    'git-uri',
    'git-branch',
    'git-commit',
    'dockerfile',
    'repo-config-file',
    'user',
    'component',
    'target',
    'build-image',
    'build-imagestream',
    'build-config-name',
    'registry-uri',
    'registry-secret',
    'registry-api-versions',
    'source-registry-uri',
    'pulp-registry-name',
    'pulp-secret',
    'pulp-sync-registry-name',
    'pulp-sync-secret',
    'builder-openshift-url',
    'build-json-dir',
    'koji-hub',
    'on-running-build',
    'follow-logs',
    'wait',
    'timeout-minutes',
    'dry-run',
    'github-token',
    'commit-status'
];

;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * The edge between the GitHub toolkit and the library: the inputs through `@actions/core` and the run's context
 * from the runner's variables and event file, turned into Settings by the pure `parseSettings`.
 */






/** Inputs masked as soon as they are read. */
const TOKEN_INPUTS = ['openshift-token', 'github-token'];
/** The GitHub context of this run, as the runner gives it to the step. */
function githubContext() {
    return githubContextFrom(process.env, (file) => {
        try {
            return (0,external_node_fs_.readFileSync)(file, 'utf8');
        }
        catch {
            return null;
        }
    });
}
/**
 * Reads every input with `core.getInput`, masks the tokens at once, and returns the Settings. Throws a
 * ProblemsError listing every invalid value.
 */
function readSettings(reporter = { notice: (m) => core/* notice */.lm(m) }) {
    const raw = {};
    for (const name of INPUT_NAMES) {
        const value = (raw[name] = core/* getInput */.V4(name));
        if (value && TOKEN_INPUTS.includes(name))
            core/* setSecret */.Pq(value);
    }
    const result = parseSettings(raw, githubContext(), processEnvironment());
    for (const secret of result.secrets)
        if (!TOKEN_INPUTS.some((name) => raw[name] === secret))
            core/* setSecret */.Pq(secret);
    if (!result.ok)
        throw new errors/* ProblemsError */.FQ(result.problems);
    for (const notice of result.notices)
        reporter.notice(notice);
    return result.settings;
}


/***/ }),

/***/ 5031:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $C: () => (/* binding */ readCheckoutFile),
/* harmony export */   _6: () => (/* binding */ decodeUtf8),
/* harmony export */   jH: () => (/* binding */ readInputFile)
/* harmony export */ });
/* unused harmony exports MAX_CHECKOUT_FILE_BYTES, shownSize, nodeFileSystem, isInWorkspace, firstInvalidUtf8 */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/**
 * Files of the checkout (GITHUB_WORKSPACE), read only when they really are inside it: the path is resolved to its
 * real path (every symbolic link followed) before any byte is read, and a file whose real path is outside the
 * checkout is refused with a message naming the input and the link. A link inside the checkout to a file inside
 * it is followed. Text is decoded as UTF-8 strictly: a byte that is not UTF-8 is an error at its line.
 */


/** Larger files are refused: nothing the action reads from a checkout comes near it (README, "Files and links"). */
const MAX_CHECKOUT_FILE_BYTES = 8 * 1024 * 1024; // the messages and the README say "8 MiB"
/** A size for people: `11.0 MiB (11534336 bytes)`. */
function shownSize(bytes) {
    const mib = bytes / (1024 * 1024);
    return `${Number.isInteger(mib) ? String(mib) : mib.toFixed(1)} MiB (${bytes} bytes)`;
}
const nodeFileSystem = {
    realpath: (file) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.realpathSync)(file),
    lstat: (file) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)(file),
    stat: (file) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(file),
    readFile: (file) => (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file)
};
function isInside(root, file) {
    const relative = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(root, file);
    return relative === '' || (!relative.startsWith('..') && !node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(relative));
}
/** Whether a path (absolute, or relative to the workspace) names a place inside the workspace, before links. */
function isInWorkspace(workspace, file) {
    return isInside(node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace), node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace, file));
}
function code(error) {
    return error?.code;
}
/**
 * Reads `file` (relative to the workspace, or absolute inside it). `input` names the input that gave the path,
 * for messages. Missing: the path (after links) names nothing. Refused: outside the checkout after links, a
 * dangling link, a directory, not a regular file, or too large.
 */
function readCheckoutFile(workspace, file, input, fs = nodeFileSystem) {
    const shown = `Input ${input}: '${file}'`;
    const accepted = 'Accepted: a file inside the checkout (GITHUB_WORKSPACE), or a symbolic link to one';
    let root;
    try {
        root = fs.realpath(workspace);
    }
    catch {
        root = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace);
    }
    const full = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace, file);
    let real;
    try {
        real = fs.realpath(full);
    }
    catch (error) {
        if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR')
            throw error;
        // Nothing there. A dangling link, or a directory link that leads outside, is still refused.
        try {
            if (fs.lstat(full).isSymbolicLink())
                return { kind: 'refused', message: `${shown} is a symbolic link to a file that does not exist. ${accepted}` };
        }
        catch {
            /* no such entry */
        }
        for (let dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(full);; dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(dir)) {
            let realDir;
            try {
                realDir = fs.realpath(dir);
            }
            catch {
                realDir = undefined;
            }
            if (realDir !== undefined) {
                if (!isInside(root, realDir))
                    return { kind: 'refused', message: `${shown} is under a symbolic link that leads outside the checkout (to ${realDir}). ${accepted}` };
                return { kind: 'missing' };
            }
            if (node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(dir) === dir)
                return { kind: 'missing' };
        }
    }
    if (!isInside(root, real)) {
        return { kind: 'refused', message: `${shown} leads outside the checkout through a symbolic link (to ${real}); the action reads no file outside it. ${accepted}` };
    }
    const stat = fs.stat(real);
    if (stat.isDirectory())
        return { kind: 'refused', message: `${shown} is a directory in the checkout. Accepted: the path of a file` };
    if (!stat.isFile())
        return { kind: 'refused', message: `${shown} is not a regular file (a device, socket or pipe). Accepted: the path of a file` };
    if (stat.size > MAX_CHECKOUT_FILE_BYTES) {
        return {
            kind: 'refused',
            message: `${shown} is ${shownSize(stat.size)}, over the limit of ${shownSize(MAX_CHECKOUT_FILE_BYTES)} for a file the action reads from the checkout. Accepted: a file of at most 8 MiB`
        };
    }
    return { kind: 'file', bytes: fs.readFile(real) };
}
/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes) {
    for (let i = 0; i < bytes.length;) {
        const b = bytes[i];
        let n;
        let min;
        if (b < 0x80) {
            i++;
            continue;
        }
        else if (b >= 0xc2 && b <= 0xdf)
            [n, min] = [1, 0x80];
        else if (b >= 0xe0 && b <= 0xef)
            [n, min] = [2, 0x800];
        else if (b >= 0xf0 && b <= 0xf4)
            [n, min] = [3, 0x10000];
        else
            return i;
        let cp = b & (0x3f >> n);
        for (let k = 1; k <= n; k++) {
            const c = bytes[i + k];
            if (c === undefined || (c & 0xc0) !== 0x80)
                return i;
            cp = (cp << 6) | (c & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return -1;
}
/**
 * UTF-8 text of a file, or the 1-based line and column of the first bad byte. A leading byte order mark is dropped,
 * unless `keepByteOrderMark` (for a file whose reader does not drop it: Python's `open()` keeps it as U+FEFF).
 */
function decodeUtf8(bytes, options = {}) {
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
        let line = 1;
        let start = 0;
        for (let i = 0; i < bad; i++)
            if (bytes[i] === 0x0a)
                [line, start] = [line + 1, i + 1];
        return { line, column: bad - start + 1 };
    }
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: options.keepByteOrderMark === true }).decode(bytes) };
}
/**
 * A file named by an input (kubeconfig, certificate-authority). Inside the checkout (a relative path, or an
 * absolute one inside it) it is read with the checkout's rules and as strict UTF-8; elsewhere (a file an earlier
 * step wrote, e.g. in RUNNER_TEMP) as given by the workflow.
 */
function readInputFile(reader, workspace, value, input) {
    const full = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace, value);
    if (!isInWorkspace(workspace, value)) {
        const text = reader.readFile(full);
        return text === null ? { missing: true } : { text };
    }
    const read = reader.readCheckout
        ? reader.readCheckout(workspace, value, input)
        : ((text) => (text === null ? { kind: 'missing' } : { kind: 'file', bytes: Buffer.from(text) }))(reader.readFile(full));
    if (read.kind === 'missing')
        return { missing: true };
    if (read.kind === 'refused')
        return { problem: read.message };
    const decoded = decodeUtf8(read.bytes);
    if ('line' in decoded)
        return { problem: `Input ${input}: '${value}' is not UTF-8 text (line ${decoded.line}, column ${decoded.column}). Accepted: a UTF-8 text file` };
    return { text: decoded.text };
}


/***/ }),

/***/ 1279:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fq: () => (/* binding */ readKubeconfigText),
/* harmony export */   iz: () => (/* binding */ loadKubeconfig),
/* harmony export */   jV: () => (/* binding */ tokenProblem)
/* harmony export */ });
/* harmony import */ var _kubeconfig_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2315);
/* harmony import */ var _server_url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9163);
/* harmony import */ var _shared_mask_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5249);
/**
 * Reading a kubeconfig's text without ever quoting it: a file that does not parse is reported by line, column and
 * what the parser expected (js-yaml's own message quotes the lines around the mistake, credentials included), and
 * its credentials are found from the text first, so that they are masked even then. Pure: no I/O of its own.
 */



/** A character an HTTP header value cannot hold, or that has no place in a bearer token. */
const NOT_IN_TOKEN = /[\s\x00-\x1f\x7f]/;
/** A parser's reason with every quoted or named piece of the text taken out (an alias, a tag, a key). */
function reasonWithoutText(reason) {
    return reason.replace(/"[^"]*"|'[^']*'|!<[^>]*>|!\S*|\*\S+|&\S+/g, '…').trim();
}
/** Where and why a kubeconfig's text cannot be read, from the parser's error, without any of the text. */
function describeError(error) {
    const e = error;
    if (e?.name === 'YAMLException' && e.mark && typeof e.mark.line === 'number') {
        return `line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}: ${reasonWithoutText(e.reason ?? 'invalid YAML')}`;
    }
    // client-node's own checks name the entry and the missing field (`clusters[0].cluster.server is missing`).
    const message = e?.message ?? '';
    if (/^(clusters|contexts|users)\[\d+\](\.[\w.-]+)? is missing$/.test(message))
        return message;
    return 'it is not a kubeconfig: a YAML (or JSON) mapping with clusters, contexts, users and current-context';
}
/** Parses a kubeconfig's text: its current context's server and namespace and every credential, or why not. */
function readKubeconfigText(text) {
    const early = [...(0,_shared_mask_js__WEBPACK_IMPORTED_MODULE_2__/* .credentialsInText */ .$b)(text), ...(0,_shared_mask_js__WEBPACK_IMPORTED_MODULE_2__/* .urlCredentials */ .O4)(text)];
    let kc;
    try {
        kc = _kubeconfig_js__WEBPACK_IMPORTED_MODULE_0__/* .Kubeconfig */ .Sb.parse(text);
    }
    catch (error) {
        return { ok: false, reason: describeError(error), secrets: (0,_shared_mask_js__WEBPACK_IMPORTED_MODULE_2__/* .maskList */ .R_)(early) };
    }
    const secrets = (0,_shared_mask_js__WEBPACK_IMPORTED_MODULE_2__/* .maskList */ .R_)([...early, ...kc.users.flatMap(_kubeconfig_js__WEBPACK_IMPORTED_MODULE_0__/* .userCredentials */ .CO)]);
    const context = kc.getContextObject(kc.getCurrentContext());
    const server = kc.getCurrentCluster()?.server || undefined;
    if (server !== undefined) {
        const checked = (0,_server_url_js__WEBPACK_IMPORTED_MODULE_1__/* .checkServerUrl */ .r1)(server, { allowPath: true });
        if ('reason' in checked)
            return { ok: false, reason: `the server of the current context is not valid: ${checked.reason}`, secrets };
    }
    const user = kc.getCurrentUser();
    if (user?.token && NOT_IN_TOKEN.test(user.token.trim())) {
        return {
            ok: false,
            reason: `user '${user.name}' has a token with a line break, a space or a control character in it (the token is not shown); a bearer token is one line of visible characters`,
            secrets
        };
    }
    return { ok: true, kubeConfig: kc, namespace: context?.namespace || undefined, server, secrets };
}
/** Parses a kubeconfig's text, or throws an Error saying where it is wrong (never quoting it). */
function loadKubeconfig(text, where) {
    try {
        return _kubeconfig_js__WEBPACK_IMPORTED_MODULE_0__/* .Kubeconfig */ .Sb.parse(text);
    }
    catch (error) {
        throw new Error(`${where} cannot be read as a kubeconfig (${describeError(error)})`);
    }
}
/** Why a bearer token cannot be sent, without the token: undefined when it can. */
function tokenProblem(token) {
    const at = token.search(NOT_IN_TOKEN);
    if (at < 0)
        return undefined;
    const c = token[at];
    const what = c === '\n' || c === '\r' ? 'a line break' : /\s/.test(c) ? 'a space' : 'a control character';
    return `it has ${what} at character ${at + 1} (the token is not shown)`;
}


/***/ }),

/***/ 2315:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CO: () => (/* binding */ userCredentials),
/* harmony export */   Id: () => (/* binding */ SERVICE_ACCOUNT_DIR),
/* harmony export */   Sb: () => (/* binding */ Kubeconfig),
/* harmony export */   _q: () => (/* binding */ defaultKubeconfigFiles)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3243);
/* harmony import */ var _kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6617);
/**
 * A kubeconfig as data: what `KubeConfig.loadFromString` of `@kubernetes/client-node` reads (js-yaml, then
 * client-node's own `newClusters` / `newContexts` / `newUsers`, which validate and name every field), without
 * loading the client itself: `KubeConfig` lives in a module that evaluates all of client-node's generated API
 * classes, which a run that reads its inputs or sends a few requests never uses.
 */



/** The kubeconfig files looked for when none is given, in order: each of `$KUBECONFIG`, then `~/.kube/config`. */
function defaultKubeconfigFiles(env, home) {
    return [...(env.KUBECONFIG ?? '').split((node_path__WEBPACK_IMPORTED_MODULE_0___default().delimiter)).filter(Boolean), node_path__WEBPACK_IMPORTED_MODULE_0___default().join(home, '.kube', 'config')];
}
/** Where a pod finds its service account: `token`, `ca.crt`, `namespace`. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The clusters, users and contexts of a kubeconfig, and the lookups of its current context. */
class Kubeconfig {
    clusters;
    users;
    contexts;
    currentContext;
    constructor(options) {
        this.clusters = options.clusters ?? [];
        this.users = options.users ?? [];
        this.contexts = options.contexts ?? [];
        this.currentContext = options.currentContext;
    }
    /** Parse kubeconfig YAML (or JSON) as client-node does; throws on a config it would refuse. */
    static parse(text) {
        const obj = ((0,js_yaml__WEBPACK_IMPORTED_MODULE_1__/* .load */ .Hh)(text) ?? {});
        return new Kubeconfig({
            clusters: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_2__/* .newClusters */ .MA)(obj.clusters),
            contexts: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_2__/* .newContexts */ .FE)(obj.contexts),
            users: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_2__/* .newUsers */ .bw)(obj.users),
            currentContext: obj['current-context']
        });
    }
    getCurrentContext() {
        return this.currentContext;
    }
    getContextObject(name) {
        return this.contexts.find((c) => c.name === name) ?? null;
    }
    getCurrentCluster() {
        const context = this.getContextObject(this.currentContext);
        return context ? (this.clusters.find((c) => c.name === context.cluster) ?? null) : null;
    }
    getCurrentUser() {
        const context = this.getContextObject(this.currentContext);
        return context ? (this.users.find((u) => u.name === context.user) ?? null) : null;
    }
}
/** The auth-provider config keys that hold credentials (the others name endpoints, clients and commands). */
const PROVIDER_SECRETS = ['access-token', 'id-token', 'refresh-token', 'client-secret'];
/** Every credential a kubeconfig user holds: token, password, client key and the auth-provider's secrets. */
function userCredentials(user) {
    if (!user)
        return [];
    return [user.token, user.password, user.keyData, ...PROVIDER_SECRETS.map((key) => user.authProvider?.config?.[key])].filter((v) => typeof v === 'string' && v !== '');
}


/***/ }),

/***/ 9163:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cc: () => (/* binding */ SERVER_URL_FORMAT),
/* harmony export */   r1: () => (/* binding */ checkServerUrl),
/* harmony export */   zA: () => (/* binding */ shownUrl)
/* harmony export */ });
/* harmony import */ var _shared_mask_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5249);
/* harmony import */ var _shared_linear_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7018);
/**
 * The API server URL: scheme, host and port only. User info would put a password into every message that names
 * the server; a path, query or fragment would make every request URL wrong. Pure.
 */


const SERVER_URL_FORMAT = 'the API server URL as scheme, host and port only: https://host:port (no user:password@, path, query or fragment; credentials go into openshift-token or a kubeconfig)';
/** `value` for a message: its user info, if any, replaced by `***`. */
function shownUrl(value) {
    return (0,_shared_mask_js__WEBPACK_IMPORTED_MODULE_0__/* .withoutUserInfo */ .sl)(value);
}
/**
 * Checks a server URL. `allowPath`: a kubeconfig's server may carry a path prefix (an API behind a gateway).
 * Returns the URL without trailing slashes, or the reason it is refused (never quoting user info).
 */
function checkServerUrl(value, options = {}) {
    if (/[\s\x00-\x1f\x7f]/.test(value))
        return { reason: 'it contains a space or a control character' };
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value);
    if (!scheme)
        return { reason: 'it does not start with https:// (or http://)' };
    if (!['http', 'https'].includes(scheme[1].toLowerCase()))
        return { reason: `the scheme ${scheme[1]}: is not http or https` };
    const authority = value.slice(scheme[0].length).split(/[/?#]/)[0];
    if (authority.includes('@'))
        return { reason: 'it has user info (user:password@ before the host, not shown); give the credentials as openshift-token or in a kubeconfig' };
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return { reason: 'it is not a URL' };
    }
    if (url.hostname === '')
        return { reason: 'it names no host' };
    if (url.search !== '' || value.includes('?'))
        return { reason: 'it has a query (?…); give scheme, host and port only' };
    if (url.hash !== '' || value.includes('#'))
        return { reason: 'it has a fragment (#…); give scheme, host and port only' };
    if (!options.allowPath && url.pathname !== '/' && url.pathname !== '')
        return { reason: `it has a path (${url.pathname}); give scheme, host and port only` };
    return { url: (0,_shared_linear_text_js__WEBPACK_IMPORTED_MODULE_1__/* .trimEndChar */ .WP)(value, '/') };
}


/***/ }),

/***/ 9011:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EV: () => (/* binding */ DEFAULT_TIMEOUT_MINUTES),
/* harmony export */   k1: () => (/* binding */ DEFAULT_BUILD_JSON_DIR),
/* harmony export */   zI: () => (/* binding */ DEFAULT_BUILD_IMAGE)
/* harmony export */ });
/** Defaults of inputs that parsing fills in itself (build-json-dir and timeout-minutes are also written in action.yml). */
const DEFAULT_BUILD_IMAGE = 'buildroot:latest';
const DEFAULT_BUILD_JSON_DIR = '/usr/share/osbs';
const DEFAULT_TIMEOUT_MINUTES = 120;


/***/ }),

/***/ 6081:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $$: () => (/* binding */ isPathComponent),
/* harmony export */   Kx: () => (/* binding */ TAG_RULE),
/* harmony export */   NA: () => (/* binding */ NAME_TOTAL_LENGTH_MAX),
/* harmony export */   hb: () => (/* binding */ isImageReference),
/* harmony export */   qH: () => (/* binding */ tagProblem),
/* harmony export */   s_: () => (/* binding */ TAG_MAX)
/* harmony export */ });
/* unused harmony exports PATH_COMPONENT, PATH_COMPONENT_RULE, REPOSITORY_RULE, isTag, isRepositoryPath */
/**
 * The Docker image reference grammar (distribution/reference): what a registry accepts as a repository and a
 * tag. Every image the action will push is checked with it before the first request, so that a bad label fails
 * the step at once instead of at push time after the whole build. Pure.
 *
 * Why not @swimlane/docker-reference (2.0.1, the npm port of distribution's grammar): its path component
 * `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*` lets a separator be empty, so a reference that does not match
 * backtracks exponentially: `'a'.repeat(26) + '!'` takes 2.8 s, each further character about 1.8 times as long,
 * and these values come from inputs and Dockerfile labels. It also follows an older grammar (no IPv6 host) and
 * takes digests in uppercase hex, which go-digest refuses. The cases where the two differ are pinned in
 * __tests__/image-reference.test.ts.
 */
/** A path component of a repository: lowercase letters and digits, separated by `.`, `_`, `__` or dashes. */
const PATH_COMPONENT = String.raw `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
/** A registry host: DNS labels separated by dots (or an IPv6 address in brackets), an optional port. */
const DOMAIN = String.raw `(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?)*)(?::[0-9]+)?`;
const TAG = String.raw `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
/** A digest of an algorithm go-digest registers, its encoding lowercase hex of the algorithm's size. */
const DIGEST = String.raw `(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})`;
/** The longest repository name, registry host included (distribution's NameTotalLengthMax). */
const NAME_TOTAL_LENGTH_MAX = 255;
const TAG_MAX = 128;
const TAG_RULE = 'a tag is 1 to 128 characters: letters, digits, _ . and -, not starting with . or -';
const PATH_COMPONENT_RULE = 'lowercase letters and digits, with . _ or - between them';
const REPOSITORY_RULE = (/* unused pure expression or super */ null && (`path components of ${PATH_COMPONENT_RULE}, separated by /, at most ${NAME_TOTAL_LENGTH_MAX} characters with the registry host`));
const TAG_RE = new RegExp(`^${TAG}$`);
const COMPONENT_RE = new RegExp(`^${PATH_COMPONENT}$`);
const REFERENCE_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@${DIGEST})?$`);
/** True when `value` is a tag a registry accepts. */
function isTag(value) {
    return TAG_RE.test(value);
}
/** A path component of a repository name (`user`, `component`, each part of the `name` label). */
function isPathComponent(value) {
    return value.length <= NAME_TOTAL_LENGTH_MAX && COMPONENT_RE.test(value);
}
/** A repository path (without a registry host): components separated by `/`. */
function isRepositoryPath(value) {
    return value.length <= NAME_TOTAL_LENGTH_MAX && value.split('/').every((part) => COMPONENT_RE.test(part));
}
/**
 * A whole reference: `[host[:port]/]path[:tag][@<sha256|sha384|sha512>:<hex>]`. As in distribution, a first part without `.`
 * or `:` that is not `localhost` is a path component, not a host; the name is at most 255 characters.
 */
function isImageReference(value) {
    const match = REFERENCE_RE.exec(value);
    if (!match)
        return false;
    const name = match[1] ? `${match[1]}/${match[2]}` : match[2];
    return name.length <= NAME_TOTAL_LENGTH_MAX;
}
/** Why `tag` is not a tag (for a message), or undefined when it is one. */
function tagProblem(tag) {
    if (tag.length > TAG_MAX)
        return `it is ${tag.length} characters long (at most ${TAG_MAX})`;
    if (tag === '')
        return 'it is empty';
    const bad = [...tag].find((c) => !/[A-Za-z0-9_.-]/.test(c));
    if (bad !== undefined)
        return `it contains ${bad === ' ' ? 'a space' : JSON.stringify(bad)}`;
    if (!isTag(tag))
        return `it starts with ${JSON.stringify(tag[0])}`;
    return undefined;
}


/***/ }),

/***/ 2804:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NN: () => (/* binding */ toLabelValue),
/* harmony export */   Pz: () => (/* binding */ isDns1123Subdomain),
/* harmony export */   ac: () => (/* binding */ isImagePathComponent),
/* harmony export */   cd: () => (/* binding */ repoNameFromGitUri),
/* harmony export */   eL: () => (/* binding */ uniqueTag),
/* harmony export */   lL: () => (/* binding */ imageStreamTagFromImage),
/* harmony export */   p8: () => (/* binding */ imageStreamFromNameLabel),
/* harmony export */   s4: () => (/* binding */ buildConfigNameFromGit),
/* harmony export */   z3: () => (/* binding */ isDns1123Label)
/* harmony export */ });
/* unused harmony export isDigestReference */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _image_reference_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6081);
/* harmony import */ var _shared_linear_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7018);
/**
 * Names derived from the repository, the branch and the base image (SPEC §4).
 * Pure functions: no I/O, no clock, no randomness (the unique tag takes them as arguments).
 */



/** The BuildConfig name is at most this long before the hash (osbs-client's limit 53 = 46 + 2 separators + hash). */
const NAME_LIMIT = 53;
const HASH_SIZE = 5;
const SEPARATOR = '-';
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** True when `value` is a DNS-1123 label (what Kubernetes requires of namespace and many object names). */
function isDns1123Label(value) {
    return value.length <= 63 && DNS1123_LABEL.test(value);
}
/** True when `value` is a DNS-1123 subdomain (secret names). */
function isDns1123Subdomain(value) {
    return value.length <= 253 && value.split('.').every((part) => part.length > 0 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(part));
}
/**
 * The "humanish" repository name of a git URI: its last path part without `.git` and without trailing slashes
 * (`http://git.example.com/git/repo.git/` → `repo`, `git@github.com:o/r.git` → `r`).
 */
function repoNameFromGitUri(uri) {
    let path = (0,_shared_linear_text_js__WEBPACK_IMPORTED_MODULE_2__/* .trimEndChar */ .WP)(uri.trim(), '/');
    path = path.replace(/\/\.git$/, '').replace(/\.git$/, '');
    path = (0,_shared_linear_text_js__WEBPACK_IMPORTED_MODULE_2__/* .trimEndChar */ .WP)(path, '/');
    const slash = path.lastIndexOf('/');
    let name = slash >= 0 ? path.slice(slash + 1) : path;
    // scp-like syntax without a slash: host:repo
    const colon = name.lastIndexOf(':');
    if (slash < 0 && colon >= 0)
        name = name.slice(colon + 1);
    return name;
}
function sanitizeNamePart(value) {
    return value.toLowerCase().replace(/[^-a-z0-9]/g, '');
}
/**
 * SPEC §4.1: osbs-client's `make_name_from_git`, with upper-case letters lowercased instead of deleted.
 * `hash` = first 5 hex chars of sha256(repo + branch) on the raw strings; characters are taken alternately from the
 * sanitised repo and branch until 46 are taken; each part is stripped of `-`; non-empty parts and the hash are
 * joined with `-`.
 */
function buildConfigNameFromGit(gitUri, branch) {
    const repo = repoNameFromGitUri(gitUri);
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(repo + branch, 'utf8')
        .digest('hex')
        .slice(0, HASH_SIZE);
    const repoChars = sanitizeNamePart(repo);
    const branchChars = sanitizeNamePart(branch);
    let size = 2 * SEPARATOR.length + HASH_SIZE;
    let repoPart = '';
    let branchPart = '';
    for (let i = 0; size < NAME_LIMIT && (i < repoChars.length || i < branchChars.length); i++) {
        if (i < repoChars.length) {
            repoPart += repoChars[i];
            size++;
            if (size >= NAME_LIMIT)
                break;
        }
        if (i < branchChars.length) {
            branchPart += branchChars[i];
            size++;
        }
    }
    return [repoPart, branchPart]
        .map((part) => (0,_shared_linear_text_js__WEBPACK_IMPORTED_MODULE_2__/* .trimWhere */ .Il)(part, (c) => c === '-'))
        .filter((part) => part.length > 0)
        .concat(hash)
        .join(SEPARATOR);
}
/** Whether a base image reference is pinned by digest (and so cannot be followed by an ImageChange trigger). */
function isDigestReference(image) {
    return image.includes('@');
}
/**
 * SPEC §4.2: the ImageStreamTag (`name:tag`) that follows a base image, or null for a digest reference.
 * `fedora23/python` → `fedora23-python:latest`, `docker.io/fedora23/python:t` → `fedora23-python:t`,
 * `registry:5000/fedora` → `fedora:latest`.
 */
function imageStreamTagFromImage(image) {
    if (isDigestReference(image))
        return null;
    let parts = image.split('/');
    if (parts.length === 2) {
        const first = parts[0];
        if (first.includes('.') || first.includes(':') || first === 'localhost')
            parts = parts.slice(1);
    }
    else if (parts.length >= 3) {
        parts = parts.slice(1);
    }
    const joined = parts.join('-');
    return joined.includes(':') ? joined : `${joined}:latest`;
}
/** SPEC §4.3: the ImageStream of the built image: the `name` label with `/` → `-`. */
function imageStreamFromNameLabel(nameLabel) {
    return nameLabel.replace(/\//g, '-');
}
/** SPEC §4.3: `<target|none>-<5 random digits>-<UTC YYYYmmddHHMMSS>`; `random` is in [0, 1). */
function uniqueTag(target, now, random) {
    const digits = 10000 + Math.floor(random * 90000);
    const pad = (n, w = 2) => String(n).padStart(w, '0');
    const stamp = pad(now.getUTCFullYear(), 4) + pad(now.getUTCMonth() + 1) + pad(now.getUTCDate()) + pad(now.getUTCHours()) + pad(now.getUTCMinutes()) + pad(now.getUTCSeconds());
    return `${target || 'none'}-${digits}-${stamp}`;
}
/**
 * A Kubernetes label value made from any string (SPEC §4.3): invalid characters become `-`, the result is cut to
 * 63 characters and must begin and end with an alphanumeric character.
 */
function toLabelValue(value) {
    return value
        .replace(/[^-A-Za-z0-9_.]/g, '-')
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+/, '')
        .replace(/[^A-Za-z0-9]+$/, '');
}
/** A path component of a docker repository name (`user`, `component`): lowercase, `.`, `_`, `-` separators. */
function isImagePathComponent(value) {
    return (0,_image_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .isPathComponent */ .$$)(value);
}


/***/ }),

/***/ 8382:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FQ: () => (/* binding */ ProblemsError),
/* harmony export */   aY: () => (/* binding */ invalidInput),
/* harmony export */   lW: () => (/* binding */ annotationOf),
/* harmony export */   q: () => (/* binding */ q)
/* harmony export */ });
/* harmony import */ var _mask_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5249);
/**
 * Problems found while reading inputs, the repository config or the Dockerfile. They are collected, then reported
 * all at once (each as one error annotation), before anything touches the network.
 */

/** Thrown when validation found one or more problems. */
class ProblemsError extends Error {
    problems;
    constructor(problems) {
        super(problems.length === 1 ? problems[0].message : `${problems.length} problems:\n${problems.map((p) => `- ${p.message}`).join('\n')}`);
        this.name = 'ProblemsError';
        this.problems = problems;
    }
}
/** Quotes a value for a message: 'value' (or "(empty)"); a URL's user info is shown as `***`. */
function q(value) {
    return value === '' ? '(empty)' : `'${(0,_mask_js__WEBPACK_IMPORTED_MODULE_0__/* .withoutUserInfo */ .sl)(value)}'`;
}
/** The problem of an invalid input value: `Input <input>: '<value>' is not valid. <accepted>` (which says what is). */
function invalidInput(input, value, accepted) {
    return { input, message: `Input ${input}: ${q(value)} is not valid. ${accepted}` };
}
/** Where an annotation about a problem points: its file and line, when it has them. */
function annotationOf(problem) {
    return problem.file ? { file: problem.file, ...(problem.line ? { startLine: problem.line } : {}) } : undefined;
}


/***/ }),

/***/ 7018:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Il: () => (/* binding */ trimWhere),
/* harmony export */   WP: () => (/* binding */ trimEndChar),
/* harmony export */   bG: () => (/* binding */ userInfoSpans),
/* harmony export */   xC: () => (/* binding */ isSpace)
/* harmony export */ });
/**
 * String scans for text from outside (inputs, files, environment), written as loops so that their time is
 * linear in the text's length. The regular expressions they replace (`/\/+$/`, `/\s+#.*$/`,
 * `/[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s@]*)@/g`) are tried at every position of a long run that does not end
 * where they need, which is quadratic: a 120 KB input took 26.6 s to refuse.
 */
/** `text` without the run of `char` at its end (`/x+$/` for a one-character `x`). */
function trimEndChar(text, char) {
    let end = text.length;
    while (end > 0 && text[end - 1] === char)
        end--;
    return text.slice(0, end);
}
/** `text` without the run at its start and at its end of characters for which `drop` is true. */
function trimWhere(text, drop) {
    let start = 0;
    let end = text.length;
    while (start < end && drop(text[start]))
        start++;
    while (end > start && drop(text[end - 1]))
        end--;
    return text.slice(start, end);
}
/** JavaScript's `\s` (one UTF-16 unit). */
function isSpace(char) {
    switch (char) {
        case ' ':
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
        case '\u00a0':
        case '\u1680':
        case '\u2028':
        case '\u2029':
        case '\u202f':
        case '\u205f':
        case '\u3000':
        case '\ufeff':
            return true;
        default:
            return char >= '\u2000' && char <= '\u200a';
    }
}
function isLetter(char) {
    return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z');
}
function isSchemeChar(char) {
    return isLetter(char) || (char >= '0' && char <= '9') || char === '+' || char === '.' || char === '-';
}
/**
 * Where each `scheme://userinfo@` of `text` has its user info: `start` is the first character after `://`,
 * `end` the index of the `@`. The matches of `/[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\s@]*)@/g`, found in one pass:
 * the scheme runs and the user-info runs of different `://` do not overlap.
 */
function userInfoSpans(text) {
    const spans = [];
    let from = 0;
    for (let sep = text.indexOf('://', from); sep >= 0; sep = text.indexOf('://', Math.max(from, sep + 1))) {
        // The scheme: the run of scheme characters before `://` (not before the last match), from its first letter.
        let schemeStart = -1;
        for (let i = sep - 1; i >= from && isSchemeChar(text[i]); i--)
            if (isLetter(text[i]))
                schemeStart = i;
        if (schemeStart < 0)
            continue;
        const start = sep + 3;
        let end = start;
        while (end < text.length && !'/?#@'.includes(text[end]) && !isSpace(text[end]))
            end++;
        if (text[end] !== '@')
            continue;
        spans.push({ schemeStart, start, end });
        from = end + 1;
    }
    return spans;
}


/***/ }),

/***/ 5249:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $b: () => (/* binding */ credentialsInText),
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   O4: () => (/* binding */ urlCredentials),
/* harmony export */   R_: () => (/* binding */ maskList),
/* harmony export */   Z$: () => (/* binding */ maskValues),
/* harmony export */   sl: () => (/* binding */ withoutUserInfo)
/* harmony export */ });
/* unused harmony export CREDENTIAL_KEYS */
/* harmony import */ var _linear_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7018);
/**
 * Credentials to mask, found before anything could print them: in a kubeconfig's text (whether or not it parses),
 * in a URL's user info, and in a value that spans lines (the runner masks line by line). `redact` takes them out
 * of a message that was built from text a library produced. Pure: no I/O.
 */

/** Kubeconfig keys whose value is a credential (users[].user and auth-provider config). */
const CREDENTIAL_KEYS = ['token', 'password', 'client-key-data', 'access-token', 'id-token', 'refresh-token', 'client-secret'];
const KEY_PATTERN = new RegExp(String.raw `(?:^|[\s{,\[])(["']?)(${CREDENTIAL_KEYS.join('|')})\1\s*:(?=\s|$|["'])\s*(.*)$`);
/** What to hand to the runner's masking for one credential: the value and each of its lines (trimmed, non-empty). */
function maskValues(value) {
    const out = new Set();
    const trimmed = value.trim();
    if (trimmed !== '')
        out.add(trimmed);
    for (const line of trimmed.split(/\r?\n|\r/)) {
        const part = line.trim();
        if (part !== '')
            out.add(part);
    }
    return [...out];
}
/** The end of a quoted scalar that starts at `text[0]` (the quote), or -1 when it does not close on this line. */
function closingQuote(text) {
    const quote = text[0];
    for (let i = 1; i < text.length; i++) {
        if (quote === '"' && text[i] === '\\') {
            i++;
            continue;
        }
        if (text[i] === quote) {
            if (quote === "'" && text[i + 1] === "'") {
                i++;
                continue;
            }
            return i;
        }
    }
    return -1;
}
/**
 * Every value of a credential key in a kubeconfig's text, read line by line so that a file that does not parse
 * as YAML (or JSON) still gives its credentials: plain, quoted (also across lines) and block (`|`, `>`) scalars.
 */
function credentialsInText(text) {
    const found = [];
    const lines = text.split(/\r?\n|\r/);
    for (let i = 0; i < lines.length; i++) {
        const match = KEY_PATTERN.exec(lines[i]);
        if (!match)
            continue;
        const rest = match[3].trim();
        if (rest.startsWith('"') || rest.startsWith("'")) {
            const end = closingQuote(rest);
            if (end >= 0) {
                found.push(rest.slice(1, end));
                continue;
            }
            // A quoted scalar that goes on: every line up to the closing quote is a part of the credential.
            const parts = [rest.slice(1)];
            for (i++; i < lines.length; i++) {
                const close = lines[i].indexOf(rest[0]);
                parts.push(close >= 0 ? lines[i].slice(0, close) : lines[i]);
                if (close >= 0)
                    break;
            }
            found.push(parts.join('\n'));
            continue;
        }
        if (/^[|>][-+0-9]*\s*(#.*)?$/.test(rest)) {
            // A block scalar: the lines indented deeper than the key's line.
            const indent = /^\s*/.exec(lines[i])[0].length;
            const parts = [];
            while (i + 1 < lines.length && (lines[i + 1].trim() === '' || /^\s*/.exec(lines[i + 1])[0].length > indent))
                parts.push(lines[++i]);
            found.push(parts.join('\n'));
            continue;
        }
        // A plain scalar ends at a flow indicator or a comment.
        const plain = plainScalar(rest);
        if (plain !== '')
            found.push(plain);
    }
    return found;
}
/** A plain YAML scalar of a line: up to a comment (` #`) and then up to a flow indicator (`,`, `}`, `]`), trimmed. */
function plainScalar(rest) {
    let end = rest.length;
    for (let i = 1; i < rest.length; i++) {
        if (rest[i] !== '#' || !(0,_linear_text_js__WEBPACK_IMPORTED_MODULE_0__/* .isSpace */ .xC)(rest[i - 1]))
            continue;
        end = i - 1;
        while (end > 0 && (0,_linear_text_js__WEBPACK_IMPORTED_MODULE_0__/* .isSpace */ .xC)(rest[end - 1]))
            end--;
        break;
    }
    let cut = rest.slice(0, end);
    for (let i = 0; i < cut.length; i++) {
        if (cut[i] === ',' || cut[i] === '}' || cut[i] === ']') {
            cut = cut.slice(0, i);
            break;
        }
    }
    return cut.trim();
}
/** The user info of every `scheme://user:password@host` in `value`, and its password alone (also decoded). */
function urlCredentials(value) {
    const found = [];
    for (const span of (0,_linear_text_js__WEBPACK_IMPORTED_MODULE_0__/* .userInfoSpans */ .bG)(value)) {
        const userInfo = value.slice(span.start, span.end);
        const colon = userInfo.indexOf(':');
        if (colon < 0)
            continue;
        const password = userInfo.slice(colon + 1);
        if (password === '')
            continue;
        found.push(userInfo, password);
        try {
            const decoded = decodeURIComponent(password);
            if (decoded !== password)
                found.push(decoded);
        }
        catch {
            /* not percent-encoded */
        }
    }
    return found;
}
/** The values to mask for a list of credentials: each, and each of its lines, without repeats or empty ones. */
function maskList(values) {
    const out = new Set();
    for (const value of values)
        if (value)
            for (const part of maskValues(value))
                out.add(part);
    return [...out];
}
/** `text` with every credential (and each line of a multi-line one) replaced by `***`, longest first. */
function redact(text, secrets) {
    const parts = maskList(secrets).sort((a, b) => b.length - a.length);
    let out = text;
    for (const part of parts)
        out = out.split(part).join('***');
    return out;
}
/** `text` with the user info of every URL in it replaced by `***` (for messages about values that carried credentials). */
function withoutUserInfo(text) {
    let out = '';
    let last = 0;
    for (const span of (0,_linear_text_js__WEBPACK_IMPORTED_MODULE_0__/* .userInfoSpans */ .bG)(text)) {
        out += `${text.slice(last, span.start)}***`;
        last = span.end;
    }
    return out + text.slice(last);
}


/***/ })

};

//# sourceMappingURL=373.index.js.map