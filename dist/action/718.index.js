export const id = 718;
export const ids = [718,573];
export const modules = {

/***/ 7718:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7096);
/* harmony import */ var _flow_state_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7573);
/* harmony import */ var _reporter_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2935);
/**
 * The post step (`runs.post`): runs after the job's steps, also when the job was cancelled. Its job is to leave
 * no build of this run running in OpenShift: when the main step saved a build name and neither that it finished nor
 * that it left it running on purpose (`wait: false`), the build is cancelled (if it is still running).
 */



async function post() {
    const buildName = _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_flow_state_js__WEBPACK_IMPORTED_MODULE_2__/* .STATE_BUILD_NAME */ .p_);
    if (!buildName) {
        _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz('post: this run started no build; nothing to clean up');
        return;
    }
    if (_toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_flow_state_js__WEBPACK_IMPORTED_MODULE_2__/* .STATE_BUILD_FINISHED */ .WM) === 'true') {
        _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`post: build ${buildName} has finished; nothing to clean up`);
        return;
    }
    if (_toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_flow_state_js__WEBPACK_IMPORTED_MODULE_2__/* .STATE_BUILD_LEFT_RUNNING */ .Ly) === 'true') {
        _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`post: build ${buildName} was started with wait: false; it is left to run`);
        return;
    }
    const reporter = (0,_reporter_js__WEBPACK_IMPORTED_MODULE_1__/* .githubReporter */ .T)();
    try {
        // Loaded only now: a post step with nothing to clean up reads no input and loads no client.
        const [{ readSettings }, { cancelLeftoverBuild, connectCluster }] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(243), __webpack_require__.e(278), __webpack_require__.e(671)]).then(__webpack_require__.bind(__webpack_require__, 8671)), Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(243), __webpack_require__.e(839), __webpack_require__.e(278), __webpack_require__.e(105), __webpack_require__.e(83)]).then(__webpack_require__.bind(__webpack_require__, 2105))]);
        const settings = readSettings({ notice: (message) => _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message) });
        const client = connectCluster(settings, {
            getIdToken: (audience) => _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .getIDToken */ .V9(audience),
            setSecret: (value) => _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(value),
            debug: (message) => _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message)
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
        _toolkit_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Build ${buildName} may still be running in OpenShift: ${error instanceof Error ? error.message : String(error)}`);
    }
}


/***/ }),

/***/ 2935:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  T: () => (/* binding */ githubReporter)
});

// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __webpack_require__(7096);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/action/job-log.ts
/**
 * The job log as the runner reads it, and the fence that keeps a build's log from commanding it.
 *
 * The runner (actions/runner: `ProcessInvoker` reads stdout with .NET's `StreamReader.ReadLine`, which ends a line
 * at `\n`, `\r\n` or a lone `\r`; `OutputManager` hands every line holding `::` or `##[` to
 * `ActionCommandManager.TryProcessCommand`) executes `::cmd::data` at a line's start after blanks and `##[cmd]data`
 * anywhere in a line, with culture-sensitive matching (ICU: an ignorable character between the two colons still
 * matches). No check of a line's text can tell safe from unsafe for every byte a build may write, so the build's
 * lines are never judged: they go out between `::stop-commands::<token>` and `::<token>::`. While commands are
 * stopped the runner executes nothing but the resume token, which is a fresh random UUID for every fence, written
 * nowhere else before it is used.
 *
 * Inside the fence the plugin groups still work: the runner writes a group as the raw line `##[group]name`
 * (`GroupingCommandExtension`), and the log viewer renders that line whether or not commands are processed, so the
 * fence writes those lines itself. Everything else — annotations, masks, outputs, the toolkit's own writes from
 * anywhere in the process — first lowers the fence: while it is up, stdout's `write` is taken over, and any write
 * that is not a build line resumes commands before it goes out. The next build line raises a new fence.
 */


