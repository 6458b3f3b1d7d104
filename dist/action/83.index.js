export const id = 83;
export const ids = [83];
export const modules = {

/***/ 1524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Hr: () => (/* binding */ analyzeDockerfile),
  J0: () => (/* binding */ imageLabels),
  Up: () => (/* binding */ pick)
});

// EXTERNAL MODULE: ./node_modules/dockerfile-ast/lib/main.js
var main = __webpack_require__(8390);
// EXTERNAL MODULE: ./src/naming/image-reference.ts
var image_reference = __webpack_require__(6081);
;// CONCATENATED MODULE: ./src/checkout/dockerfile-variables.ts
/**
 * The Dockerfile's variables as the builder reads them: `$X`, `${X}` and the `${X:-d}` forms substituted, the
 * names a value refers to, the escape character. Scanned in one pass each (a value comes from the checkout: no
 * regular expression tried from every position of a long run).
 */
/**
 * Substitutes `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+v}` and `${X+v}` as the Dockerfile builder does.
 * `escape` is the Dockerfile's escape character: `<escape>$` is a literal `$`.
 */
function expandVariables(value, lookup, escape = '\\') {
    let out = '';
    const close = closingBraces(value);
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c === escape && value[i + 1] === '$') {
            out += '$';
            i++;
            continue;
        }
        if (c !== '$') {
            out += c;
            continue;
        }
        const braced = bracedAt(value, i, close);
        if (braced) {
            const { name, op, word, end } = braced;
            const v = lookup(name);
            const set = v !== undefined;
            const nonEmpty = set && v !== '';
            if (op === ':-')
                out += nonEmpty ? v : expandVariables(word, lookup, escape);
            else if (op === '-')
                out += set ? v : expandVariables(word, lookup, escape);
            else if (op === ':+')
                out += nonEmpty ? expandVariables(word, lookup, escape) : '';
            else if (op === '+')
                out += set ? expandVariables(word, lookup, escape) : '';
            else
                out += v ?? '';
            i = end - 1;
            continue;
        }
        const nameEnd = nameEndAt(value, i + 1);
        if (nameEnd > i + 1) {
            out += lookup(value.slice(i + 1, nameEnd)) ?? '';
            i = nameEnd - 1;
            continue;
        }
        out += c;
    }
    return out;
}
/*
 * The scanners below replace regular expressions (`/^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/` on
 * `value.slice(i)` at every `$`): on a value of many `${` without a `}` these scanned to the end from every `$`,
 * quadratic (a 200 KB ARG took 11 s). Each one here is linear: the next `}` is looked up once per stretch.
 */
