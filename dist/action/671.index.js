export const id = 671;
export const ids = [671];
export const modules = {

/***/ 8671:
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
// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __webpack_require__(7096);
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

;// CONCATENATED MODULE: ./src/inputs/image-content.ts
/** What goes into the image besides the checkout: extra yum repositories (osbs-client's --add-yum-repo), the squash, the RPM list. */



/** yum-repourls (each an http(s) URL of a `.repo` file, written into the BuildConfig), squash and rpm-packages. */
function parseImageContent(r) {
    const yumRepoUrls = parseList('yum-repourls', r.get('yum-repourls'), r.problems);
    for (const url of yumRepoUrls) {
        if (!isHttpUrl(url) || hasPassword(url))
            r.invalid('yum-repourls', (0,server_url/* shownUrl */.zA)(url), 'Accepted: http(s) URLs of .repo files, without user:password@ (they are written into the BuildConfig), separated by commas and/or newlines');
    }
    return { yumRepoUrls, squash: r.bool('squash', true), rpmPackages: r.bool('rpm-packages', true) };
}

;// CONCATENATED MODULE: ./src/inputs/koji.ts
/** The Koji inputs besides koji-hub (osbs-client's kojiroot, koji_certs_secret, Kerberos principal and keytab, and Koji's web URL). */






/** No blank, no control character: a Kerberos principal (`user@REALM`) or a keytab (a path, or `FILE:/path`). */
const KERBEROS_VALUE = /^[^\s\p{Cc}]+$/u;
/** An http(s) URL without a password (written into the BuildConfig, or shown in the summary). */
function httpUrl(r, name, what) {
    const value = r.optional(name);
    if (value && (!isHttpUrl(value) || hasPassword(value)))
        r.invalid(name, (0,server_url/* shownUrl */.zA)(value), `Accepted: an http(s) URL of ${what}, without user:password@`);
    return value ? (0,linear_text/* trimEndChar */.WP)(value, '/') || undefined : undefined;
}
/** koji-root, koji-certs-secret, koji-kerberos-principal with koji-kerberos-keytab, koji-web-url. */
function parseKoji(r) {
    const kojiRoot = httpUrl(r, 'koji-root', "Koji's top directory (osbs-client's kojiroot, e.g. https://koji.example.com/kojifiles)");
    const kojiCertsSecret = r.optional('koji-certs-secret');
    if (kojiCertsSecret && !(0,names/* isDns1123Subdomain */.Pz)(kojiCertsSecret))
        r.invalid('koji-certs-secret', kojiCertsSecret, "Accepted: an OpenShift secret name (lowercase letters, digits, - and .) holding Koji's cert, ca and serverca");
    const principal = r.optional('koji-kerberos-principal');
    const keytab = r.optional('koji-kerberos-keytab');
    for (const [name, value] of [
        ['koji-kerberos-principal', principal],
        ['koji-kerberos-keytab', keytab]
    ]) {
        if (value && !KERBEROS_VALUE.test(value))
            r.invalid(name, value, 'Accepted: one word without blanks or control characters');
    }
    if (Boolean(principal) !== Boolean(keytab)) {
        const [set, missing] = principal ? ['koji-kerberos-principal', 'koji-kerberos-keytab'] : ['koji-kerberos-keytab', 'koji-kerberos-principal'];
        r.problems.push({
            input: missing,
            message: `Input ${missing}: (empty) is not valid while ${set} is ${(0,errors.q)((principal ?? keytab))}. Accepted: both koji-kerberos-principal and koji-kerberos-keytab, or neither`
        });
    }
    const kojiWebUrl = httpUrl(r, 'koji-web-url', "Koji's web UI (e.g. https://koji.example.com/koji)");
    return {
        ...(kojiRoot ? { kojiRoot } : {}),
        ...(kojiCertsSecret ? { kojiCertsSecret } : {}),
        ...(principal && keytab ? { kojiKerberos: { principal, keytab } } : {}),
        ...(kojiWebUrl ? { kojiWebUrl } : {})
    };
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

;// CONCATENATED MODULE: ./src/inputs/smtp.ts

/** atomic-reactor 1.6.26.3's SendMailPlugin.allowed_states. */
const SEND_ON_STATES = ['auto_canceled', 'auto_fail', 'auto_success', 'manual_canceled', 'manual_fail', 'manual_success'];
/** The send_on of osbs-client's prod template (prod_inner.json). */
const DEFAULT_SEND_ON = ['auto_canceled', 'auto_fail', 'manual_success', 'manual_fail'];
const ADDRESS = /^[^\s@]+@[^\s@]+$/;
const smtp_HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/;
const DOMAIN = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** The inputs that only shape sendmail's messages: set without smtp-host and smtp-from they would do nothing. */
const SHAPING = ['smtp-additional-addresses', 'smtp-error-addresses', 'smtp-email-domain', 'smtp-to-submitter', 'smtp-to-pkgowner'];
function addresses(r, name) {
    const list = parseList(name, r.get(name), r.problems);
    for (const address of list)
        if (!ADDRESS.test(address))
            r.invalid(name, address, 'Accepted: e-mail addresses (name@domain), separated by commas and/or newlines');
    return list;
}
/** smtp-host, smtp-from and the rest; sendmail is rendered only with both smtp-host and smtp-from (as osbs-client does). */
function parseSmtp(r) {
    const host = r.optional('smtp-host');
    const from = r.optional('smtp-from');
    if (host && !smtp_HOST.test(host))
        r.invalid('smtp-host', host, 'Accepted: the SMTP server as host or host:port');
    if (from && !ADDRESS.test(from))
        r.invalid('smtp-from', from, 'Accepted: an e-mail address (name@domain)');
    const additionalAddresses = addresses(r, 'smtp-additional-addresses');
    const errorAddresses = addresses(r, 'smtp-error-addresses');
    const emailDomain = r.optional('smtp-email-domain');
    if (emailDomain && !DOMAIN.test(emailDomain))
        r.invalid('smtp-email-domain', emailDomain, 'Accepted: a mail domain, e.g. example.com (added to Koji user names)');
    const toSubmitter = r.bool('smtp-to-submitter', false);
    const toPkgowner = r.bool('smtp-to-pkgowner', false);
    const sendOnItems = parseList('smtp-send-on', r.get('smtp-send-on'), r.problems);
    for (const state of sendOnItems)
        if (!SEND_ON_STATES.includes(state))
            r.invalid('smtp-send-on', state, `Accepted: build states among ${SEND_ON_STATES.join(', ')}`);
    const sendOn = sendOnItems.length ? [...new Set(sendOnItems)] : DEFAULT_SEND_ON;
    if (Boolean(host) !== Boolean(from)) {
        const [set, missing] = host ? ['smtp-host', 'smtp-from'] : ['smtp-from', 'smtp-host'];
        r.problems.push({ input: missing, message: `Input ${missing}: (empty) is not valid while ${set} is set: sendmail needs both. Accepted: both smtp-host and smtp-from, or neither` });
    }
    if (!host && !from) {
        for (const name of SHAPING) {
            const value = r.get(name);
            if (value && !(name.startsWith('smtp-to-') && value.toLowerCase() === 'false'))
                r.problems.push({ input: name, message: `Input ${name}: is set, but smtp-host and smtp-from are not: no mail is sent. Accepted: ${name} together with smtp-host and smtp-from` });
        }
        return {};
    }
    return { smtp: { host: host ?? '', from: from ?? '', sendOn, additionalAddresses, errorAddresses, ...(emailDomain ? { emailDomain } : {}), toSubmitter, toPkgowner } };
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
/**
 * git-uri (default: this repository), git-branch (default: GITHUB_REF's branch), git-commit (default: GITHUB_SHA).
 * `head`: the pull request a scratch build builds: its head repository, branch and commit are the defaults instead
 * (the merge commit of GITHUB_SHA is in no branch a clone can reach).
 */
function parseGit(r, repository, serverUrl, head) {
    const gitUriInput = r.get('git-uri');
    let gitUri = gitUriInput;
    if (gitUri === '' && head?.headCloneUrl)
        gitUri = head.headCloneUrl;
    else if (gitUri === '') {
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
    let branch = r.get('git-branch') || head?.headRef || '';
    if (branch === '') {
        const ref = r.context.ref ?? '';
        if (ref.startsWith('refs/heads/'))
            branch = ref.slice('refs/heads/'.length);
        else
            r.problems.push({
                input: 'git-branch',
                message: `Input git-branch: (empty) is not valid, and GITHUB_REF ${(0,errors.q)(ref)} is not a branch (refs/heads/…). Accepted: the branch the BuildConfig builds; set git-branch when running on a tag, or build-kind scratch`
            });
    }
    else if (!isBranchName(branch)) {
        r.invalid('git-branch', branch, 'Accepted: a git branch name (no spaces, no ~ ^ : ? * [ \\, no "..")');
    }
    const commitInput = r.get('git-commit') || head?.headSha || r.context.sha || '';
    if (!/^[0-9a-fA-F]{40}$/.test(commitInput)) {
        const from = r.get('git-commit') ? '' : head?.headSha ? " (from the pull request's head commit)" : ' (from GITHUB_SHA)';
        r.problems.push({
            input: 'git-commit',
            message: `Input git-commit: ${(0,errors.q)(commitInput)}${from} is not valid. Accepted: a full 40-hex commit id`
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

;// CONCATENATED MODULE: ./src/inputs/source-secret.ts
/** source-secret: the OpenShift secret the build clones git-uri with (`spec.source.sourceSecret`). */

/** The secret's name, or undefined when the input is empty (a public repository). */
function parseSourceSecret(r) {
    const value = r.optional('source-secret');
    if (value === undefined)
        return undefined;
    if (!(0,names/* isDns1123Subdomain */.Pz)(value)) {
        r.invalid('source-secret', value, 'Accepted: an OpenShift secret name (lowercase letters, digits, - and .) holding username and password, or ssh-privatekey');
        return undefined;
    }
    return value;
}

;// CONCATENATED MODULE: ./src/inputs/build-kind.ts
/**
 * The kind of build (osbs-client's three): `branch` (the BuildConfig of a branch, with its trigger), `scratch`
 * (`osbs build --scratch`: a Build posted directly, only its unique tag pushed) and `isolated` (`--isolated
 * --release X.Y`: a Build posted directly, pushed as `<version>-<release>`); the release of an isolated build; and
 * what a pull request's event says about the commit to build.
 */

const BUILD_KINDS = ['branch', 'scratch', 'isolated'];
/** osbs-client's ISOLATED_RELEASE_FORMAT (osbs/constants.py): `1.1`, `2.3.hotfix`; not `1`. */
const ISOLATED_RELEASE_FORMAT = /^\d+\.\d+(\..+)?$/;
/** The events whose GITHUB_REF is a pull request's merge ref (refs/pull/N/merge). */
const build_kind_PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/** The pull request of the run's event (`pull_request` or `pull_request_target`), read from its payload. */
function pullRequestOf(context) {
    if (!build_kind_PULL_REQUEST_EVENTS.has(context.eventName ?? ''))
        return undefined;
    const pr = context.payload?.pull_request;
    if (!pr || typeof pr !== 'object')
        return undefined;
    const head = pr.head ?? {};
    const headRepo = typeof head.repo?.full_name === 'string' ? head.repo.full_name : undefined;
    const baseRepo = typeof pr.base?.repo?.full_name === 'string' ? pr.base.repo.full_name : context.repository;
    return {
        number: Number(pr.number ?? context.payload?.number ?? 0),
        event: context.eventName,
        ...(typeof head.ref === 'string' ? { headRef: head.ref } : {}),
        ...(typeof head.sha === 'string' ? { headSha: head.sha } : {}),
        ...(typeof head.repo?.clone_url === 'string' ? { headCloneUrl: head.repo.clone_url } : {}),
        // A deleted fork has no head repository: it is a fork all the same.
        ...(headRepo === undefined || headRepo !== baseRepo ? { fork: headRepo ?? '(deleted repository)' } : {})
    };
}
/** build-kind (default: isolated with a release, scratch on a pull request, else branch) and release. */
function parseBuildKind(r) {
    const pullRequest = pullRequestOf(r.context);
    const release = r.optional('release');
    const given = r.get('build-kind');
    let kind;
    if (given === '')
        kind = release ? 'isolated' : pullRequest ? 'scratch' : 'branch';
    else if (BUILD_KINDS.includes(given))
        kind = given;
    else {
        r.invalid('build-kind', given, 'Accepted: branch, scratch or isolated (empty: isolated when release is set, scratch on a pull request, else branch)');
        kind = 'branch';
    }
    if (kind === 'isolated') {
        if (!release)
            r.problems.push({ input: 'release', message: 'Input release: (empty) is not valid: an isolated build needs the release it patches. Accepted: a release such as 1.1 (^\\d+\\.\\d+(\\..+)?$)' });
        else if (!ISOLATED_RELEASE_FORMAT.test(release))
            r.invalid('release', release, "Accepted for an isolated build: <number>.<number>, optionally followed by .<anything> (^\\d+\\.\\d+(\\..+)?$, osbs-client's format), e.g. 1.1 or 2.3.hotfix; release 1 is the first build of the version, which an isolated build never replaces");
    }
    else if (release) {
        r.problems.push({
            input: 'release',
            message: `Input release: ${(0,errors.q)(release)} is only used by an isolated build, and build-kind is ${kind}. Accepted: build-kind isolated (or empty) with release, or no release`
        });
    }
    return { kind, ...(release && kind === 'isolated' ? { release } : {}), ...(pullRequest ? { pullRequest } : {}) };
}
/**
 * The one problem left for a pull request from a fork under `pull_request`, which GitHub runs without secrets:
 * when no credentials came with it, saying so replaces every credentials problem.
 */
function forkWithoutSecrets(pullRequest, problems) {
    if (pullRequest?.event !== 'pull_request' || pullRequest.fork === undefined)
        return undefined;
    if (!problems.some((p) => p.input === 'openshift-token' && /no credentials/.test(p.message)))
        return undefined;
    return {
        message: `Pull request #${pullRequest.number} comes from the fork ${pullRequest.fork}, and GitHub runs pull_request workflows of forks without secrets: ` +
            'there are no OpenShift credentials, so nothing was built (see "Pull requests from forks" in the README)'
    };
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
    const { kind, release, pullRequest } = parseBuildKind(r);
    const git = parseGit(r, repository, serverUrl, kind === 'scratch' ? pullRequest : undefined);
    const sourceSecret = parseSourceSecret(r);
    const dockerfile = r.checkoutPath('dockerfile', 'Dockerfile');
    const repoConfigFile = r.checkoutPath('repo-config-file', '.osbs-repo-config');
    const { user, component, target } = parseImageNaming(r, owner);
    const { builder, buildConfigName } = parseBuilder(r);
    const { registries, registryApiVersions, sourceRegistry } = parseRegistries(r);
    const { pulp, pulpSync } = parsePulp(r);
    const { builderOpenshiftUrl, buildJsonDir, kojiHub } = parsePluginSettings(r);
    const koji = parseKoji(r);
    const { yumRepoUrls, squash, rpmPackages } = parseImageContent(r);
    const { smtp } = parseSmtp(r);
    const flow = parseFlow(r);
    const fork = forkWithoutSecrets(pullRequest, r.problems);
    if (fork)
        return { ok: false, problems: [fork], secrets: (0,mask/* maskList */.R_)(r.secrets) };
    const commitStatus = parseCommitStatus(r, repository);
    if (r.problems.length > 0)
        return { ok: false, problems: r.problems, secrets: (0,mask/* maskList */.R_)(r.secrets) };
    const settings = {
        kind,
        ...(release ? { release } : {}),
        ...(pullRequest ? { pullRequest } : {}),
        connection: conn.connection,
        namespace,
        git,
        ...(sourceSecret ? { sourceSecret } : {}),
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
        ...koji,
        yumRepoUrls,
        squash,
        rpmPackages,
        ...(smtp ? { smtp } : {}),
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
    'build-kind',
    'release',
    'source-secret',
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
    'koji-root',
    'koji-certs-secret',
    'koji-kerberos-principal',
    'koji-kerberos-keytab',
    'koji-web-url',
    'yum-repourls',
    'squash',
    'rpm-packages',
    'smtp-host',
    'smtp-from',
    'smtp-additional-addresses',
    'smtp-error-addresses',
    'smtp-email-domain',
    'smtp-to-submitter',
    'smtp-to-pkgowner',
    'smtp-send-on',
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
function readSettings(reporter = { notice: (m) => toolkit/* notice */.lm(m) }) {
    const raw = {};
    for (const name of INPUT_NAMES) {
        const value = (raw[name] = toolkit/* getInput */.V4(name));
        if (value && TOKEN_INPUTS.includes(name))
            toolkit/* setSecret */.Pq(value);
    }
    const result = parseSettings(raw, githubContext(), processEnvironment());
    for (const secret of result.secrets)
        if (!TOKEN_INPUTS.some((name) => raw[name] === secret))
            toolkit/* setSecret */.Pq(secret);
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


/***/ })

};

//# sourceMappingURL=671.index.js.map