class JobLog {
    stream;
    token;
    /** Text collected by `batch`, written at its end in one write. */
    buffer;
    /** The stream's own write, while it is taken over. */
    own;
    newToken;
    eol;
    constructor(stream = process.stdout, options = {}) {
        this.stream = stream;
        this.newToken = options.newToken ?? external_node_crypto_.randomUUID;
        this.eol = options.eol ?? external_node_os_.EOL;
    }
    /** Commands are stopped (a build line was written since the last command). */
    get fenced() {
        return this.token !== undefined;
    }
    /** A line of untrusted output: it reaches the job log as it is, and the runner reads no command in it. */
    data(line) {
        let text = '';
        if (this.token === undefined) {
            this.token = this.newToken();
            text = `::stop-commands::${this.token}${this.eol}`;
            this.takeOver();
        }
        this.emit(text + line + this.eol);
    }
    /** Opens a group inside the fence (false: not fenced, the caller opens it as a command). */
    startGroup(name) {
        if (this.token === undefined)
            return false;
        this.emit(`##[group]${name.replace(/[\r\n]+/g, ' ')}${this.eol}`);
        return true;
    }
    /** Closes a group inside the fence (false: not fenced). */
    endGroup() {
        if (this.token === undefined)
            return false;
        this.emit(`##[endgroup]${this.eol}`);
        return true;
    }
    /** Commands are read again from here on. */
    resume() {
        const token = this.token;
        if (token === undefined)
            return;
        this.token = undefined;
        this.emit(`::${token}::${this.eol}`);
        this.giveBack();
    }
    /** Everything written while `report` runs (by anyone) goes out in one write. */
    batch(report) {
        if (this.buffer !== undefined)
            return report();
        this.buffer = '';
        this.takeOver();
        try {
            report();
        }
        finally {
            const text = this.buffer;
            this.buffer = undefined;
            this.giveBack();
            if (text)
                this.emit(text);
        }
    }
    emit(text) {
        if (this.buffer !== undefined)
            this.buffer += text;
        else
            (this.own ?? this.stream.write).call(this.stream, text);
    }
    /** Another writer's text: commands resume first, so that the runner reads it. */
    intercept(chunk, rest) {
        this.resume();
        this.emit(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const callback = rest.at(-1);
        if (typeof callback === 'function')
            process.nextTick(callback);
        return true;
    }
    takeOver() {
        if (this.own !== undefined)
            return;
        this.own = this.stream.write;
        this.stream.write = ((chunk, ...rest) => this.intercept(chunk, rest));
    }
    giveBack() {
        if (this.own === undefined || this.token !== undefined || this.buffer !== undefined)
            return;
        this.stream.write = this.own;
        this.own = undefined;
    }
}

;// CONCATENATED MODULE: ./src/action/reporter.ts
/** The Reporter over `@actions/core`: the only place the library's messages meet the GitHub toolkit. */


/**
 * The toolkit formats every line, group and annotation (escaping included); the job log (JobLog) writes what a
 * batch printed in one write, and keeps the build's own lines from commanding the runner. When the process ends
 * with the build's lines fenced, commands are resumed, so that the steps after this one are read as usual.
 */
function githubReporter(log = new JobLog()) {
    process.once('exit', () => log.resume());
    return {
        debug: (message) => toolkit/* debug */.Yz(message),
        info: (message) => toolkit/* info */.pq(message),
        logLine: (text) => log.data(text),
        notice: (message, properties) => toolkit/* notice */.lm(message, properties ?? {}),
        warning: (message, properties) => toolkit/* warning */.$e(message, properties ?? {}),
        error: (message, properties) => toolkit/* error */.z3(message, properties ?? {}),
        startGroup: (name) => {
            if (!log.startGroup(name))
                toolkit/* startGroup */.Oh(name);
        },
        endGroup: () => {
            if (!log.endGroup())
                toolkit/* endGroup */.N4();
        },
        setSecret: (value) => toolkit/* setSecret */.Pq(value),
        setOutput: (name, value) => toolkit/* setOutput */.uH(name, value),
        saveState: (name, value) => toolkit/* saveState */.LZ(name, value),
        batch: (report) => log.batch(report)
    };
}


/***/ }),

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


/***/ })

};

//# sourceMappingURL=718.index.js.map