/** End (exclusive) of a variable name `[A-Za-z_][A-Za-z0-9_]*` starting at `i`; `i` when there is none. */
function nameEndAt(text, i) {
    const first = text[i];
    if (first === undefined || !(first === '_' || (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')))
        return i;
    let end = i + 1;
    for (; end < text.length; end++) {
        const c = text[end];
        if (!(c === '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            break;
    }
    return end;
}
/** The index of the first `}` at or after a position, each stretch of the text searched once. */
function closingBraces(text) {
    let searchedFrom = Infinity;
    let found = -1;
    return (from) => {
        if (from >= searchedFrom && (found === -1 || found >= from))
            return found;
        searchedFrom = from;
        found = text.indexOf('}', from);
        return found;
    };
}
/** `${name}`, `${name:-word}`, `${name-word}`, `${name:+word}` or `${name+word}` at `i` (a `$`), or null. */
function bracedAt(text, i, close) {
    if (text[i + 1] !== '{')
        return null;
    const nameEnd = nameEndAt(text, i + 2);
    if (nameEnd === i + 2)
        return null;
    const name = text.slice(i + 2, nameEnd);
    if (text[nameEnd] === '}')
        return { name, word: '', end: nameEnd + 1 };
    const op = text[nameEnd] === ':' ? text.slice(nameEnd, nameEnd + 2) : text.slice(nameEnd, nameEnd + 1);
    if (op !== ':-' && op !== '-' && op !== ':+' && op !== '+')
        return null;
    const wordStart = nameEnd + op.length;
    const end = close(wordStart);
    if (end < 0)
        return null;
    return { name, op, word: text.slice(wordStart, end), end: end + 1 };
}
/**
 * Docker's ProcessWord for one word of an ARG, ENV or LABEL: quote removal and variable substitution in one pass.
 * `'...'` is literal (no `$` expansion), `"..."` expands `$` and lets the escape character escape `"`, `$` and
 * itself, and outside quotes the escape character makes the next character literal.
 */
function processWord(word, lookup, escape = '\\') {
    let out = '';
    let i = 0;
    const close = closingBraces(word);
    const dollar = () => {
        // at '$': the longest ${...} or $NAME, expanded as expandVariables does; a lone $ stays
        const braceEnd = word[i + 1] === '{' ? close(i + 2) : -1;
        const end = braceEnd >= 0 ? braceEnd + 1 : nameEndAt(word, i + 1);
        if (end === i + 1) {
            out += '$';
            i++;
            return;
        }
        out += expandVariables(word.slice(i, end), lookup, escape);
        i = end;
    };
    while (i < word.length) {
        const c = word[i];
        if (c === escape) {
            if (i + 1 < word.length)
                out += word[i + 1];
            i += 2;
        }
        else if (c === "'") {
            const end = word.indexOf("'", i + 1);
            out += end < 0 ? word.slice(i + 1) : word.slice(i + 1, end);
            i = end < 0 ? word.length : end + 1;
        }
        else if (c === '"') {
            i++;
            while (i < word.length && word[i] !== '"') {
                const d = word[i];
                if (d === '$')
                    dollar();
                else if (d === escape && i + 1 < word.length && ['"', '$', escape].includes(word[i + 1])) {
                    out += word[i + 1];
                    i += 2;
                }
                else {
                    out += d;
                    i++;
                }
            }
            i++;
        }
        else if (c === '$')
            dollar();
        else {
            out += c;
            i++;
        }
    }
    return out;
}
/** Names of variables a value refers to. */
function referencedVariables(value) {
    // `/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g`, in one pass
    const names = [];
    const close = closingBraces(value);
    for (let i = value.indexOf('$'); i >= 0; i = value.indexOf('$', i)) {
        const nameEnd = nameEndAt(value, i + 2);
        const end = value[i + 1] === '{' && nameEnd > i + 2 ? close(nameEnd) : -1;
        if (end >= 0) {
            names.push(value.slice(i + 2, nameEnd));
            i = end + 1;
            continue;
        }
        const plainEnd = nameEndAt(value, i + 1);
        if (plainEnd > i + 1)
            names.push(value.slice(i + 1, plainEnd));
        i = Math.max(plainEnd, i + 1);
    }
    return names;
}

;// CONCATENATED MODULE: ./src/checkout/dockerfile.ts
/**
 * The Dockerfile (SPEC §3.2): the base layer BL of the final stage and the labels of the image.
 * Instructions are parsed by `dockerfile-ast` (continuations, comments, parser directives, JSON and shell forms);
 * stage aliases, ARG/ENV substitution and the label rules are ours.
 */



const line1 = (instruction) => instruction.getRange().start.line + 1;
/** The text of a range as written (quotes and escapes kept), line continuations removed as Docker's parser does. */
function rawText(lines, range, escape) {
    if (!range)
        return '';
    const parts = [];
    for (let l = range.start.line; l <= range.end.line; l++) {
        const text = lines[l] ?? '';
        parts.push(text.slice(l === range.start.line ? range.start.character : 0, l === range.end.line ? range.end.character : undefined));
    }
    const esc = escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    return parts.join('\n').replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, 'g'), '');
}
/** A word of the Dockerfile (a range of it), variables substituted by `lookup`. */
function wordAt(source, range, lookup) {
    return processWord(rawText(source.lines, range, source.escape), lookup, source.escape);
}
/**
 * The stages, each with its FROM's image (global ARGs substituted) and its instructions, and the ARGs declared
 * before the first FROM (the only variables FROM can use). A FROM whose image cannot be determined is a problem.
 */
function readStages(instructions, source, file, problems) {
    const globalArgs = new Map();
    const stages = [];
    for (const instruction of instructions) {
        const keyword = instruction.getKeyword();
        if (keyword === 'FROM') {
            const from = instruction;
            const raw = from.getImage() ?? '';
            const missing = referencedVariables(raw).filter((name) => globalArgs.get(name) === undefined);
            const image = expandVariables(raw, (name) => globalArgs.get(name), source.escape);
            if (raw === '') {
                problems.push({ file, line: line1(from), message: `${file}:${line1(from)}: FROM names no image` });
            }
            else if (image.trim() === '' || /^[:@/]|[:@/]$|\/\/|\s/.test(image.trim())) {
                const detail = missing.length
                    ? `${missing.map((n) => (globalArgs.has(n) ? `ARG ${n} has no default` : `${n} is not an ARG declared before the first FROM`)).join('; ')}`
                    : `it expands to ${JSON.stringify(image.trim())}`;
                problems.push({
                    file,
                    line: line1(from),
                    message: `${file}:${line1(from)}: the image of "FROM ${raw}" cannot be determined: ${detail}. Give the ARG a default value before the first FROM`
                });
            }
            const alias = from.getBuildStage() ?? undefined;
            stages.push({ from, line: line1(from), image: image.trim(), alias: alias?.toLowerCase(), instructions: [] });
            continue;
        }
        if (stages.length === 0) {
            if (keyword === 'ARG') {
                for (const property of instruction.getProperties()) {
                    const value = property.getValue();
                    globalArgs.set(property.getName(), value === null ? undefined : wordAt(source, property.getValueRange(), (n) => globalArgs.get(n)));
                }
            }
            continue;
        }
        stages[stages.length - 1].instructions.push(instruction);
    }
    return { globalArgs, stages };
}
/** Follow stage aliases from the final stage back to an external image: the stages from that root to the final one. */
function stageChain(stages) {
    const chain = [];
    let index = stages.length - 1;
    const visited = new Set();
    for (;;) {
        const stage = stages[index];
        chain.unshift(stage);
        visited.add(index);
        const target = stage.image.toLowerCase();
        let parent = -1;
        for (let j = index - 1; j >= 0; j--) {
            if (stages[j].alias === target) {
                parent = j;
                break;
            }
        }
        if (parent < 0 || visited.has(parent))
            break;
        index = parent;
    }
    return chain;
}
/** Labels and ENV along the chain (labels and ENV are inherited from a parent stage; ARGs are not). */
function chainLabels(chain, globalArgs, source) {
    const env = new Map();
    const labels = {};
    for (const stage of chain) {
        const stageArgs = new Map();
        const lookup = (name) => env.get(name) ?? stageArgs.get(name);
        for (const instruction of stage.instructions) {
            const keyword = instruction.getKeyword();
            if (keyword === 'ARG') {
                for (const property of instruction.getProperties()) {
                    const value = property.getValue();
                    const name = property.getName();
                    if (value !== null)
                        stageArgs.set(name, wordAt(source, property.getValueRange(), lookup));
                    else if (globalArgs.get(name) !== undefined)
                        stageArgs.set(name, globalArgs.get(name));
                }
            }
            else if (keyword === 'ENV') {
                for (const property of instruction.getProperties()) {
                    env.set(property.getName(), wordAt(source, property.getValueRange(), lookup));
                }
            }
            else if (keyword === 'LABEL') {
                for (const property of instruction.getProperties()) {
                    labels[wordAt(source, property.getNameRange(), lookup)] = {
                        value: wordAt(source, property.getValueRange(), lookup),
                        line: line1(instruction)
                    };
                }
            }
        }
    }
    return labels;
}
/**
 * Analyses a Dockerfile. `text` is null when the file does not exist; `file` is the path shown in messages and
 * annotations (relative to the checkout).
 */
function analyzeDockerfile(text, file) {
    if (text === null) {
        return {
            problems: [{ input: 'dockerfile', message: `Dockerfile ${file} does not exist in the checkout; set the dockerfile input to its path` }]
        };
    }
    const problems = [];
    const dockerfile = main.DockerfileParser.parse(text);
    const source = { lines: text.split('\n'), escape: dockerfile.getEscapeCharacter() };
    const { globalArgs, stages } = readStages(dockerfile.getInstructions(), source, file, problems);
    if (stages.length === 0) {
        problems.push({ file, line: 1, message: `Dockerfile ${file} has no FROM instruction` });
        return { problems };
    }
    if (problems.length > 0)
        return { problems };
    const chain = stageChain(stages);
    const root = chain[0];
    const final = stages[stages.length - 1];
    const baseImage = root.image.toLowerCase() === 'scratch' ? null : root.image;
    return {
        info: {
            baseImage,
            baseImageLine: root.line,
            finalStageLine: final.line,
            stages: stages.length,
            stageChain: chain.slice(1).map((s) => s.image),
            labels: chainLabels(chain, globalArgs, source)
        },
        problems
    };
}
/** The label under the first of `names` present (atomic-reactor's get_preferred_label: the preferred name, then the old one). */
function pick(labels, names) {
    for (const name of names) {
        const label = labels[name];
        if (label !== undefined)
            return { name, label };
    }
    return undefined;
}
/** The labels SPEC §3.2 requires (`name`/`Name`, `version`/`Version`) and the optional component and release. */
function imageLabels(info, file) {
    const problems = [];
    const name = pick(info.labels, ['name', 'Name']);
    const version = pick(info.labels, ['version', 'Version']);
    for (const [found, label] of [
        [name, 'name'],
        [version, 'version']
    ]) {
        if (!found || found.label.value.trim() === '') {
            problems.push({
                file,
                line: info.finalStageLine,
                message: `Dockerfile ${file}: the required label '${label}' (or '${label[0].toUpperCase()}${label.slice(1)}') is ${found ? 'empty' : 'missing'}; add LABEL ${label}=… to the final stage`
            });
        }
    }
    if (!name || !version || problems.length)
        return { problems };
    const component = pick(info.labels, ['com.redhat.component', 'BZComponent']);
    const release = pick(info.labels, ['release', 'Release']);
    const nameValue = name.label.value.trim();
    if (!nameValue.split('/').every(image_reference/* isPathComponent */.$$)) {
        problems.push({
            file,
            line: name.label.line,
            message: `Dockerfile ${file}: label ${name.name}=${JSON.stringify(nameValue)} is not an image repository name (lowercase letters and digits, with . _ - between them and / between parts)`
        });
        return { problems };
    }
    return {
        labels: {
            name: nameValue,
            nameLine: name.label.line,
            version: version.label.value.trim(),
            component: component?.label.value.trim() || undefined,
            componentLabel: component?.name,
            release: release?.label.value,
            releaseLine: release?.label.line
        },
        problems
    };
}


/***/ }),

/***/ 9996:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  u9: () => (/* binding */ autorebuildForKind),
  Rf: () => (/* binding */ directBuildFor),
  t5: () => (/* binding */ kindTitle)
});

