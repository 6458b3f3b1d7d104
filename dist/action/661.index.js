export const id = 661;
export const ids = [661,573];
export const modules = {

/***/ 7573:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ly: () => (/* binding */ STATE_BUILD_LEFT_RUNNING),
/* harmony export */   WM: () => (/* binding */ STATE_BUILD_FINISHED),
/* harmony export */   p_: () => (/* binding */ STATE_BUILD_NAME)
/* harmony export */ });
/** State keys the main step saves for the post step (`core.saveState` / `core.getState`). */
const STATE_BUILD_NAME = 'build-name';
const STATE_BUILD_FINISHED = 'build-finished';
/** `wait: false`: the run started the build and deliberately left it running; the post step leaves it alone. */
const STATE_BUILD_LEFT_RUNNING = 'build-left-running';


/***/ }),

/***/ 5344:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ githubReporter)
/* harmony export */ });
/* unused harmony export inOneWrite */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6257);
/** The Reporter over `@actions/core`: the only place the library's messages meet the GitHub toolkit. */

/**
 * Runs `report`, which reports through the toolkit, and writes what it printed to the job log in one write. The
 * toolkit formats every line, group and annotation (escaping included) and writes each with a `write(2)` of its own;
 * for a build log of a million lines that is most of the CPU. `report` is synchronous, so nothing else can write
 * while stdout's write is borrowed.
 */
function inOneWrite(report) {
    const stdout = process.stdout;
    const write = stdout.write;
    let text = '';
    stdout.write = ((chunk) => {
        text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return true;
    });
    try {
        report();
    }
    finally {
        stdout.write = write;
        if (text)
            stdout.write(text);
    }
}
function githubReporter() {
    return {
        debug: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message),
        info: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(message),
        notice: (message, properties) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .notice */ .lm(message, properties ?? {}),
        warning: (message, properties) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(message, properties ?? {}),
        error: (message, properties) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(message, properties ?? {}),
        startGroup: (name) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .startGroup */ .Oh(name),
        endGroup: () => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .endGroup */ .N4(),
        setSecret: (value) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(value),
        setOutput: (name, value) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(name, value),
        saveState: (name, value) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(name, value),
        batch: inOneWrite
    };
}


/***/ }),

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6257);
/* harmony import */ var _flow_state_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7573);
/* harmony import */ var _github_reporter_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5344);
/**
 * The post step (`runs.post`): runs after the job's steps, also when the job was cancelled. Its job is to leave
 * no build of this run running in OpenShift: when the main step saved a build name and neither that it finished nor
 * that it left it running on purpose (`wait: false`), the build is cancelled (if it is still running).
 */



async function post() {
    const buildName = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_flow_state_js__WEBPACK_IMPORTED_MODULE_2__/* .STATE_BUILD_NAME */ .p_);
    if (!buildName) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz('post: this run started no build; nothing to clean up');
        return;
    }
    if (_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_flow_state_js__WEBPACK_IMPORTED_MODULE_2__/* .STATE_BUILD_FINISHED */ .WM) === 'true') {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`post: build ${buildName} has finished; nothing to clean up`);
        return;
    }
    if (_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_flow_state_js__WEBPACK_IMPORTED_MODULE_2__/* .STATE_BUILD_LEFT_RUNNING */ .Ly) === 'true') {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`post: build ${buildName} was started with wait: false; it is left to run`);
        return;
    }
    const reporter = (0,_github_reporter_js__WEBPACK_IMPORTED_MODULE_1__/* .githubReporter */ .T)();
    try {
        // Loaded only now: a post step with nothing to clean up reads no input and loads no client.
        const [{ readSettings }, { cancelLeftoverBuild, connectCluster }] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(243), __webpack_require__.e(413), __webpack_require__.e(880)]).then(__webpack_require__.bind(__webpack_require__, 3880)), Promise.all(/* import() */[__webpack_require__.e(243), __webpack_require__.e(975), __webpack_require__.e(967)]).then(__webpack_require__.bind(__webpack_require__, 5975))]);
        const settings = readSettings({ notice: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message) });
        const client = connectCluster(settings, {
            getIdToken: (audience) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getIDToken */ .V9(audience),
            setSecret: (value) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(value),
            debug: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message)
        });
        try {
            await cancelLeftoverBuild(client, buildName, reporter);
        }
        finally {
            await client.close();
        }
    }
    catch (error) {
        // Cleanup problems never fail the job; they are said.
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Build ${buildName} may still be running in OpenShift: ${error instanceof Error ? error.message : String(error)}`);
    }
}


/***/ })

};

//# sourceMappingURL=661.index.js.map