export const id = 243;
export const ids = [243];
export const modules = {

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

/***/ 2046:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   At: () => (/* binding */ mergeImageStream),
/* harmony export */   Iz: () => (/* binding */ trackedTags),
/* harmony export */   _6: () => (/* binding */ plannedTags),
/* harmony export */   w2: () => (/* binding */ REPOSITORY_CHECK),
/* harmony export */   zh: () => (/* binding */ imageStreamFor)
/* harmony export */ });
/* unused harmony exports INSECURE_REPOSITORY, importRegistry, tagOf, renderImageStream */
const INSECURE_REPOSITORY = 'openshift.io/image.insecureRepository';
/** Set by OpenShift after each import; a stream without it is imported again. */
const REPOSITORY_CHECK = 'openshift.io/image.dockerRepositoryCheck';
/** Where OpenShift imports the image from: the source registry, else the first registry pushed to. */
function importRegistry(settings) {
    const registry = settings.sourceRegistry ?? settings.registries.find((r) => settings.registryApiVersions.includes(r.version));
    return registry ? { host: registry.host, insecure: registry.insecure } : undefined;
}
/** The tag of a pull spec (`latest` when it has none). */
function tagOf(pullSpec) {
    const colon = pullSpec.lastIndexOf(':');
    return colon > pullSpec.lastIndexOf('/') ? pullSpec.slice(colon + 1) : 'latest';
}
/**
 * The tags the stream follows: those of the primary pull specs without `-` (a `<version>-<release>` tag names one
 * build and never moves; `latest` and a `<version>` without `-` move with each build), each once, in order.
 */
function trackedTags(primaryPullSpecs) {
    const tags = [];
    for (const tag of primaryPullSpecs.map(tagOf))
        if (!tag.includes('-') && !tags.includes(tag))
            tags.push(tag);
    return tags;
}
/** The tags a build with this `version` label will follow, known before it ran (dry run): `<version>` when it has no `-`, and `latest`. */
function plannedTags(version) {
    return [version, 'latest'].filter((tag, i, all) => !tag.includes('-') && all.indexOf(tag) === i);
}
/** The ImageStream: spec tags imported from `<repository>:<tag>`, re-imported by OpenShift on its schedule. */
function renderImageStream(input) {
    return {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStream',
        metadata: { name: input.name, ...(input.insecure ? { annotations: { [INSECURE_REPOSITORY]: 'true' } } : {}) },
        spec: {
            dockerImageRepository: input.repository,
            tags: input.tags.map((tag) => ({
                name: tag,
                from: { kind: 'DockerImage', name: `${input.repository}:${tag}` },
                importPolicy: { scheduled: true, insecure: input.insecure }
            }))
        }
    };
}
/** The stream of the image with this name label, following `tags`; undefined when there is no registry to import from. */
function imageStreamFor(settings, image, tags) {
    const registry = importRegistry(settings);
    if (!registry)
        return undefined;
    return renderImageStream({ name: image.imageStream, repository: `${registry.host}/${image.nameLabel}`, insecure: registry.insecure, tags });
}
/**
 * The existing stream with this run's repository, insecure annotation and tags (other tags, labels, annotations
 * and fields kept; a tag of the same name keeps its other fields), and without the repository-check annotation,
 * which makes OpenShift import it now (osbs-client's `import_image`).
 */
function mergeImageStream(existing, wanted) {
    const annotations = { ...(existing?.metadata?.annotations ?? {}), ...(wanted.metadata.annotations ?? {}) };
    if (!wanted.metadata.annotations?.[INSECURE_REPOSITORY])
        delete annotations[INSECURE_REPOSITORY];
    delete annotations[REPOSITORY_CHECK];
    const oldTags = Array.isArray(existing?.spec?.tags) ? existing.spec.tags : [];
    const tags = oldTags.filter((t) => !wanted.spec.tags.some((w) => w.name === t?.name));
    for (const tag of wanted.spec.tags) {
        const old = oldTags.find((t) => t?.name === tag.name);
        tags.push(old ? { ...old, from: tag.from, importPolicy: { ...(old.importPolicy ?? {}), ...tag.importPolicy } } : tag);
    }
    return {
        ...existing,
        apiVersion: wanted.apiVersion,
        kind: wanted.kind,
        metadata: { ...existing.metadata, annotations },
        spec: { ...(existing?.spec ?? {}), dockerImageRepository: wanted.spec.dockerImageRepository, tags }
    };
}


/***/ }),