// EXTERNAL MODULE: ./src/naming/names.ts
var names = __webpack_require__(2804);
;// CONCATENATED MODULE: ./src/render/plugins/kinds.ts
/**
 * What a scratch build leaves out (adjust_for_scratch): the Koji plugins and what only makes an archive for Koji
 * (`compress`, `pulp_pull`), and tag_from_config (the template has no `{{TAG_SUFFIXES}}`). The list is
 * osbs-client's; bump_release, koji, sendmail and the rest stay.
 */
const NOT_IN_SCRATCH = {
    prebuild_plugins: ['koji_parent'],
    postbuild_plugins: ['compress', 'pulp_pull', 'koji_upload', 'fetch_worker_metadata', 'compare_components', 'tag_from_config'],
    exit_plugins: ['koji_promote', 'koji_import', 'koji_tag_build', 'remove_worker_metadata']
};
/** tag_by_labels with `unique_tag_only`: atomic-reactor 1.6.26.3 then adds the unique tag and no primary one. */
function uniqueTagOnly(entries) {
    return entries.map((p) => (p.name === 'tag_by_labels' ? { ...p, args: { ...(p.args ?? {}), unique_tag_only: true } } : p));
}
/**
 * The plugins of a build of this kind. A scratch build: without NOT_IN_SCRATCH, tag_by_labels `unique_tag_only`.
 * An isolated build: the release as a label (add_labels_in_dockerfile, as osbs-client's implicit labels), no
 * bump_release (the release is given), and as primary tag only `<version>-<release>`: tag_by_labels
 * `unique_tag_only` and tag_from_config `{primary: ['{version}-{release}']}` (osbs-client's tag suffixes for an
 * isolated build), since 1.6.26.3's tag_by_labels otherwise also pushes `<version>` and `latest`.
 */
