export const id = 833;
export const ids = [833];
export const modules = {

/***/ 5833:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(8474);
// EXTERNAL MODULE: ./src/action/toolkit.ts
var toolkit = __webpack_require__(7096);
// EXTERNAL MODULE: ./src/action/inputs.ts + 18 modules
var inputs = __webpack_require__(8671);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(8382);
// EXTERNAL MODULE: ./src/checkout/workspace-files.ts
var workspace_files = __webpack_require__(5031);
// EXTERNAL MODULE: ./src/checkout/dockerfile.ts + 1 modules
var checkout_dockerfile = __webpack_require__(1524);
// EXTERNAL MODULE: ./src/naming/names.ts
var names = __webpack_require__(2804);
// EXTERNAL MODULE: ./src/naming/image-reference.ts
var image_reference = __webpack_require__(6081);
;// CONCATENATED MODULE: ./src/naming/pushed-names.ts

/** The shortest release bump_release can give (`1`), when the Dockerfile sets none. */
const SHORTEST_RELEASE = '1';
/** `<target|none>-<5 digits>-<14 digits>`: the unique tag is this much longer than the target. */
const UNIQUE_TAG_SUFFIX = '-00000-00000000000000';
function pushedNameProblems(settings, labels, component, file) {
    const problems = [];
    const at = (line) => ({ file, ...(line ? { line } : {}) });
    const where = (line) => (line ? `${file}:${line}` : file);
    const versionLine = labels.versionLine ?? labels.nameLine;
    const version = labels.version;
    const versionWhy = (0,image_reference/* tagProblem */.qH)(version);
    if (versionWhy) {
        problems.push({
            ...at(versionLine),
            message: `Dockerfile ${where(versionLine)}: label version=${JSON.stringify(version)} cannot be an image tag (${labels.name}:${version}): ${versionWhy}; ${image_reference/* TAG_RULE */.Kx}`
        });
    }
    else if (labels.release !== undefined) {
        const release = labels.release.trim();
        const releaseWhy = (0,image_reference/* tagProblem */.qH)(`${version}-${release}`);
        if (releaseWhy || release === '') {
            problems.push({
                ...at(labels.releaseLine),
                message: `Dockerfile ${where(labels.releaseLine)}: label release=${JSON.stringify(labels.release)} with version=${JSON.stringify(version)} cannot be an image tag (${labels.name}:${version}-${release}): ${releaseWhy ?? 'the release is empty'}; ${image_reference/* TAG_RULE */.Kx}`
            });
        }
    }
    else if ((0,image_reference/* tagProblem */.qH)(`${version}-${SHORTEST_RELEASE}`)) {
        problems.push({
            ...at(versionLine),
            message: `Dockerfile ${where(versionLine)}: label version=${JSON.stringify(version)} is ${version.length} characters: the tag ${labels.name}:${version}-<release> (the release bump_release adds) would be longer than ${image_reference/* TAG_MAX */.s_}; ${image_reference/* TAG_RULE */.Kx}`
        });
    }
    // Repository names with their registry host: at most 255 characters.
    const hosts = new Set(settings.registries.map((r) => r.host));
    if (settings.sourceRegistry)
        hosts.add(settings.sourceRegistry.host);
    const longestHost = [...hosts].sort((a, b) => b.length - a.length)[0];
    const full = (repository) => (longestHost ? `${longestHost}/${repository}` : repository);
    if (full(labels.name).length > image_reference/* NAME_TOTAL_LENGTH_MAX */.NA) {
        problems.push({
            ...at(labels.nameLine),
            message: `Dockerfile ${where(labels.nameLine)}: label name (${labels.name.length} characters) gives the repository ${full(labels.name).slice(0, 60)}… of ${full(labels.name).length} characters; a repository name with its registry host is at most ${image_reference/* NAME_TOTAL_LENGTH_MAX */.NA}`
        });
    }
    const output = `${settings.user}/${component}`;
    if (full(output).length > image_reference/* NAME_TOTAL_LENGTH_MAX */.NA) {
        problems.push({
            input: 'component',
            message: `The output repository ${full(output).slice(0, 60)}… (user/component with the registry host) is ${full(output).length} characters; at most ${image_reference/* NAME_TOTAL_LENGTH_MAX */.NA}. Shorten the component (input or label) or the user`
        });
    }
    const uniqueWhy = (0,image_reference/* tagProblem */.qH)(`${settings.target ?? 'none'}${UNIQUE_TAG_SUFFIX}`);
    if (uniqueWhy)
        problems.push({ input: 'target', message: `Input target: the unique tag <target>-<5 digits>-<timestamp> cannot be an image tag: ${uniqueWhy}; ${image_reference/* TAG_RULE */.Kx}` });
    return problems;
}

// EXTERNAL MODULE: ./src/render/build-config.ts
var build_config = __webpack_require__(2379);
// EXTERNAL MODULE: ./src/render/image-stream.ts
var image_stream = __webpack_require__(2046);
// EXTERNAL MODULE: ./src/shared/version.ts
var version = __webpack_require__(9189);
;// CONCATENATED MODULE: ./src/render/plugins/koji.ts
/**
 * The Koji plugins as osbs-client 0.43 renders them (render_koji_parent, render_koji, render_koji_promote,
 * render_koji_tag_build, render_bump_release, set_secrets, set_kerberos_auth), with atomic-reactor 1.6.26.3's argument
 * names. Each is undefined when osbs-client removes it.
 */

/** koji_promote's upload block size in osbs-client's prod template. */
const KOJI_PROMOTE_BLOCKSIZE = 10485760;
/** Where the Koji certificates are mounted (koji-certs-secret), mounted on first use; undefined without the input. */
function kojiCertsPath(settings, secrets) {
    return settings.kojiCertsSecret ? secrets.use(settings.kojiCertsSecret, 'koji-certs-secret') : undefined;
}
/** The certificates as `name`, and koji-kerberos-* as koji_principal / koji_keytab (or the names sendmail takes). */
function kojiAuth(settings, secrets, certsArg, krb) {
    const certs = kojiCertsPath(settings, secrets);
    return {
        ...(certs ? { [certsArg]: certs } : {}),
        ...(krb && settings.kojiKerberos ? { [krb[0]]: settings.kojiKerberos.principal, [krb[1]]: settings.kojiKerberos.keytab } : {})
    };
}
/** bump_release: the next release from the Koji hub; without a hub atomic-reactor 1.6.26.3's plugin cannot run. */
function bumpRelease(settings, secrets) {
    if (!settings.kojiHub)
        return undefined;
    return { name: 'bump_release', args: { hub: settings.kojiHub, ...kojiAuth(settings, secrets, 'koji_ssl_certs_dir') } };
}
/** koji_parent (not required, as in the template): waits until the base image's own build is in Koji. */
function kojiParent(settings, secrets) {
    if (!settings.kojiHub)
        return undefined;
    return { name: 'koji_parent', required: false, args: { koji_hub: settings.kojiHub, ...kojiAuth(settings, secrets, 'koji_ssl_certs_dir') } };
}
/** koji: the target's yum repository; only with koji-hub, koji-root and target, and no yum-repourls (which replace it). */
function kojiRepository(settings, secrets) {
    if (settings.yumRepoUrls.length > 0 || !settings.kojiHub || !settings.kojiRoot || !settings.target)
        return undefined;
    return {
        name: 'koji',
        args: { target: settings.target, root: settings.kojiRoot, hub: settings.kojiHub, ...kojiAuth(settings, secrets, 'koji_ssl_certs_dir') }
    };
}
/**
 * Whether the build can log in to Koji: koji_promote and koji_tag_build need it (Koji takes an import or a tag
 * only from a logged-in user; atomic-reactor 1.6.26.3 otherwise fails each build at its end with an AuthError,
 * after the push). osbs-client renders both with any kojihub, its sites always giving koji_certs_secret; here they
 * are left out without a login, with a warning, so that koji-hub alone still numbers releases (bump_release).
 */
function kojiLogin(settings) {
    return settings.kojiCertsSecret !== undefined || settings.kojiKerberos !== undefined;
}
/** koji_promote: the build imported into Koji (a content generator import) with its outputs; `target` tags it too. */
function kojiPromote(settings, secrets, apiArgs) {
    if (!settings.kojiHub || !kojiLogin(settings))
        return undefined;
    return {
        name: 'koji_promote',
        args: {
            kojihub: settings.kojiHub,
            ...apiArgs,
            blocksize: KOJI_PROMOTE_BLOCKSIZE,
            ...(settings.target ? { target: settings.target } : {}),
            ...kojiAuth(settings, secrets, 'koji_ssl_certs', ['koji_principal', 'koji_keytab'])
        }
    };
}
/** koji_tag_build: the Koji build tagged into the target's destination tag; needs koji-hub and target. */
function kojiTagBuild(settings, secrets) {
    if (!settings.kojiHub || !settings.target || !kojiLogin(settings))
        return undefined;
    return {
        name: 'koji_tag_build',
        args: { kojihub: settings.kojiHub, target: settings.target, ...kojiAuth(settings, secrets, 'koji_ssl_certs', ['koji_principal', 'koji_keytab']) }
    };
}
/** What the Koji inputs do not do, said before anything is written. */
function kojiWarnings(settings) {
    const warnings = [];
    if (!settings.kojiHub) {
        for (const [input, set] of [
            ['koji-root', settings.kojiRoot],
            ['koji-certs-secret', settings.kojiCertsSecret],
            ['koji-kerberos-principal', settings.kojiKerberos?.principal],
            ['koji-web-url', settings.kojiWebUrl]
        ])
            if (set)
                warnings.push(`${input}: ${(0,errors.q)(set)} is not used: the Koji plugins are rendered only with koji-hub`);
        return warnings;
    }
    if (!kojiLogin(settings) && settings.kind !== 'scratch') {
        warnings.push(`koji-hub: ${(0,errors.q)(settings.kojiHub)} numbers releases (bump_release) but the build is not imported into Koji: koji_promote${settings.target ? ' and koji_tag_build need' : ' needs'} a Koji login. ` +
            'Set koji-certs-secret (an OpenShift secret with the Koji client certificate: cert, ca, serverca) or koji-kerberos-principal and koji-kerberos-keytab');
    }
    if (settings.kojiRoot && !settings.yumRepoUrls.length && !settings.target) {
        warnings.push(`koji-root: ${(0,errors.q)(settings.kojiRoot)} is not used by the koji plugin, which needs target too (the Koji target whose repository the build uses)`);
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/render/plugins/sendmail.ts

/**
 * The Koji arguments (hub, root, submitter, package owner) only with koji-hub and koji-root, as osbs-client sets
 * them; with them the certificates and Kerberos as osbs-client's set_secrets and set_kerberos_auth (under the names
 * atomic-reactor 1.6.26.3's SendMailPlugin takes: koji_krb_principal, koji_krb_keytab; osbs-client's koji_principal
 * and koji_keytab would be dropped by the runner).
 */
function sendmail(settings, secrets, url) {
    const smtp = settings.smtp;
    if (!smtp)
        return undefined;
    const koji = settings.kojiHub && settings.kojiRoot ? { hub: settings.kojiHub, root: settings.kojiRoot } : undefined;
    // Only with Koji: sendmail logs in to Koji for the submitter and owner, and the certificates are mounted for nothing else.
    const certs = koji ? kojiCertsPath(settings, secrets) : undefined;
    return {
        name: 'sendmail',
        args: {
            send_on: [...smtp.sendOn],
            smtp_host: smtp.host,
            from_address: smtp.from,
            url,
            ...(koji ? { koji_hub: koji.hub, koji_root: koji.root } : {}),
            ...(koji && smtp.toSubmitter ? { to_koji_submitter: true } : {}),
            ...(koji && smtp.toPkgowner ? { to_koji_pkgowner: true } : {}),
            ...(smtp.additionalAddresses.length ? { additional_addresses: [...smtp.additionalAddresses] } : {}),
            ...(smtp.errorAddresses.length ? { error_addresses: [...smtp.errorAddresses] } : {}),
            ...(smtp.emailDomain ? { email_domain: smtp.emailDomain } : {}),
            ...(certs ? { koji_ssl_certs_dir: certs } : {}),
            ...(koji && settings.kojiKerberos ? { koji_krb_principal: settings.kojiKerberos.principal, koji_krb_keytab: settings.kojiKerberos.keytab } : {})
        }
    };
}
/** smtp-to-submitter / smtp-to-pkgowner do nothing without koji-hub and koji-root. */
function sendmailWarnings(settings) {
    const smtp = settings.smtp;
    if (!smtp || (settings.kojiHub && settings.kojiRoot))
        return [];
    const inputs = [...(smtp.toSubmitter ? ['smtp-to-submitter'] : []), ...(smtp.toPkgowner ? ['smtp-to-pkgowner'] : [])];
    return inputs.map((input) => `${input}: true is not used: sendmail finds the Koji submitter and package owner only with koji-hub and koji-root`);
}

;// CONCATENATED MODULE: ./src/render/plugins/exit.ts


/** `synced`: the registry pulp_sync synced from; `apiArgs`: how the plugins reach the OpenShift API. */
function exitPlugins(settings, synced, secrets, apiArgs) {
    const exit = [];
    const promote = kojiPromote(settings, secrets, apiArgs);
    if (promote)
        exit.push(promote);
    if (synced && synced.host !== settings.sourceRegistry?.host) {
        exit.push({
            name: 'delete_from_registry',
            args: {
                registries: {
                    [synced.base]: synced.secret ? { secret: secrets.use(synced.secret, 'registry-secret') } : {}
                }
            }
        });
    }
    exit.push({ name: 'store_metadata_in_osv3', args: apiArgs });
    const tag = kojiTagBuild(settings, secrets);
    if (tag)
        exit.push(tag);
    exit.push({ name: 'remove_built_image' });
    const mail = sendmail(settings, secrets, apiArgs.url);
    if (mail)
        exit.push(mail);
    return exit;
}

;// CONCATENATED MODULE: ./src/render/plugins/postbuild.ts
/**
 * `exported`: a prepublish plugin (squash) exports the image, and compress and pulp_push load it
 * (`load_exported_image`, as osbs-client's template has them); without one they save the built image themselves.
 */
function postbuildPlugins(settings, secrets, exported) {
    const warnings = [];
    const versions = settings.registryApiVersions;
    // BUILT_IMAGE_ID: atomic-reactor's runner puts the built image's id there. tag_from_config without arguments adds
    // the tags of the checkout's `additional-tags` file (beside the Dockerfile), as 1.6.26.3 reads it.
    const postbuild = [...(settings.rpmPackages ? [{ name: 'all_rpm_packages', args: { image_id: 'BUILT_IMAGE_ID' } }] : []), { name: 'tag_by_labels' }, { name: 'tag_from_config' }];
    const registries = {};
    for (const registry of settings.registries) {
        if (!versions.includes(registry.version)) {
            warnings.push(`registry-uri: ${registry.uri} is a ${registry.version} registry but registry-api-versions is ${versions.join(',')}: nothing is pushed to it`);
            continue;
        }
        registries[registry.host] = {
            insecure: registry.insecure,
            ...(registry.secret ? { secret: secrets.use(registry.secret, 'registry-secret') } : {})
        };
    }
    postbuild.push({ name: 'tag_and_push', args: { registries } });
    const pulp = pulpPlugins(settings, secrets, exported);
    postbuild.push(...pulp.plugins);
    postbuild.push({ name: 'compress', args: { ...(exported ? { load_exported_image: true } : {}), method: 'gzip' } });
    // pulp_pull (osbs-client's render_pulp_pull): with a Pulp plugin and koji-hub, the digests Pulp's crane serves, for koji_promote.
    if (pulp.plugins.length > 0 && settings.kojiHub)
        postbuild.push({ name: 'pulp_pull', args: { insecure: true } });
    // No import_image: atomic-reactor 1.6.26.3's plugin takes its tags from the orchestrate_build step's result only,
    // and fails after docker_api ('Could not find primary images in workflow'). The action writes the ImageStream
    // itself after the build (flow/image-stream.ts).
    return { plugins: postbuild, ...(pulp.synced ? { synced: pulp.synced } : {}), problems: pulp.problems, warnings: [...warnings, ...pulp.warnings] };
}
/** pulp_push (v1) and pulp_sync (v2), each with its secret; a missing secret is a problem, an environment no plugin uses a warning. */
function pulpPlugins(settings, secrets, exported) {
    const entries = [];
    const problems = [];
    const warnings = [];
    const versions = settings.registryApiVersions;
    const v1 = versions.includes('v1');
    const v2 = versions.includes('v2');
    const missingSecrets = new Map();
    const missingPulpSecret = (input, plugin) => {
        missingSecrets.set(input, [...(missingSecrets.get(input) ?? []), plugin]);
    };
    const firstV2 = settings.registries.find((r) => r.version === 'v2');
    const pushToPulp = v1 && settings.pulp !== undefined;
    const syncToPulp = v2 && firstV2 !== undefined && settings.pulpSync !== undefined;
    if (pushToPulp && settings.pulp) {
        if (!settings.pulp.secret) {
            missingPulpSecret('pulp-secret', `pulp_push (Pulp environment '${settings.pulp.registryName}')`);
        }
        else {
            entries.push({
                name: 'pulp_push',
                args: {
                    pulp_registry_name: settings.pulp.registryName,
                    pulp_secret_path: secrets.use(settings.pulp.secret, 'pulp-secret'),
                    ...(exported ? { load_exported_image: true } : {}),
                    publish: !syncToPulp
                }
            });
        }
    }
    let synced;
    if (syncToPulp && settings.pulpSync && firstV2) {
        if (!settings.pulpSync.secret) {
            // pulp-sync-secret defaults to pulp-secret: when both are missing, setting pulp-secret fixes both plugins.
            missingPulpSecret(settings.pulp ? 'pulp-secret' : 'pulp-sync-secret', `pulp_sync (Pulp environment '${settings.pulpSync.registryName}')`);
        }
        else {
            const inputOfSecret = settings.pulp?.secret === settings.pulpSync.secret ? 'pulp-secret' : 'pulp-sync-secret';
            entries.push({
                name: 'pulp_sync',
                args: {
                    pulp_registry_name: settings.pulpSync.registryName,
                    docker_registry: firstV2.base,
                    pulp_secret_path: secrets.use(settings.pulpSync.secret, inputOfSecret),
                    ...(firstV2.secret ? { registry_secret_path: secrets.use(firstV2.secret, 'registry-secret') } : {}),
                    publish: true
                }
            });
            synced = firstV2;
        }
    }
    const unused = (input, name) => warnings.push(`${input}: '${name}' is not used: pulp_push needs v1 in registry-api-versions; pulp_sync needs v2 in registry-api-versions and a /v2 registry in registry-uri`);
    if (settings.pulp && !pushToPulp && !(syncToPulp && settings.pulpSync?.registryName === settings.pulp.registryName)) {
        unused('pulp-registry-name', settings.pulp.registryName);
    }
    else if (settings.pulpSync && !syncToPulp && settings.pulpSync.registryName !== settings.pulp?.registryName) {
        unused('pulp-sync-registry-name', settings.pulpSync.registryName);
    }
    for (const [input, plugins] of missingSecrets) {
        problems.push({
            input,
            message: `Input ${input}: (empty) is not valid: ${plugins.join(' and ')} ${plugins.length > 1 ? 'need' : 'needs'} a Pulp secret. ` +
                `Accepted: the name of the OpenShift secret holding the Pulp credentials`
        });
    }
    return { plugins: entries, ...(synced ? { synced } : {}), problems, warnings };
}

;// CONCATENATED MODULE: ./src/render/plugins/yum.ts
/** add_yum_repo_by_url, always rendered as osbs-client does (an empty list adds nothing), and inject_yum_repo after `koji`. */
function addYumRepoByUrl(settings) {
    return { name: 'add_yum_repo_by_url', args: { repourls: [...settings.yumRepoUrls] } };
}
const INJECT_YUM_REPO = { name: 'inject_yum_repo' };

;// CONCATENATED MODULE: ./src/render/plugins/prebuild.ts


/** The plugins that need a base image to inspect: left out for `FROM scratch`, as osbs-client's adjust_for_custom_base_image does. */
function baseImagePlugins(settings, context, secrets) {
    if (context.baseImage === null)
        return { pull: [], parent: [] };
    const pull = {
        name: 'pull_base_image',
        args: { parent_registry: settings.sourceRegistry?.host ?? null, parent_registry_insecure: settings.sourceRegistry?.insecure ?? false }
    };
    const koji = kojiParent(settings, secrets);
    // 1.6.26.3's change_from_in_dockerfile rewrites every FROM line to the base image's id: in a multi-stage
    // Dockerfile that drops the stages' `AS` names and builds every stage on the final base, so it is left out there.
    const from = context.stages === 1 ? [{ name: 'change_from_in_dockerfile' }] : [];
    return { pull: [pull], parent: [...(koji ? [koji] : []), ...from] };
}
/** `apiArgs`: how the plugins reach the OpenShift API (url, verify_ssl, use_auth). */
function prebuildPlugins(settings, context, apiArgs, secrets) {
    const prebuild = [];
    if (context.trigger) {
        prebuild.push({
            name: 'check_and_set_rebuild',
            args: { label_key: 'is_autorebuild', label_value: 'true', ...apiArgs }
        });
        if (context.autorebuildSetInFile)
            prebuild.push({ name: 'stop_autorebuild_if_disabled', args: { config_file: settings.repoConfigFile } });
    }
    const base = baseImagePlugins(settings, context, secrets);
    prebuild.push(...base.pull);
    // atomic-reactor 1.6.26.3's bump_release(hub, target=None, koji_ssl_certs_dir=None) asks a Koji hub for the
    // next release: without a hub it cannot run (the commit is pinned by the BuildRequest's SOURCE_REF instead).
    const bump = bumpRelease(settings, secrets);
    if (bump)
        prebuild.push(bump);
    prebuild.push({ name: 'add_labels_in_dockerfile', args: { labels: {} } });
    prebuild.push(...base.parent);
    // add_help turns the checkout's help.md into a man page when there is one (not required, as in the template).
    prebuild.push({ name: 'add_help', required: false }, { name: 'add_dockerfile' });
    const koji = kojiRepository(settings, secrets);
    if (koji)
        prebuild.push(koji);
    prebuild.push(addYumRepoByUrl(settings), INJECT_YUM_REPO);
    // Not in atomic-reactor 1.6.26.3 (its runner skips a plugin it lacks when it is not required): kept as osbs-client renders it.
    prebuild.push({ name: 'dockerfile_content', required: false }, { name: 'distribution_scope' });
    return prebuild;
}

;// CONCATENATED MODULE: ./src/render/plugins/prepublish.ts
/**
 * squash unless `squash: false`. 1.6.26.3's squash inspects the base image in its constructor for `from_base`
 * (on by default), which fails for `FROM scratch`: there it squashes the whole image (`from_base: false`).
 */
function prepublishPlugins(settings, baseImage) {
    if (!settings.squash)
        return [];
    return [baseImage === null ? { name: 'squash', args: { from_base: false } } : { name: 'squash' }];
}

;// CONCATENATED MODULE: ./src/render/plugins/secrets.ts
/** Where atomic-reactor finds mounted secrets. */
const SECRETS_PATH = '/var/run/secrets/atomic-reactor';
function secretMountPath(name) {
    return `${SECRETS_PATH}/${name}`;
}
/** Secrets in the order they are first needed; each mounts once (the first use names the input). */
class SecretMounts {
    byName = new Map();
    use(name, input) {
        let use = this.byName.get(name);
        if (!use) {
            use = { name, input, mountPath: secretMountPath(name) };
            this.byName.set(name, use);
        }
        return use.mountPath;
    }
    list() {
        return [...this.byName.values()];
    }
}

;// CONCATENATED MODULE: ./src/render/plugins/index.ts









/** Version string written as `client_version`. */
const CLIENT_VERSION = version/* VERSION */.x;
function renderPlugins(settings, context) {
    const secrets = new SecretMounts();
    const verifySsl = !settings.connection.insecureSkipTlsVerify;
    const apiArgs = { url: context.url, verify_ssl: verifySsl, use_auth: true };
    const prebuild = prebuildPlugins(settings, context, apiArgs, secrets);
    const prepublish = prepublishPlugins(settings, context.baseImage);
    const postbuild = postbuildPlugins(settings, secrets, prepublish.length > 0);
    const exit = exitPlugins(settings, postbuild.synced, secrets, apiArgs);
    return {
        plugins: {
            client_version: CLIENT_VERSION,
            prebuild_plugins: prebuild,
            prepublish_plugins: prepublish,
            postbuild_plugins: postbuild.plugins,
            exit_plugins: exit
        },
        secrets: secrets.list(),
        problems: postbuild.problems,
        warnings: [...postbuild.warnings, ...kojiWarnings(settings), ...sendmailWarnings(settings)]
    };
}

// EXTERNAL MODULE: ./src/render/source.ts
var source = __webpack_require__(3319);
;// CONCATENATED MODULE: ./src/checkout/config-parser.ts
/**
 * An INI file read exactly as Python 3's `configparser.ConfigParser()` (default arguments) reads it from a file:
 * the reader atomic-reactor's `stop_autorebuild_if_disabled` uses for `.osbs-repo-config`. Pure: text in, sections,
 * options and errors out, each with the 1-based line Python counts.
 *
 * Written here, not taken from npm, for a measured reason: `ini` strips quotes and inline comments and drops a
 * BOM; `configparser` 0.3.10 and `config-ini-parser` 1.6.1 (the npm packages that say they follow Python) read
 * no continuation lines, take `[^\]]+` as the header and split lines at U+2028; each of them disagrees with
 * Python on the corpus of `__tests__/repo-config-python.test.ts`, which pins this module to Debian's python3.
 *
 * What Python 3.11's `RawConfigParser._read` does, and so this module:
 * - lines end at `\n`, `\r\n` or a lone `\r` (a text file opened with universal newlines), nothing else;
 * - "strip" is Python's `str.strip()`: its whitespace includes U+001C–U+001F and U+0085, and not U+FEFF, so a
 *   byte order mark (kept by `open()` with the UTF-8 locale encoding) is a character of the first line;
 * - a line whose stripped text starts with `#` or `;` is a comment; inline comments are not stripped;
 * - a line indented deeper than the line of the current option continues its value (a blank line inside a
 *   value is kept as an empty line of it, a comment line is skipped); values are joined with `\n`, then
 *   right-stripped;
 * - `[` … the last `]` of a line is a section header (`.+` is greedy), whatever follows that `]`;
 *   `[DEFAULT]` holds the defaults and may appear more than once;
 * - otherwise the first `=` or `:` separates the option name (right-stripped, lower-cased) from the value
 *   (stripped); a line with neither, or with no name before it, is a parsing error (Python goes on and
 *   raises at the end); a line before any section header, a section or an option given twice in one
 *   section are errors that stop Python at once (strict mode). This module notes them and goes on, to report
 *   every problem at once; a file with any error is one Python refuses.
 */
/** Python's `str.isspace()` (and so `\s` in its regular expressions of str). */
const PY_SPACE = new Set([
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
    0x205f, 0x3000
]);
function isPythonSpace(char) {
    return PY_SPACE.has(char.charCodeAt(0));
}
/** Python's `str.strip()` with no argument (all the whitespace characters are single UTF-16 units). */
function pythonStrip(text) {
    let start = 0;
    let end = text.length;
    while (start < end && PY_SPACE.has(text.charCodeAt(start)))
        start++;
    while (end > start && PY_SPACE.has(text.charCodeAt(end - 1)))
        end--;
    return text.slice(start, end);
}
function pythonRstrip(text) {
    let end = text.length;
    while (end > 0 && PY_SPACE.has(text.charCodeAt(end - 1)))
        end--;
    return text.slice(0, end);
}
/** The lines of a text file as Python's universal newlines split them (the last one only when not empty). */
function pythonLines(text) {
    const lines = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 0x0a && c !== 0x0d)
            continue;
        lines.push(text.slice(start, i));
        if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a)
            i++;
        start = i + 1;
    }
    if (start < text.length)
        lines.push(text.slice(start));
    return lines;
}
/** The section header in a stripped line, as `\[(?P<header>.+)\]` matches at its start; null when none. */
function sectionHeader(value) {
    if (!value.startsWith('['))
        return null;
    const close = value.lastIndexOf(']');
    return close >= 2 ? value.slice(1, close) : null;
}
/** Reads `text` as ConfigParser reads a file. */
function readConfig(text) {
    const defaults = new Map();
    const sections = new Map();
    const errors = [];
    /** Lines of section headers and of options, keyed as Python's `elements_added`. */
    const added = new Map();
    let current = null;
    let option = null;
    const values = [];
    let indentLevel = 0;
    pythonLines(text).forEach((raw, index) => {
        const line = index + 1;
        const stripped = pythonStrip(raw);
        const comment = stripped.startsWith('#') || stripped.startsWith(';');
        const value = comment ? '' : stripped;
        if (value === '') {
            // A blank line inside a value is a line of it; a comment line is not.
            if (!comment && current !== null && option !== null)
                option.parts.push('');
            return;
        }
        let indent = 0;
        while (PY_SPACE.has(raw.charCodeAt(indent)))
            indent++;
        if (current !== null && option !== null && indent > indentLevel) {
            option.parts.push(value);
            option.entry.continuations.push({ line, text: value });
            return;
        }
        indentLevel = indent;
        const header = sectionHeader(value);
        if (header !== null) {
            option = null;
            const first = added.get(`[${header}`);
            if (first !== undefined) {
                errors.push({ kind: 'DuplicateSectionError', line, text: raw, section: header, first });
                current = { name: header, options: sections.get(header).options };
            }
            else if (header === 'DEFAULT') {
                current = { name: header, options: defaults };
            }
            else {
                const section = { name: header, line, options: new Map() };
                sections.set(header, section);
                added.set(`[${header}`, line);
                current = section;
            }
            return;
        }
        if (current === null) {
            errors.push({ kind: 'MissingSectionHeaderError', line, text: raw });
            return;
        }
        const delimiter = firstDelimiter(value);
        if (delimiter < 0) {
            // Python keeps the option before it: a deeper line after this one still continues that option.
            errors.push({ kind: 'ParsingError', line, text: raw, section: current.name });
            return;
        }
        const name = pythonRstrip(value.slice(0, delimiter)).toLowerCase();
        if (name === '')
            errors.push({ kind: 'ParsingError', line, text: raw, section: current.name });
        const key = `${current.name}\n${name}`;
        const first = added.get(key);
        if (first !== undefined) {
            errors.push({ kind: 'DuplicateOptionError', line, text: raw, section: current.name, option: name, first });
            option = null;
            return;
        }
        added.set(key, line);
        const entry = { name, value: '', line, continuations: [] };
        current.options.set(name, entry);
        // An option without a name ends the value before it and takes no continuation (Python: `if optname`).
        option = name === '' ? null : { entry, parts: [pythonStrip(value.slice(delimiter + 1))] };
        if (option)
            values.push(option);
    });
    for (const { entry, parts } of values)
        entry.value = pythonRstrip(parts.join('\n'));
    errors.sort((a, b) => a.line - b.line);
    return { defaults, sections, errors };
}
/** Index of the first `=` or `:`, or -1. */
function firstDelimiter(value) {
    for (let i = 0; i < value.length; i++)
        if (value[i] === '=' || value[i] === ':')
            return i;
    return -1;
}