/***/ 5468:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ti: () => (/* binding */ buildConfigJson),
/* harmony export */   "if": () => (/* binding */ jsonAnnotation),
/* harmony export */   k1: () => (/* binding */ pluginErrorMessages),
/* harmony export */   lT: () => (/* binding */ readBuild),
/* harmony export */   v3: () => (/* binding */ outputsFrom)
/* harmony export */ });
/* unused harmony exports registryOf, kindOf */
/** Parse a JSON annotation; undefined when absent or not JSON. */
function jsonAnnotation(annotations, key) {
    const raw = annotations?.[key];
    if (raw === undefined || raw === null || raw === '')
        return undefined;
    if (typeof raw !== 'string')
        return raw;
    try {
        return JSON.parse(raw);
    }
    catch {
        return undefined;
    }
}
/** `host[:port]` of a pull spec (its first path part when it looks like a registry). */
function registryOf(pullSpec) {
    const first = pullSpec.split('/')[0];
    if (pullSpec.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost'))
        return first.toLowerCase();
    return undefined;
}
/** A pull spec's kind from the registry-uri it was pushed to: v1, v2, anything else (crane) is Pulp. */
function kindOf(pullSpec, registries) {
    const registry = registryOf(pullSpec);
    const match = registries.find((r) => r.host.toLowerCase() === registry);
    return match ? match.version : 'pulp';
}
/** "Error in plugin <p>: <msg>" lines (osbs-client's `get_error_message`), in the order atomic-reactor wrote them. */
function pluginErrorMessages(errors) {
    return Object.entries(errors).map(([plugin, message]) => (message ? `Error in plugin ${plugin}: ${message}` : `Error in plugin ${plugin}`));
}
/** The v2 digest recorded for exactly this pull spec (registry, repository and tag). */
function digestFor(pullSpec, digests) {
    const registry = registryOf(pullSpec);
    const rest = registry ? pullSpec.slice(registry.length + 1) : pullSpec;
    const colon = rest.lastIndexOf(':');
    const repository = colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest;
    const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : 'latest';
    const entries = digests.filter((d) => (d.registry ?? '').replace(/^https?:\/\//, '').toLowerCase() === (registry ?? '') && d.repository === repository && (d.tag ?? 'latest') === tag);
    // A schema 1 (`version: v1`) digest is not the image's v2 digest; entries without a version are atomic-reactor's default.
    return (entries.find((d) => d.version === 'v2') ?? entries.find((d) => !d.version))?.digest;
}
/** Read a Build object (as the API returns it) into BuildFacts. */
function readBuild(build, context) {
    const annotations = build?.metadata?.annotations ?? {};
    const labels = build?.metadata?.labels ?? {};
    const status = build?.status ?? {};
    const name = build?.metadata?.name ?? '';
    const repositories = jsonAnnotation(annotations, 'repositories') ?? {};
    const digests = (jsonAnnotation(annotations, 'digests') ?? []).filter((d) => d && typeof d === 'object');
    const pluginsMetadata = jsonAnnotation(annotations, 'plugins-metadata') ?? {};
    const images = [];
    const seen = new Set();
    for (const role of ['primary', 'unique', 'floating'])
        for (const pullSpec of repositories[role] ?? []) {
            if (typeof pullSpec !== 'string' || seen.has(pullSpec))
                continue;
            seen.add(pullSpec);
            images.push({ kind: kindOf(pullSpec, context.registries), pullSpec, role, digest: digestFor(pullSpec, digests) });
        }
    const number = annotations['openshift.io/build.number'] ?? /-(\d+)$/.exec(name)?.[1] ?? '';
    const durationNs = typeof status.duration === 'number' ? status.duration : undefined;
    let durationSeconds = durationNs !== undefined ? Math.round(durationNs / 1e9) : undefined;
    if (durationSeconds === undefined && status.startTimestamp && status.completionTimestamp)
        durationSeconds = Math.round((Date.parse(status.completionTimestamp) - Date.parse(status.startTimestamp)) / 1000);
    return {
        buildConfig: context.buildConfig,
        buildName: name,
        buildNumber: String(number),
        phase: status.phase ?? 'Unknown',
        reason: status.reason,
        message: status.message,
        buildUrl: context.buildUrl,
        startTimestamp: status.startTimestamp,
        completionTimestamp: status.completionTimestamp,
        durationSeconds,
        commitId: annotations['commit_id'] || build?.spec?.revision?.git?.commit || undefined,
        imageId: annotations['image-id'] || undefined,
        baseImage: annotations['base-image-name'] || undefined,
        images,
        digests,
        pluginErrors: pluginsMetadata.errors && typeof pluginsMetadata.errors === 'object' ? pluginsMetadata.errors : {},
        wasAutorebuild: labels['is_autorebuild'] === 'true'
    };
}
/** The step outputs of SPEC §6.6, every one a string. */
function outputsFrom(facts, extra) {
    const pullSpecs = (kind, role) => facts.images.filter((i) => (!kind || i.kind === kind) && (!role || i.role === role)).map((i) => i.pullSpec);
    const primary = pullSpecs(undefined, 'primary');
    const image = primary[0] ?? facts.images[0]?.pullSpec ?? '';
    const imageRef = facts.images.find((i) => i.pullSpec === image);
    return {
        'build-config': facts.buildConfig,
        'build-name': facts.buildName,
        'build-number': facts.buildNumber,
        'build-status': facts.phase,
        'build-url': facts.buildUrl,
        image,
        images: JSON.stringify(facts.images.map((i) => i.pullSpec)),
        'primary-images': primary.join('\n'),
        'unique-images': pullSpecs(undefined, 'unique').join('\n'),
        'v1-images': pullSpecs('v1').join('\n'),
        'v2-images': pullSpecs('v2').join('\n'),
        'pulp-images': pullSpecs('pulp').join('\n'),
        digests: JSON.stringify(facts.digests),
        'image-digest': imageRef?.digest ?? '',
        'image-id': facts.imageId ?? '',
        'commit-id': facts.commitId ?? '',
        'base-image': facts.baseImage ?? '',
        'base-image-stream-tag': extra.baseImageStreamTag ?? '',
        autorebuild: String(extra.autorebuild)
    };
}
/** `build-config-json`: the BuildConfig as the action rendered it (the ATOMIC_REACTOR_PLUGINS value stays a string). */
function buildConfigJson(buildConfig) {
    return JSON.stringify(buildConfig);
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


/***/ }),

/***/ 9189:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ VERSION)
/* harmony export */ });
/** The version of this action (kept equal to package.json's by a test): `client_version` and the User-Agent. */
const VERSION = '0.1.0';


/***/ })

};

//# sourceMappingURL=243.index.js.map