function pluginsForKind(plugins, kind, release) {
    if (kind === 'branch')
        return plugins;
    if (kind === 'scratch') {
        const without = (phase) => plugins[phase].filter((p) => !NOT_IN_SCRATCH[phase].includes(p.name));
        return { ...plugins, prebuild_plugins: without('prebuild_plugins'), postbuild_plugins: uniqueTagOnly(without('postbuild_plugins')), exit_plugins: without('exit_plugins') };
    }
    const prebuild = plugins.prebuild_plugins
        .filter((p) => p.name !== 'bump_release')
        .map((p) => (p.name === 'add_labels_in_dockerfile' ? { ...p, args: { ...(p.args ?? {}), labels: { ...(p.args?.labels ?? {}), release } } } : p));
    const isolatedTags = { name: 'tag_from_config', args: { tag_suffixes: { unique: [], primary: ['{version}-{release}'] } } };
    const hasTagFromConfig = plugins.postbuild_plugins.some((p) => p.name === 'tag_from_config');
    const postbuild = [];
    for (const p of uniqueTagOnly(plugins.postbuild_plugins)) {
        postbuild.push(p.name === 'tag_from_config' ? isolatedTags : p);
        if (p.name === 'tag_by_labels' && !hasTagFromConfig)
            postbuild.push(isolatedTags);
    }
    return { ...plugins, prebuild_plugins: prebuild, postbuild_plugins: postbuild };
}