;// CONCATENATED MODULE: ./src/checkout/repo-config.ts

/**
 * `ConfigParser.BOOLEAN_STATES`, compared after `str.lower()`. The reactor's docstring names 0, 1, false and
 * true; its `getboolean` also reads yes/on and no/off, with the same meaning, so the action accepts all eight
 * and never reads one of them otherwise than the reactor does.
 */
const TRUE_VALUES = ['1', 'true', 'yes', 'on'];
const FALSE_VALUES = ['0', 'false', 'no', 'off'];
const BOOLEAN_STATES = new Map([...TRUE_VALUES.map((v) => [v, true]), ...FALSE_VALUES.map((v) => [v, false])]);
/** Structure problems reported one by one; past these, one more says how many are left. */
const MAX_STRUCTURE_PROBLEMS = 10;
const REFUSED = 'atomic-reactor reads a file that Python\'s ConfigParser refuses as "autorebuild disabled"';
/** A line for a message: quoted, at most 80 characters. */
function shown(text) {
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
function structureMessage(error) {
    const text = error.text;
    switch (error.kind) {
        case 'MissingSectionHeaderError':
            if (error.line === 1 && text.startsWith('\uFEFF')) {
                return `the file starts with a byte order mark (U+FEFF), which Python's ConfigParser reads as a character of the first line, so no section header comes first; save the file as UTF-8 without a byte order mark`;
            }
            if (text.trimStart().startsWith('['))
                return `${shown(text.trim())} is not a valid section header; write [autorebuild]`;
            return `${keyOf(text) ?? shown(text.trim())} is outside a section; put it under [autorebuild]`;
        case 'DuplicateSectionError':
            return `section [${error.section}] appears twice (first on line ${error.first}); ConfigParser refuses a repeated section`;
        case 'DuplicateOptionError':
            return `key '${error.option}' appears twice in [${error.section}] (first on line ${error.first}); ConfigParser refuses a repeated key`;
        case 'ParsingError':
            if (/^\s*[=:]/.test(text))
                return `${shown(text.trim())} has no key before '${text.trim()[0]}'`;
            if (text.trimStart().startsWith('['))
                return `${shown(text.trim())} is not a valid section header; write [autorebuild]`;
            return `${shown(text.trim())} is not a "key = value" line`;
    }
}
/** Whether a continuation line looks like the `[autorebuild]` header or an `enabled` key that ConfigParser will not see. */
function looksLikeSetting(text) {
    const lower = text.toLowerCase();
    if (lower.startsWith('[') && lower.includes('autorebuild'))
        return true;
    if (!lower.startsWith('enabled'))
        return false;
    const rest = lower.slice('enabled'.length).trimStart();
    return rest.startsWith('=') || rest.startsWith(':');
}
/** `key 'name'` of a `name = value` line, or undefined. */
function keyOf(text) {
    const delimiter = text.search(/[=:]/);
    const name = delimiter > 0 ? text.slice(0, delimiter).trim().toLowerCase() : '';
    return name === '' ? undefined : `key '${name}'`;
}
/** Why a value ConfigParser holds is not one of BOOLEAN_STATES, in words that say what to write instead. */
function valueHint(value) {
    if (value.includes('\n'))
        return '; the next line is indented, so ConfigParser reads it as a continuation of the value: unindent it';
    if (/^["']/.test(value))
        return '; ConfigParser keeps quotes as part of the value: remove them';
    if (/\s[;#]/.test(value))
        return '; ConfigParser does not strip a comment after a value: put the comment on a line of its own';
    return '';
}
/**
 * Parses the repo config. `text` is null when the file does not exist; a byte order mark must still be in it.
 * `file` is the path shown in messages and annotations. Returns the config, or every problem found.
 */
function parseRepoConfig(text, file) {
    const problems = [];
    const warnings = [];
    const problem = (line, message) => {
        problems.push({ file, line, message: `${file}:${line}: ${message}` });
    };
    if (text === null) {
        return { config: { autorebuild: true, source: `${file} does not exist (default: enabled)` }, problems, warnings };
    }
    const parsed = readConfig(text);
    // Python stops at the first line outside a section; the lines after it that are outside one too say nothing new.
    const firstOutside = parsed.errors.find((e) => e.kind === 'MissingSectionHeaderError');
    const errors = parsed.errors.filter((e) => e.kind !== 'MissingSectionHeaderError' || e === firstOutside);
    for (const error of errors.slice(0, MAX_STRUCTURE_PROBLEMS))
        problem(error.line, `${structureMessage(error)}. ${REFUSED}`);
    if (errors.length > MAX_STRUCTURE_PROBLEMS) {
        const next = errors[MAX_STRUCTURE_PROBLEMS].line;
        problem(next, `and ${errors.length - MAX_STRUCTURE_PROBLEMS} more lines from here on that ConfigParser refuses`);
    }
    for (const section of parsed.sections.values()) {
        if (section.name !== 'autorebuild' && section.name.toLowerCase().includes('autorebuild')) {
            problem(section.line, `section [${section.name}] is not [autorebuild]: ConfigParser takes a section name exactly as written (case and spaces count), so atomic-reactor would not read it; write [autorebuild]`);
        }
    }
    for (const options of [parsed.defaults, ...[...parsed.sections.values()].map((s) => s.options)]) {
        for (const option of options.values()) {
            for (const continued of option.continuations) {
                if (!looksLikeSetting(continued.text))
                    continue;
                problem(continued.line, `${shown(continued.text)} is indented deeper than '${option.name}' (line ${option.line}), so ConfigParser reads it as a continuation of that value, not as a line of its own; unindent it`);
            }
        }
    }
    const section = parsed.sections.get('autorebuild');
    let entry = section?.options.get('enabled');
    if (section) {
        for (const other of section.options.values()) {
            if (other.name !== 'enabled') {
                warnings.push({ file, line: other.line, message: `${file}:${other.line}: key '${other.name}' in [autorebuild] is not used (only 'enabled' is)` });
            }
        }
        entry ??= parsed.defaults.get('enabled');
    }
    else {
        const fallback = parsed.defaults.get('enabled');
        if (fallback) {
            problem(fallback.line, `'enabled' under [DEFAULT] is not read without an [autorebuild] section (ConfigParser finds no section); put it under [autorebuild]`);
        }
    }
    if (!entry) {
        const where = section ? `[autorebuild] has no 'enabled' key` : `${file} has no [autorebuild] section`;
        return { config: { autorebuild: true, source: `${where} (default: enabled)` }, problems, warnings };
    }
    const value = entry.value;
    const state = BOOLEAN_STATES.get(value.toLowerCase());
    if (value.includes('%')) {
        // BasicInterpolation: `%%` and `%(name)s` are rewritten, any other `%` is an error; none of it is needed here.
        problem(entry.line, `[autorebuild] enabled = ${shown(value)}: ConfigParser interpolates '%' in a value; write the value itself, one of ${TRUE_VALUES.join(', ')} or ${FALSE_VALUES.join(', ')}`);
    }
    else if (state === undefined) {
        problem(entry.line, `[autorebuild] enabled = ${shown(value)} is not a boolean${valueHint(value)}. ` +
            `Accepted (any case): ${TRUE_VALUES.join(', ')} (enabled) or ${FALSE_VALUES.join(', ')} (disabled), alone on the line; ${REFUSED}`);
    }
    return {
        config: { autorebuild: state ?? true, source: `${file}:${entry.line}: enabled = ${value}`, line: entry.line },
        problems,
        warnings
    };
}

;// CONCATENATED MODULE: ./src/plan/autorebuild.ts

function planAutorebuild(settings, baseImage, labels, config) {
    const baseImageStreamTag = baseImage === null ? null : (0,names/* imageStreamTagFromImage */.lL)(baseImage);
    let reason;
    let notice;
    if (baseImage === null) {
        reason = `the final stage starts FROM scratch: there is no base image to follow`;
        notice = `No ImageChange trigger: ${reason}`;
    }
    else if (baseImageStreamTag === null) {
        reason = `base image ${baseImage} is pinned by digest and cannot be followed by an ImageChange trigger`;
        notice = `No ImageChange trigger: ${reason}`;
    }
    else if (!config.autorebuild) {
        reason = `autorebuild is disabled (${config.source})`;
        notice = `No ImageChange trigger: ${reason}`;
    }
    else {
        reason = `rebuilt when ImageStreamTag ${baseImageStreamTag} changes (${config.source})`;
    }
    const trigger = baseImageStreamTag !== null && config.autorebuild;
    let problem;
    if (trigger && labels.release !== undefined) {
        problem = {
            file: settings.dockerfile,
            line: labels.releaseLine,
            message: `Dockerfile ${settings.dockerfile}: label release=${JSON.stringify(labels.release)} is set while autorebuild is enabled (${config.source}); ` +
                `an autorebuild must bump the release. Remove the release label, or set enabled = false under [autorebuild] in ${settings.repoConfigFile}`
        };
    }
    return { baseImageStreamTag, trigger, reason, ...(notice ? { notice } : {}), ...(problem ? { problem } : {}) };
}

// EXTERNAL MODULE: ./src/plan/kind.ts + 2 modules
var plan_kind = __webpack_require__(9996);
;// CONCATENATED MODULE: ./src/plan/component.ts

/** The component, and the problem when the one taken from the Dockerfile or the repository cannot be part of an image name. */
function componentOf(settings, info, labels) {
    if (settings.component)
        return { component: settings.component };
    if (labels.component) {
        const component = labels.component;
        if ((0,names/* isImagePathComponent */.ac)(component))
            return { component };
        return {
            component,
            problem: {
                file: settings.dockerfile,
                line: info.finalStageLine,
                message: `Dockerfile ${settings.dockerfile}: label ${labels.componentLabel}=${JSON.stringify(component)} cannot be part of an image name (lowercase letters, digits, and . _ - between them); fix the label or set the component input`
            }
        };
    }
    const repoName = (settings.run.repository.split('/')[1] || (0,names/* repoNameFromGitUri */.cd)(settings.git.uri)).toLowerCase();
    const component = repoName;
    if ((0,names/* isImagePathComponent */.ac)(component))
        return { component };
    return {
        component,
        problem: {
            input: 'component',
            message: `Input component: not set, and neither the Dockerfile (com.redhat.component, BZComponent) nor the repository name ${JSON.stringify(repoName)} gives a valid image name part; set the component input`
        }
    };
}

// EXTERNAL MODULE: ./src/inputs/defaults.ts
var defaults = __webpack_require__(9011);
;// CONCATENATED MODULE: ./src/plan/warnings.ts


/** The API as a build pod sees it, used when neither builder-openshift-url nor openshift-server is known. */
const IN_CLUSTER_API_URL = 'https://kubernetes.default.svc';
/** The OpenShift API URL the plugins inside the build use, and the notice when it is the in-cluster default. */
function pluginApiUrl(settings) {
    const url = settings.builderOpenshiftUrl ?? settings.connection.server;
    if (url)
        return { url };
    return {
        url: IN_CLUSTER_API_URL,
        notice: `builder-openshift-url: no builder-openshift-url or openshift-server is known, so the plugins inside the build use ${IN_CLUSTER_API_URL} (the API as seen from a build pod)`
    };
}
/** A registry URI without a version suffix is a v1 registry (OSBS design): said once per such registry. */
function registryNotices(settings) {
    return settings.registries
        .filter((registry) => !registry.versionExplicit)
        .map((registry) => `registry-uri: ${registry.uri} has no /v1 or /v2 suffix, so it is a v1 registry (OSBS design); add /v2 for a v2 registry`);
}
/** No release label without koji-hub, the deprecated build-json-dir, and an ImageStream that is not written. */
function planWarnings(settings, plan) {
    const { labels, trigger, imageStream } = plan;
    const warnings = [];
    // A scratch build pushes its unique tag only: no tag carries the release.
    if (!settings.kojiHub && labels.release === undefined && settings.kind !== 'scratch') {
        warnings.push({
            file: settings.dockerfile,
            message: `Dockerfile ${settings.dockerfile} has no release label and koji-hub is not set: bump_release, which asks a Koji hub for the next release, is left out, ` +
                `so atomic-reactor 1.6.26.3 tags the image ${labels.name}:${labels.version}-None${trigger ? ' and every autorebuild pushes that tag again' : ''}, ` +
                `and add_dockerfile (which names the Dockerfile it puts in the image by name-version-release) logs an error and adds none. ` +
                `Set koji-hub${trigger ? '' : ', or add a release label'}`
        });
    }
    if (settings.buildJsonDir !== defaults/* DEFAULT_BUILD_JSON_DIR */.k1) {
        warnings.push({
            input: 'build-json-dir',
            message: `Input build-json-dir: ${(0,errors.q)(settings.buildJsonDir)} is not used and is deprecated: it fed import_image, which the action no longer renders (the action updates ImageStream ${imageStream} itself). Remove it from the workflow`
        });
    }
    if (!plan.imageStreamWritten) {
        warnings.push({
            message: `No registry is pushed to and no source-registry-uri is set: ImageStream ${imageStream} is not written, so images built on this one are not rebuilt when it changes. Set registry-uri (and registry-api-versions) or source-registry-uri`
        });
    }
    return warnings;
}

;// CONCATENATED MODULE: ./src/plan/plan.ts
/**
 * A BuildPlan is everything the action will write to the cluster, computed without any network request from the
 * Settings and the checkout (Dockerfile, repo config). `planBuild` produces it (pure: files, clock and randomness are
 * passed in; the objects rendered by render/…); the cluster flow only executes it; dry-run prints it.
 */













/** The Dockerfile's base layer and labels; throws a ProblemsError with every problem so far when it has none. */
function readDockerfile(settings, text, problems) {
    const dockerfile = (0,checkout_dockerfile/* analyzeDockerfile */.Hr)(text, settings.dockerfile);
    problems.push(...dockerfile.problems);
    const info = dockerfile.info;
    const labelResult = info ? (0,checkout_dockerfile/* imageLabels */.J0)(info, settings.dockerfile) : undefined;
    if (labelResult)
        problems.push(...labelResult.problems);
    const labels = labelResult?.labels;
    if (!info || !labels)
        throw new errors/* ProblemsError */.FQ(problems);
    return { info, labels };
}
/** The BuildConfig's name: the input, else derived from git-uri and git-branch (a problem when that is not a DNS-1123 label). */
function buildConfigNameOf(settings, problems) {
    const buildConfigName = settings.buildConfigName ?? (0,names/* buildConfigNameFromGit */.s4)(settings.git.uri, settings.git.branch);
    if (!(0,names/* isDns1123Label */.z3)(buildConfigName)) {
        problems.push({
            input: 'build-config-name',
            message: `The BuildConfig name ${JSON.stringify(buildConfigName)} derived from git-uri and git-branch is not a DNS-1123 label; set build-config-name`
        });
    }
    return buildConfigName;
}
/** spec.output.to.name: user/component:unique-tag, on the first registry unless the image goes through Pulp. */
function outputImageOf(settings, component, options) {
    const tag = (0,names/* uniqueTag */.eL)(settings.target, options.now ?? new Date(), (options.random ?? Math.random)());
    const throughPulp = Boolean(settings.pulp?.secret || settings.pulpSync?.secret);
    const primary = settings.registries[0];
    const repository = `${settings.user}/${component}:${tag}`;
    return primary && !throughPulp ? `${primary.host}/${repository}` : repository;
}
/** Renders everything the action will write. Throws a ProblemsError listing every problem found. */
function planBuild(settings, files, options = {}) {
    const problems = [];
    const notices = [];
    const warnings = [];
    const repoConfig = parseRepoConfig(files.repoConfig, settings.repoConfigFile);
    problems.push(...repoConfig.problems);
    warnings.push(...repoConfig.warnings);
    const { info, labels } = readDockerfile(settings, files.dockerfile, problems);
    const { component, problem: componentProblem } = componentOf(settings, info, labels);
    if (componentProblem)
        problems.push(componentProblem);
    // Every repository and tag to be pushed (SPEC §4.3); an isolated build's release is the one given.
    const versionLine = (info.labels.version ?? info.labels.Version)?.line;
    const pushedLabels = settings.release ? { ...labels, release: settings.release, releaseLine: undefined } : labels;
    problems.push(...pushedNameProblems(settings, { ...pushedLabels, versionLine }, component, settings.dockerfile));
    // Base layer and trigger (SPEC §4.2, §5.4); a Build posted directly has none.
    const baseImage = info.baseImage;
    const autorebuild = (0,plan_kind/* autorebuildForKind */.u9)(settings.kind, planAutorebuild(settings, baseImage, labels, repoConfig.config));
    const { baseImageStreamTag, trigger, reason, notice: triggerNotice, problem: releaseProblem } = autorebuild;
    if (triggerNotice)
        notices.push(triggerNotice);
    if (releaseProblem)
        problems.push(releaseProblem);
    // Names (SPEC §4.1, §4.3).
    const direct = settings.kind !== 'branch';
    const buildConfigName = direct ? '' : buildConfigNameOf(settings, problems);
    const imageStream = (0,names/* imageStreamFromNameLabel */.p8)(labels.name);
    const { url, notice: urlNotice } = pluginApiUrl(settings);
    if (urlNotice)
        notices.push(urlNotice);
    notices.push(...registryNotices(settings));
    const imageStreamObject = direct ? null : ((0,image_stream/* imageStreamFor */.zh)(settings, { imageStream, nameLabel: labels.name }, (0,image_stream/* plannedTags */._6)(labels.version)) ?? null);
    warnings.push(...planWarnings(settings, { labels: pushedLabels, trigger, imageStream, imageStreamWritten: direct || imageStreamObject !== null }));
    const rendered = renderPlugins(settings, { trigger, autorebuildSetInFile: repoConfig.config.line !== undefined, baseImage, stages: info.stages, url });
    problems.push(...rendered.problems);
    warnings.push(...rendered.warnings.map((message) => ({ message })));
    if (problems.length > 0)
        throw new errors/* ProblemsError */.FQ(problems);
    const outputImage = outputImageOf(settings, component, options);
    const buildConfig = (0,build_config/* renderBuildConfig */.v)(settings, {
        name: buildConfigName,
        outputImage,
        triggerImageStreamTag: trigger ? baseImageStreamTag : null,
        plugins: rendered.plugins,
        secrets: rendered.secrets
    });
    const kind = (0,plan_kind/* directBuildFor */.Rf)(settings, rendered.plugins, buildConfig);
    return {
        settings,
        kind: settings.kind,
        build: kind.build,
        buildConfigName,
        baseImage,
        baseImageStreamTag,
        autorebuild: { enabled: trigger, reason },
        labels: {
            name: labels.name,
            version: labels.version,
            component,
            ...(labels.release !== undefined ? { release: labels.release } : {})
        },
        imageStream,
        imageStreamObject,
        outputImage,
        buildConfig,
        plugins: kind.plugins,
        secrets: settings.sourceSecret ? [...rendered.secrets, { name: settings.sourceSecret, input: 'source-secret', mountPath: source/* SOURCE_SECRET_MOUNT_PATH */.XO }] : rendered.secrets,
        notices,
        warnings
    };
}

;// CONCATENATED MODULE: ./src/plan/index.ts
/**
 * From Settings and the checkout's files to a BuildPlan (SPEC §3–§5): `planFromCheckout` reads the files and reports
 * what the plan says before anything is written; `planBuild` (plan.ts) is the pure part.
 */



/**
 * Reads a file of the checkout as strict UTF-8; null when it does not exist. Its real path must be inside the
 * checkout (see workspace-files.ts). `input` names the input that gave its path, `what` the file in messages.
 * `keepByteOrderMark`: the repo config keeps one, as atomic-reactor's Python reads it (repo-config.ts).
 */
function readCheckoutText(workspace, file, input, what, keepByteOrderMark = false) {
    const read = (0,workspace_files/* readCheckoutFile */.$C)(workspace, file, input);
    if (read.kind === 'missing')
        return null;
    if (read.kind === 'refused')
        throw new errors/* ProblemsError */.FQ([{ input, message: read.message }]);
    const decoded = (0,workspace_files/* decodeUtf8 */._6)(read.bytes, { keepByteOrderMark });
    if ('text' in decoded)
        return decoded.text;
    throw new errors/* ProblemsError */.FQ([
        {
            input,
            file,
            line: decoded.line,
            message: `${what} ${file}:${decoded.line}: byte ${decoded.column} of the line is not UTF-8; save the file as UTF-8 (labels and tags are read as UTF-8 text)`
        }
    ]);
}
/** Reads the Dockerfile and the repo config from the checkout, plans, and reports notices and warnings. */
async function planFromCheckout(settings, reporter, options = {}) {
    const dockerfile = readCheckoutText(settings.workspace, settings.dockerfile, 'dockerfile', 'Dockerfile');
    const repoConfig = readCheckoutText(settings.workspace, settings.repoConfigFile, 'repo-config-file', 'Repository config', true);
    const plan = planBuild(settings, { dockerfile, repoConfig }, options);
    for (const notice of plan.notices)
        reporter.notice(notice);
    for (const warning of plan.warnings)
        reporter.warning(warning.message, (0,errors/* annotationOf */.lW)(warning));
    return plan;
}

// EXTERNAL MODULE: ./src/report/outputs.ts + 1 modules
var outputs = __webpack_require__(8157);
;// CONCATENATED MODULE: ./src/report/dry-run.ts
/**
 * dry-run: true (SPEC §2): show what would be written, set the outputs that are known without a build, and
 * write a job summary. No request is made.
 */



/** The outputs a dry run sets. `build-config-json` is the rendered BuildConfig (the plugin JSON stays a string). */
function dryRunOutputs(plan) {
    return {
        'build-config': plan.buildConfigName,
        'build-kind': plan.kind,
        autorebuild: String(plan.autorebuild.enabled),
        'base-image': plan.baseImage ?? '',
        'base-image-stream-tag': plan.baseImageStreamTag ?? '',
        // A scratch or isolated build writes no BuildConfig.
        ...(plan.build ? {} : { 'build-config-json': (0,outputs/* buildConfigJson */.Ti)(plan.buildConfig) })
    };
}
/** What is written: the BuildConfig (a branch build) or the Build posted directly, and its title. */
function written(plan) {
    return plan.build ? { title: `Build ${plan.build.metadata.name} (posted directly)`, object: plan.build } : { title: `BuildConfig ${plan.buildConfigName}`, object: plan.buildConfig };
}
/** Prints the BuildConfig and the decoded plugin list in log groups, and sets the outputs. */
function reportDryRun(plan, reporter) {
    const { settings } = plan;
    reporter.info(`Dry run: nothing is written to ${settings.connection.server ?? 'the cluster'}.`);
    const what = written(plan);
    reporter.info(`Kind: ${(0,plan_kind/* kindTitle */.t5)(settings)}`);
    reporter.info(`${what.title} in namespace ${settings.namespace}`);
    reporter.info(`Base image: ${plan.baseImage ?? 'none (FROM scratch)'}`);
    reporter.info(`Autorebuild: ${plan.autorebuild.enabled ? 'on' : 'off'}, ${plan.autorebuild.reason}`);
    reporter.info(`Output image: ${plan.outputImage}`);
    reporter.startGroup(what.title);
    reporter.info(JSON.stringify(what.object, null, 2));
    reporter.endGroup();
    reporter.startGroup('ATOMIC_REACTOR_PLUGINS (decoded)');
    reporter.info(JSON.stringify(plan.plugins, null, 2));
    reporter.endGroup();
    if (plan.imageStreamObject) {
        reporter.startGroup(`ImageStream ${plan.imageStream} (written after a Complete build)`);
        reporter.info(JSON.stringify(plan.imageStreamObject, null, 2));
        reporter.endGroup();
    }
    for (const [name, value] of Object.entries(dryRunOutputs(plan)))
        reporter.setOutput(name, value);
}
function escapeCell(value) {
    return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
/** The job summary of a dry run, as Markdown. */
function dryRunSummary(plan) {
    const { settings } = plan;
    const what = written(plan);
    const rows = [
        ['Kind', (0,plan_kind/* kindTitle */.t5)(settings)],
        plan.build ? ['Build', `\`${plan.build.metadata.name}\` (no BuildConfig)`] : ['BuildConfig', `\`${plan.buildConfigName}\``],
        ['Namespace', `\`${settings.namespace}\``],
        ['Source', `\`${settings.git.uri}\` branch \`${settings.git.branch}\` commit \`${settings.git.commit}\``],
        ['Base image', plan.baseImage ? `\`${plan.baseImage}\`` : 'none (`FROM scratch`)'],
        ['Base ImageStreamTag', plan.baseImageStreamTag ? `\`${plan.baseImageStreamTag}\`` : '—'],
        ['Autorebuild', `${plan.autorebuild.enabled ? 'on' : 'off'}: ${plan.autorebuild.reason}`],
        ['Image', `\`${plan.outputImage}\``],
        [
            'ImageStream',
            plan.imageStreamObject
                ? `\`${plan.imageStream}\`: ${plan.imageStreamObject.spec.tags.map((t) => `\`${t.name}\``).join(', ')} from \`${(0,image_stream/* imageStreamRepository */.Qc)(plan.settings, plan.labels.name)}\``
                : '— (no registry)'
        ],
        ['Secrets', plan.secrets.length ? plan.secrets.map((s) => `\`${s.name}\``).join(', ') : '—']
    ];
    const phases = ['prebuild_plugins', 'prepublish_plugins', 'postbuild_plugins', 'exit_plugins']
        .map((phase) => `| ${phase} | ${plan.plugins[phase].map((p) => `\`${p.name}\``).join(', ') || '—'} |`)
        .join('\n');
    const lines = [
        `## Dry run: ${what.title}`,
        '',
        'Nothing was written to the cluster.',
        '',
        '| | |',
        '|---|---|',
        ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v)} |`),
        '',
        '| phase | plugins |',
        '|---|---|',
        phases,
        ''
    ];
    for (const notice of plan.notices)
        lines.push(`> [!NOTE]\n> ${notice}\n`);
    for (const warning of plan.warnings)
        lines.push(`> [!WARNING]\n> ${warning.message}\n`);
    lines.push(`<details><summary>${what.title}</summary>`, '', '```json', JSON.stringify(what.object, null, 2), '```', '', '</details>', '');
    lines.push('<details><summary>ATOMIC_REACTOR_PLUGINS (decoded)</summary>', '', '```json', JSON.stringify(plan.plugins, null, 2), '```', '', '</details>', '');
    if (plan.imageStreamObject)
        lines.push(`<details><summary>ImageStream ${plan.imageStream} (written after a Complete build)</summary>`, '', '```json', JSON.stringify(plan.imageStreamObject, null, 2), '```', '', '</details>', '');
    return lines.join('\n');
}

// EXTERNAL MODULE: ./src/action/reporter.ts + 1 modules
var action_reporter = __webpack_require__(2935);
;// CONCATENATED MODULE: ./src/action/failure.ts
/** How a failed step ends: every problem as its own error annotation, then exit code 1. */

function reportFailure(error, reporter) {
    if (error instanceof errors/* ProblemsError */.FQ) {
        for (const problem of error.problems) {
            reporter.error(problem.message, (0,errors/* annotationOf */.lW)(problem));
        }
        if (error.problems.length > 1)
            reporter.info(`${error.problems.length} problems found; nothing was sent to the cluster.`);
    }
    else {
        reporter.error(error instanceof Error ? error.message : String(error));
    }
    process.exitCode = 1;
}

;// CONCATENATED MODULE: ./src/action/main.ts
/**
 * The main step, a thin shell: read the inputs, plan (no network), then either show the plan (dry run) or run
 * the build with the library's `createBuild`, its state set on the commit as it goes. Every failure ends here: each problem becomes one error annotation
 * and the exit code is 1. SIGINT/SIGTERM (the runner cancelling the job) cancel the build before the step ends.
 */







/** Wait while the job log (stdout) is behind, so that a huge build log never piles up in memory. */
async function drainStdout() {
    if (process.stdout.writableNeedDrain)
        await (0,external_node_events_.once)(process.stdout, 'drain');
}
/** The job summary is a report: a runner that cannot take it (no GITHUB_STEP_SUMMARY) gets a warning, not a failed step. */
async function writeSummary(markdown) {
    try {
        await toolkit/* summary */.z.addRaw(markdown).write();
    }
    catch (error) {
        toolkit/* warning */.$e(`The job summary could not be written: ${error instanceof Error ? error.message : String(error)}`);
    }
}
async function run() {
    const reporter = (0,action_reporter/* githubReporter */.T)();
    const cancel = new AbortController();
    const onSignal = (signal) => {
        if (cancel.signal.aborted)
            return;
        toolkit/* info */.pq(`${signal} received`);
        cancel.abort(signal);
    };
    try {
        const settings = (0,inputs.readSettings)(reporter);
        const plan = await planFromCheckout(settings, reporter);
        if (settings.dryRun) {
            reportDryRun(plan, reporter);
            await writeSummary(dryRunSummary(plan));
            return;
        }
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const { commitStatusFor, connectCluster, createBuild } = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(105), __webpack_require__.e(573)]).then(__webpack_require__.bind(__webpack_require__, 2105));
        const client = connectCluster(settings, {
            getIdToken: (audience) => toolkit/* getIDToken */.V9(audience),
            setSecret: (value) => toolkit/* setSecret */.Pq(value),
            debug: (message) => toolkit/* debug */.Yz(message)
        });
        const status = commitStatusFor(settings, plan.buildConfigName, reporter);
        try {
            const result = await createBuild(plan, client, reporter, { signal: cancel.signal, drain: drainStdout, onStarted: (build) => status?.started(build) }).catch(async (error) => {
                await status?.lost(error);
                throw error;
            });
            await status?.ended(result);
            if (result.summary)
                await writeSummary(result.summary + (status?.summary(result.facts) ?? ''));
            if (!result.success) {
                if (result.failureReported)
                    process.exitCode = 1;
                else
                    toolkit/* setFailed */.C1(result.failure ?? `Build ${result.buildName} did not complete`);
            }
        }
        finally {
            await client.close();
        }
    }
    catch (error) {
        reportFailure(error, reporter);
        await writeSummary(`## ❌ OpenShift build not started\n\n${error instanceof Error ? error.message : String(error)}\n`);
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        // After a signal the runner kills the process soon: leave as soon as the build is cancelled.
        if (cancel.signal.aborted)
            process.exit(1);
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


/***/ })

};

//# sourceMappingURL=833.index.js.map