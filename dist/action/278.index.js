export const id = 278;
export const ids = [278];
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
/* harmony export */   Up: () => (/* binding */ scratchBuildName),
/* harmony export */   ac: () => (/* binding */ isImagePathComponent),
/* harmony export */   cd: () => (/* binding */ repoNameFromGitUri),
/* harmony export */   eL: () => (/* binding */ uniqueTag),
/* harmony export */   lL: () => (/* binding */ imageStreamTagFromImage),
/* harmony export */   p8: () => (/* binding */ imageStreamFromNameLabel),
/* harmony export */   po: () => (/* binding */ isolatedBuildName),
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
function buildConfigNameFromGit(gitUri, branch, limit = NAME_LIMIT) {
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
    for (let i = 0; size < limit && (i < repoChars.length || i < branchChars.length); i++) {
        if (i < repoChars.length) {
            repoPart += repoChars[i];
            size++;
            if (size >= limit)
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
/** A Build's name is at most this long (osbs-client's wrap_name_from_git: what OpenShift allows a build's pod). */
const BUILD_NAME_LIMIT = 64;
/** osbs-client's render_name for a scratch build: `scratch-<salt>-<timestamp>` of the unique tag `<target>-<salt>-<timestamp>`. */
function scratchBuildName(uniqueTag) {
    const [, , salt, timestamp] = /^(.*)-([^-]+)-([^-]+)$/.exec(uniqueTag) ?? ['', '', '', uniqueTag];
    return `scratch-${salt}-${timestamp}`;
}
/**
 * osbs-client's render_name for an isolated build: `wrap_name_from_git('isolated', timestamp, uri, branch)`, that
 * is `isolated-<make_name_from_git within what is left of 64>-<timestamp>`.
 */
function isolatedBuildName(gitUri, branch, uniqueTag) {
    const timestamp = uniqueTag.slice(uniqueTag.lastIndexOf('-') + 1);
    const prefix = 'isolated';
    return [prefix, buildConfigNameFromGit(gitUri, branch, BUILD_NAME_LIMIT - prefix.length - timestamp.length - 2), timestamp].join('-');
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

//# sourceMappingURL=278.index.js.map