// EXTERNAL MODULE: ./src/render/build-config.ts
var build_config = __webpack_require__(2379);
// EXTERNAL MODULE: ./src/render/source.ts
var source = __webpack_require__(3319);
;// CONCATENATED MODULE: ./src/render/build.ts


function renderDirectBuild(settings, kind, name, from) {
    const { strategy, output } = from.spec;
    return {
        apiVersion: 'build.openshift.io/v1',
        kind: 'Build',
        metadata: {
            name,
            namespace: settings.namespace,
            labels: { ...(0,build_config/* buildConfigLabels */.y)(settings), [kind]: 'true' }
        },
        spec: {
            serviceAccount: 'builder',
            // the source secret too (render/source.ts): a private repository's pull request clones as its branch does
            source: { ...(0,source/* renderSource */.uc)(settings), git: { uri: settings.git.uri, ref: settings.git.commit } },
            revision: { type: 'Git', git: { commit: settings.git.commit } },
            strategy,
            output
        }
    };
}

;// CONCATENATED MODULE: ./src/plan/kind.ts
/**
 * What the kind of build changes in the plan (osbs-client's scratch and isolated builds): no trigger and no
 * ImageStream, the plugins adjusted, and the Build posted directly with its name.
 */



/** Why a Build posted directly has no trigger, as the summary and the dry run say it. */
const NO_TRIGGER = {
    scratch: 'a scratch build has no BuildConfig and no trigger: it is never rebuilt',
    isolated: 'an isolated build has no BuildConfig and no trigger: it is never rebuilt'
};
/** The autorebuild plan of a build of this kind: a Build posted directly never has a trigger (nor a release to bump). */
function autorebuildForKind(kind, planned) {
    if (kind === 'branch')
        return planned;
    return { baseImageStreamTag: planned.baseImageStreamTag, trigger: false, reason: NO_TRIGGER[kind] };
}
/** Words for the kind, in the log, the summary and the dry run. */
function kindTitle(settings) {
    if (settings.kind === 'scratch')
        return settings.pullRequest ? `scratch build of pull request #${settings.pullRequest.number}` : 'scratch build';
    if (settings.kind === 'isolated')
        return `isolated build of release ${settings.release}`;
    return 'branch build';
}
/**
 * The plugins, and the Build posted directly (null for a branch build), from the BuildConfig as rendered: the
 * Build's name is osbs-client's, from the unique tag of its output image.
 */
