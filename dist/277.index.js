export const id = 277;
export const ids = [277];
export const modules = {

/***/ 2315:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ SERVICE_ACCOUNT_DIR),
/* harmony export */   S: () => (/* binding */ Kubeconfig)
/* harmony export */ });
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3243);
/* harmony import */ var _kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6617);
/**
 * A kubeconfig as data: what `KubeConfig.loadFromString` of `@kubernetes/client-node` reads (js-yaml, then
 * client-node's own `newClusters` / `newContexts` / `newUsers`, which validate and name every field), without
 * loading the client itself: `KubeConfig` lives in a module that evaluates all of client-node's generated API
 * classes, which a run that reads its inputs or sends a few requests never uses.
 */


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
        const obj = ((0,js_yaml__WEBPACK_IMPORTED_MODULE_0__/* .load */ .Hh)(text) ?? {});
        return new Kubeconfig({
            clusters: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_1__/* .newClusters */ .MA)(obj.clusters),
            contexts: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_1__/* .newContexts */ .FE)(obj.contexts),
            users: (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_1__/* .newUsers */ .bw)(obj.users),
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


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ VERSION)
/* harmony export */ });
/** The version of this action (kept equal to package.json's by a test): `client_version` and the User-Agent. */
const VERSION = '0.1.0';


/***/ })

};
