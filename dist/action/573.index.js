export const id = 573;
export const ids = [573];
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


/***/ })

};

//# sourceMappingURL=573.index.js.map