function directBuildFor(settings, plugins, buildConfig) {
    if (settings.kind === 'branch')
        return { plugins, build: null };
    const adjusted = pluginsForKind(plugins, settings.kind, settings.release);
    const strategy = structuredClone(buildConfig.spec.strategy);
    strategy.customStrategy.env = strategy.customStrategy.env.map((e) => (e.name === 'ATOMIC_REACTOR_PLUGINS' ? { ...e, value: JSON.stringify(adjusted) } : e));
    const outputImage = buildConfig.spec.output.to.name;
    const uniqueTag = outputImage.slice(outputImage.lastIndexOf(':') + 1);
    const name = settings.kind === 'scratch' ? (0,names/* scratchBuildName */.Up)(uniqueTag) : (0,names/* isolatedBuildName */.po)(settings.git.uri, settings.git.branch, uniqueTag);
    return { plugins: adjusted, build: renderDirectBuild(settings, settings.kind, name, { ...buildConfig, spec: { ...buildConfig.spec, strategy } }) };
}


/***/ }),

/***/ 2379:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ renderBuildConfig),
/* harmony export */   y: () => (/* binding */ buildConfigLabels)
/* harmony export */ });
/* harmony import */ var _naming_names_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2804);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3319);


/** Labels the action owns on its BuildConfig (SPEC §4.3). */
function buildConfigLabels(settings) {
    return {
        is_autorebuild: 'false',
        'git-repo-name': (0,_naming_names_js__WEBPACK_IMPORTED_MODULE_0__/* .toLabelValue */ .NN)((0,_naming_names_js__WEBPACK_IMPORTED_MODULE_0__/* .repoNameFromGitUri */ .cd)(settings.git.uri)),
        'git-branch': (0,_naming_names_js__WEBPACK_IMPORTED_MODULE_0__/* .toLabelValue */ .NN)(settings.git.branch)
    };
}
function renderBuildConfig(settings, input) {
    return {
        apiVersion: 'build.openshift.io/v1',
        kind: 'BuildConfig',
        metadata: {
            name: input.name,
            namespace: settings.namespace,
            labels: buildConfigLabels(settings)
        },
        spec: {
            runPolicy: 'Serial',
            source: (0,_source_js__WEBPACK_IMPORTED_MODULE_1__/* .renderSource */ .uc)(settings),
            strategy: {
                type: 'Custom',
                customStrategy: {
                    from: { kind: settings.builder.kind, name: settings.builder.name },
                    exposeDockerSocket: true,
                    env: [{ name: 'ATOMIC_REACTOR_PLUGINS', value: JSON.stringify(input.plugins) }, ...(0,_source_js__WEBPACK_IMPORTED_MODULE_1__/* .sourceCredentialEnv */ .KM)(settings)],
                    secrets: input.secrets.map((s) => ({ secretSource: { name: s.name }, mountPath: s.mountPath }))
                }
            },
            output: { to: { kind: 'DockerImage', name: input.outputImage } },
            triggers: input.triggerImageStreamTag ? [{ type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: input.triggerImageStreamTag } } }] : []
        }
    };
}


/***/ }),

/***/ 2046:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   At: () => (/* binding */ mergeImageStream),
/* harmony export */   Iz: () => (/* binding */ trackedTags),
/* harmony export */   Qc: () => (/* binding */ imageStreamRepository),
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
/**
 * The ImageStream: spec tags imported from `<repository>:<tag>`, re-imported by OpenShift on its schedule. Spec
 * tags only, no `spec.dockerImageRepository`: OpenShift 3.11 imports a stream's whole repository then, and its
 * `imagestreamimport/rest.go` adds every tag it finds there as a spec tag (`ensureSpecTag`), so that each build's
 * unique tag would stay in the stream and be imported again on every import after it.
 */
function renderImageStream(input) {
    return {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStream',
        metadata: { name: input.name, ...(input.insecure ? { annotations: { [INSECURE_REPOSITORY]: 'true' } } : {}) },
        spec: {
            tags: input.tags.map((tag) => ({
                name: tag,
                from: { kind: 'DockerImage', name: `${input.repository}:${tag}` },
                importPolicy: { scheduled: true, insecure: input.insecure }
            }))
        }
    };
}
/** The repository the stream's tags are imported from: `host[:port]/<name label>`; undefined when there is no registry to import from. */
function imageStreamRepository(settings, nameLabel) {
    const registry = importRegistry(settings);
    return registry ? `${registry.host}/${nameLabel}` : undefined;
}
/** The stream of the image with this name label, following `tags`; undefined when there is no registry to import from. */
function imageStreamFor(settings, image, tags) {
    const registry = importRegistry(settings);
    const repository = imageStreamRepository(settings, image.nameLabel);
    if (!registry || !repository)
        return undefined;
    return renderImageStream({ name: image.imageStream, repository, insecure: registry.insecure, tags });
}
/**
 * The spec tags OpenShift 3.11 added to a stream that followed `repository` as a whole (`spec.dockerImageRepository`,
 * as earlier versions of the action wrote it): `from: DockerImage <repository>:<its name>` with the repository's
 * import policy, which is never scheduled (the action's own tags always are).
 */
function addedByRepositoryImport(tag, repository) {
    return tag?.from?.kind === 'DockerImage' && tag.from.name === `${repository}:${tag.name}` && tag.importPolicy?.scheduled !== true;
}
/**
 * The existing stream with this run's insecure annotation and tags (other tags, labels, annotations and fields
 * kept; a tag of the same name keeps its other fields), and without the repository-check annotation, which makes
 * OpenShift import it now (osbs-client's `import_image`). A `spec.dockerImageRepository` naming `repository`
 * (written by earlier versions of the action) is removed, with the spec tags OpenShift's imports of it added.
 */
function mergeImageStream(existing, wanted, repository) {
    const annotations = { ...(existing?.metadata?.annotations ?? {}), ...(wanted.metadata.annotations ?? {}) };
    if (!wanted.metadata.annotations?.[INSECURE_REPOSITORY])
        delete annotations[INSECURE_REPOSITORY];
    delete annotations[REPOSITORY_CHECK];
    const { dockerImageRepository, ...spec } = existing?.spec ?? {};
    const ours = dockerImageRepository === repository;
    const oldTags = (Array.isArray(spec.tags) ? spec.tags : []).filter((t) => !(ours && addedByRepositoryImport(t, repository)));
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
        spec: { ...spec, ...(dockerImageRepository && !ours ? { dockerImageRepository } : {}), tags }
    };
}


/***/ }),

/***/ 3319:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KM: () => (/* binding */ sourceCredentialEnv),
/* harmony export */   XO: () => (/* binding */ SOURCE_SECRET_MOUNT_PATH),
/* harmony export */   uc: () => (/* binding */ renderSource)
/* harmony export */ });
/* unused harmony exports CREDENTIAL_HELPER, SSH_COMMAND, httpOrigin */
/** Where OpenShift's custom strategy mounts the source secret, and the variable that names the folder. */
const SOURCE_SECRET_MOUNT_PATH = '/var/run/secrets/openshift.io/source';
/** The credential helper git runs for `get`: the secret's username and password (other actions: nothing). */
const CREDENTIAL_HELPER = '!f() { test "$1" = get || exit 0; echo "username=$(cat "$SOURCE_SECRET_PATH/username")"; echo "password=$(cat "$SOURCE_SECRET_PATH/password")"; }; f';
/** The ssh command git runs: the secret's key and known hosts only. */
const SSH_COMMAND = 'ssh -i "$SOURCE_SECRET_PATH/ssh-privatekey" -o IdentitiesOnly=yes -o UserKnownHostsFile="$SOURCE_SECRET_PATH/known_hosts" -o StrictHostKeyChecking=yes';
/** `http(s)://host[:port]` of an http(s) git URI, or undefined for any other kind. */
function httpOrigin(uri) {
    if (!/^https?:\/\//i.test(uri))
        return undefined;
    try {
        return new URL(uri).origin;
    }
    catch {
        return undefined;
    }
}
/** The git configuration (as git's environment configuration) that makes the build's clone use the source secret. */
function sourceCredentialEnv(settings) {
    if (!settings.sourceSecret)
        return [];
    const origin = httpOrigin(settings.git.uri);
    const [key, value] = origin ? [`credential.${origin}.helper`, CREDENTIAL_HELPER] : ['core.sshCommand', SSH_COMMAND];
    return [
        { name: 'GIT_CONFIG_COUNT', value: '1' },
        { name: 'GIT_CONFIG_KEY_0', value: key },
        { name: 'GIT_CONFIG_VALUE_0', value }
    ];
}
/** `spec.source`: the repository and branch, and the source secret when there is one. */
function renderSource(settings) {
    return {
        type: 'Git',
        git: { uri: settings.git.uri, ref: settings.git.branch },
        ...(settings.sourceSecret ? { sourceSecret: { name: settings.sourceSecret } } : {})
    };
}


/***/ }),

/***/ 8157:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ti: () => (/* binding */ buildConfigJson),
  "if": () => (/* binding */ jsonAnnotation),
  v3: () => (/* binding */ outputsFrom),
  k1: () => (/* binding */ pluginErrorMessages),
  lT: () => (/* binding */ readBuild)
});

// UNUSED EXPORTS: kindOf, registryOf

// EXTERNAL MODULE: ./src/checkout/dockerfile.ts + 1 modules
var checkout_dockerfile = __webpack_require__(1524);
// EXTERNAL MODULE: ./src/shared/linear-text.ts
var linear_text = __webpack_require__(7018);
;// CONCATENATED MODULE: ./src/report/koji.ts
/**
 * What a finished Build says about its Koji build and its RPMs. atomic-reactor 1.6.26.3's store_metadata_in_osv3
 * writes koji_promote's result as the Build's label `koji-build-id`, the final Dockerfile as the annotation
 * `dockerfile` (with the release bump_release or the isolated build's release put in), and `rpm-packages` as an
 * empty annotation (its all_rpm_packages list goes into the Koji build instead); a reactor that fills that
 * annotation gives the RPM count here, else the flow asks the Koji hub for it (flow/koji-rpms.ts).
 */


/** koji_promote's NVR: com.redhat.component (or BZComponent), version (or Version), release (or Release). */
function nvrOfDockerfile(dockerfile) {
    if (!dockerfile)
        return undefined;
    const labels = (0,checkout_dockerfile/* analyzeDockerfile */.Hr)(dockerfile, 'Dockerfile').info?.labels;
    if (!labels)
        return undefined;
    const parts = [
        ['com.redhat.component', 'BZComponent'],
        ['version', 'Version'],
        ['release', 'Release']
    ].map((names) => (0,checkout_dockerfile/* pick */.Up)(labels, names)?.label.value.trim());
    return parts.every((part) => part) ? parts.join('-') : undefined;
}
function kojiFacts(labels, annotations, kojiWebUrl) {
    const buildId = /^[0-9]+$/.test(labels['koji-build-id'] ?? '') ? labels['koji-build-id'] : undefined;
    const nvr = nvrOfDockerfile(annotations['dockerfile']);
    const rpms = typeof annotations['rpm-packages'] === 'string' ? annotations['rpm-packages'].split('\n').filter((line) => line.trim() !== '') : [];
    return {
        ...(buildId ? { buildId } : {}),
        ...(nvr ? { nvr } : {}),
        ...(buildId && kojiWebUrl ? { buildUrl: `${(0,linear_text/* trimEndChar */.WP)(kojiWebUrl, '/')}/buildinfo?buildID=${buildId}` } : {}),
        ...(rpms.length ? { rpmCount: rpms.length } : {})
    };
}

;// CONCATENATED MODULE: ./src/report/outputs.ts

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
        wasAutorebuild: labels['is_autorebuild'] === 'true',
        kind: labels['scratch'] === 'true' ? 'scratch' : labels['isolated'] === 'true' ? 'isolated' : 'branch',
        koji: kojiFacts(labels, annotations, context.kojiWebUrl)
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
        'build-kind': facts.kind,
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
        autorebuild: String(extra.autorebuild),
        'koji-build-id': facts.koji.buildId ?? '',
        'koji-nvr': facts.koji.nvr ?? '',
        'koji-build-url': facts.koji.buildUrl ?? '',
        'rpm-count': facts.koji.rpmCount !== undefined ? String(facts.koji.rpmCount) : ''
    };
}
/** `build-config-json`: the BuildConfig as the action rendered it (the ATOMIC_REACTOR_PLUGINS value stays a string). */
function buildConfigJson(buildConfig) {
    return JSON.stringify(buildConfig);
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

//# sourceMappingURL=83.index.js.map