/**
 * The bad-input corpus, end to end: the bundled action, spawned as a runner spawns it against the local
 * OpenShift, with one bad value (an input, `.osbs-repo-config`, the Dockerfile, a kubeconfig or a link) per
 * case. Each run must fail with exit code 1 and a message that names the input (or file:line) and says what is
 * accepted, before any request: the local OpenShift sees no request and holds no BuildConfig and no Build.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DEFAULT_INPUTS, errorAnnotations, readRunnerFiles, runnerEnv, runnerFiles, spawnBundle } from '../__fixtures__/e2e/action.js'
import { useLocalOpenShift } from '../__fixtures__/e2e/local-openshift.js'
import type { RequestFault } from '../emulator/src/faults.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const GOOD = 'FROM registry.example.com/fedora:39\nLABEL name="acme/app" version="1.0" com.redhat.component="app"\n'
const dockerfileWith = (labels: string): string => `FROM registry.example.com/fedora:39\nLABEL ${labels}\n`
/** A kubeconfig whose YAML breaks right below its credentials (the case a YAML error quoted them). */
const PASSWORD = 'Sup3rS3cretPassw0rd'
const BROKEN_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: x
  context: {cluster: c, user: u, namespace: n}
current-context: x
users:
- name: u
  user:
    username: "kubeadmin"
    password: "${PASSWORD}"
  : [oops
`
const kubeconfigOf = (user: string, server = 'https://127.0.0.1:1'): string =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: '${server}'}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: n}\ncurrent-context: x\nusers:\n- name: u\n  user:\n${user}\n`

/** A file of the checkout: text, bytes, a symbolic link, a directory, or a file of `size` bytes (sparse). */
type Entry = string | Buffer | { link: string } | { dir: true } | { size: number }

interface Case {
  /** Inputs over the base (the local OpenShift's server, token and namespace, a registry). */
  inputs?: Record<string, string>
  /** Files over the base (a good Dockerfile); null removes one. */
  files?: Record<string, Entry | null>
  /** What the error annotation says. */
  message: RegExp
  /** Values that must not appear anywhere in the output (credentials). */
  hidden?: string[]
  /** Variables over the runner's (GITHUB_OUTPUT, …), made from the case's own folder. */
  env?: (dir: string) => Record<string, string>
}

/** 120 KB (an environment variable holds at most 128 KB) of letters: the user-info check read from every one to the end. */
const LONG = 'a'.repeat(120_000)
// every input at once is checked in process with 1 MB values (linear-input-checks); here as many as the environment holds
const LONG_INPUTS = ['oidc-audience', 'user', 'component', 'target', 'build-config-name', 'pulp-registry-name', 'koji-hub', 'koji-root', 'yum-repourls', 'git-branch', 'build-json-dir']

const outside = mkdtempSync(path.join(os.tmpdir(), 'osbs-outside-'))
writeFileSync(path.join(outside, 'Dockerfile'), GOOD)
writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n')
writeFileSync(path.join(outside, 'kubeconfig'), kubeconfigOf('    token: outside-token-0123456789'))

const CASES: Record<string, Case> = {
  // ---- inputs
  'openshift-server with user info': {
    inputs: { 'openshift-server': 'https://user:pw-in-url-0123@127.0.0.1:1' },
    message: /^Input openshift-server: 'https:\/\/\*\*\*@127\.0\.0\.1:1' is not valid: it has user info .*Accepted: the API server URL as scheme, host and port only/,
    hidden: ['pw-in-url-0123']
  },
  'openshift-server with a path': {
    inputs: { 'openshift-server': 'https://api.example.com:6443/api' },
    message: /^Input openshift-server: .* it has a path \(\/api\).*Accepted: the API server URL as scheme, host and port only/
  },
  'openshift-server with a query': { inputs: { 'openshift-server': 'https://api.example.com:6443?x=1' }, message: /^Input openshift-server: .* it has a query/ },
  'openshift-server with a fragment': { inputs: { 'openshift-server': 'https://api.example.com:6443#top' }, message: /^Input openshift-server: .* it has a fragment/ },
  'openshift-server with another scheme': {
    inputs: { 'openshift-server': 'ftp://api.example.com' },
    message: /^Input openshift-server: 'ftp:\/\/api\.example\.com' is not valid: the scheme ftp: is not http or https/
  },
  'openshift-server without a scheme': {
    inputs: { 'openshift-server': 'api.example.com:6443' },
    message: /^Input openshift-server: 'api\.example\.com:6443' is not valid: it does not start with https:\/\//
  },
  'openshift-server with a space': { inputs: { 'openshift-server': 'https://api example.com' }, message: /^Input openshift-server: .* a space or a control character/ },
  'openshift-server with a bad port': { inputs: { 'openshift-server': 'https://api.example.com:99999' }, message: /^Input openshift-server: .* it is not a URL/ },
  'openshift-token with a line break': {
    inputs: { 'openshift-token': 'sha256~first-half-of-it\nX-Evil: 1' },
    message: /^Input openshift-token: it has a line break at character 24 \(the token is not shown\)\. Accepted: a bearer token on one line/,
    hidden: ['first-half-of-it', 'X-Evil: 1']
  },
  'openshift-token with a space': { inputs: { 'openshift-token': 'sha256~abc def-0123456789' }, message: /^Input openshift-token: it has a space at character 11/, hidden: ['abc def-0123456789'] },
  'namespace in upper case': { inputs: { namespace: 'Builds' }, message: /^Input namespace: 'Builds' is not valid\. Accepted: a DNS-1123 label/ },
  'namespace too long': { inputs: { namespace: 'n'.repeat(64) }, message: /^Input namespace: 'n{64}' is not valid\. Accepted: a DNS-1123 label/ },
  'git-branch with ..': { inputs: { 'git-branch': 'a..b' }, message: /^Input git-branch: 'a\.\.b' is not valid\. Accepted: a git branch name/ },
  'git-branch with a space': { inputs: { 'git-branch': 'my branch' }, message: /^Input git-branch: 'my branch' is not valid/ },
  'git-commit not 40 hex': { inputs: { 'git-commit': 'abc123' }, message: /^Input git-commit: 'abc123' is not valid\. Accepted: a full 40-hex commit id/ },
  'git-uri with a password': {
    inputs: { 'git-uri': 'https://x-access-token:ghp_git-secret-0123@github.com/acme/app.git' },
    message: /^Input git-uri: 'https:\/\/\*\*\*@github\.com\/acme\/app\.git' is not valid\. Accepted: a git URI without a password/,
    hidden: ['ghp_git-secret-0123']
  },
  'git-uri with a space': { inputs: { 'git-uri': 'https://github.com/acme/my app.git' }, message: /^Input git-uri: .* is not valid\. Accepted: a git URI naming a repository/ },
  'dockerfile absolute': { inputs: { dockerfile: '/etc/passwd' }, message: /^Input dockerfile: '\/etc\/passwd' is not valid\. Accepted: a path relative to the checkout/ },
  'dockerfile with ..': { inputs: { dockerfile: '../outside/Dockerfile' }, message: /^Input dockerfile: '\.\.\/outside\/Dockerfile' is not valid\. Accepted: a path relative to the checkout/ },
  'repo-config-file with ..': { inputs: { 'repo-config-file': 'a/../../x' }, message: /^Input repo-config-file: 'a\/\.\.\/\.\.\/x' is not valid/ },
  'user with a space': { inputs: { user: 'Acme Corp' }, message: /^Input user: 'Acme Corp' is not valid\. Accepted: an image namespace/ },
  'component with !': { inputs: { component: 'widget!' }, message: /^Input component: 'widget!' is not valid\. Accepted: an image name part/ },
  'target starting with -': { inputs: { target: '-rc' }, message: /^Input target: '-rc' is not valid\. Accepted: letters, digits/ },
  'target too long': { inputs: { target: 't'.repeat(108) }, message: /^Input target: 't{108}' is not valid\. Accepted: .*at most 107 characters/ },
  'build-image not a reference': {
    inputs: { 'build-image': 'Registry/BuildRoot:latest' },
    message: /^Input build-image: 'Registry\/BuildRoot:latest' is not valid\. Accepted: a docker image reference/
  },
  'build-image with a bad tag': { inputs: { 'build-image': 'buildroot:-latest' }, message: /^Input build-image: 'buildroot:-latest' is not valid/ },
  'build-imagestream without a tag': {
    inputs: { 'build-imagestream': 'buildroot' },
    message: /^Input build-imagestream: 'buildroot' is not valid\. Accepted: an ImageStreamTag name:tag/
  },
  'build-image and build-imagestream': {
    inputs: { 'build-image': 'a:b', 'build-imagestream': 'c:d' },
    message: /^Inputs build-image \('a:b'\) and build-imagestream \('c:d'\) are both set\. Accepted: only one of them/
  },
  'build-config-name with _': { inputs: { 'build-config-name': 'my_app' }, message: /^Input build-config-name: 'my_app' is not valid\. Accepted: a DNS-1123 label/ },
  'registry-uri with ftp': {
    inputs: { 'registry-uri': 'ftp://registry.example.com' },
    message: /^Input registry-uri: 'ftp:\/\/registry\.example\.com' is not valid: only http:\/\/ and https:\/\/ are accepted/
  },
  'registry-uri with an empty item': { inputs: { 'registry-uri': 'a.example.com,,b.example.com' }, message: /^Input registry-uri: .* has an empty item\. Accepted: items separated by commas/ },
  'registry-uri twice the same host': {
    inputs: { 'registry-uri': 'r.example.com/v1,https://r.example.com/v2' },
    message: /^Input registry-uri: 'https:\/\/r\.example\.com\/v2' names host r\.example\.com again/
  },
  'registry-uri /v3': { inputs: { 'registry-uri': 'r.example.com/v3' }, message: /^Input registry-uri: 'r\.example\.com\/v3' is not valid: unknown registry API version \/v3/ },
  'registry-uri with user info': {
    inputs: { 'registry-uri': 'https://u:registry-pw-0123@r.example.com/v2' },
    message: /^Input registry-uri: 'https:\/\/\*\*\*@r\.example\.com\/v2' is not valid: expected \[http\[s\]:\/\/\]host/,
    hidden: ['registry-pw-0123']
  },
  'registry-secret more than registries': { inputs: { 'registry-secret': 'a,b' }, message: /^Input registry-secret: 2 secrets \(a, b\) for 1 registry in registry-uri/ },
  'registry-secret not a name': { inputs: { 'registry-secret': 'Push_Secret' }, message: /^Input registry-secret: 'Push_Secret' is not valid\. Accepted: OpenShift secret names/ },
  'registry-api-versions v3': { inputs: { 'registry-api-versions': 'v2,v3' }, message: /^Input registry-api-versions: 'v3' is not valid\. Accepted: v1, v2, or both/ },
  'source-registry-uri without host': { inputs: { 'source-registry-uri': 'https://' }, message: /^Input source-registry-uri: 'https:\/\/' is not valid/ },
  'pulp-registry-name with a space': { inputs: { 'pulp-registry-name': 'my crane' }, message: /^Input pulp-registry-name: 'my crane' is not valid\. Accepted: a Pulp environment name/ },
  'pulp-secret without a Pulp environment': { inputs: { 'pulp-secret': 'pulp' }, message: /^Input pulp-secret: 'pulp' is set but no pulp-registry-name or pulp-sync-registry-name/ },
  'pulp-sync-secret not a name': { inputs: { 'pulp-sync-registry-name': 'crane', 'pulp-sync-secret': 'Bad Secret' }, message: /^Input pulp-sync-secret: 'Bad Secret' is not valid/ },
  'builder-openshift-url with user info': {
    inputs: { 'builder-openshift-url': 'https://admin:builder-pw-0123@api.example.com' },
    message: /^Input builder-openshift-url: 'https:\/\/\*\*\*@api\.example\.com' is not valid: it has user info/,
    hidden: ['builder-pw-0123']
  },
  'builder-openshift-url not a URL': {
    inputs: { 'builder-openshift-url': 'api.example.com' },
    message: /^Input builder-openshift-url: 'api\.example\.com' is not valid: it does not start with https:\/\//
  },
  'koji-hub with a password': {
    inputs: { 'koji-hub': 'https://k:koji-pw-0123@koji.example.com/kojihub' },
    message: /^Input koji-hub: 'https:\/\/\*\*\*@koji\.example\.com\/kojihub' is not valid\. Accepted: an http\(s\) URL of the Koji hub, without user:password@/,
    hidden: ['koji-pw-0123']
  },
  'koji-hub not a URL': { inputs: { 'koji-hub': 'koji.example.com' }, message: /^Input koji-hub: 'koji\.example\.com' is not valid/ },
  'koji-root with a password': {
    inputs: { 'koji-root': 'https://k:kojiroot-pw-0123@koji.example.com/kojifiles' },
    message: /^Input koji-root: 'https:\/\/\*\*\*@koji\.example\.com\/kojifiles' is not valid\. Accepted: an http\(s\) URL of Koji's top directory/,
    hidden: ['kojiroot-pw-0123']
  },
  'a yum repository with a password': {
    inputs: { 'yum-repourls': 'https://repos.example.com/a.repo\nhttps://u:repo-pw-0123@repos.example.com/b.repo' },
    message: /^Input yum-repourls: 'https:\/\/\*\*\*@repos\.example\.com\/b\.repo' is not valid\. Accepted: http\(s\) URLs of \.repo files/,
    hidden: ['repo-pw-0123']
  },
  'smtp-host without smtp-from': {
    inputs: { 'smtp-host': 'smtp.example.com' },
    message: /^Input smtp-from: \(empty\) is not valid while smtp-host is set: sendmail needs both/
  },
  'smtp-send-on an unknown state': {
    inputs: { 'smtp-host': 'smtp.example.com', 'smtp-from': 'osbs@example.com', 'smtp-send-on': 'manual_fail,always' },
    message: /^Input smtp-send-on: 'always' is not valid\. Accepted: build states among auto_canceled, auto_fail, auto_success, manual_canceled, manual_fail, manual_success/
  },
  'squash yes': { inputs: { squash: 'yes' }, message: /^Input squash: 'yes' is not valid\. Accepted: true or false/ },
  'on-running-build restart': { inputs: { 'on-running-build': 'restart' }, message: /^Input on-running-build: 'restart' is not valid\. Accepted: wait, fail or cancel/ },
  'follow-logs yes': { inputs: { 'follow-logs': 'yes' }, message: /^Input follow-logs: 'yes' is not valid\. Accepted: true or false/ },
  'wait maybe': { inputs: { wait: 'maybe' }, message: /^Input wait: 'maybe' is not valid\. Accepted: true or false/ },
  'timeout-minutes 0': { inputs: { 'timeout-minutes': '0' }, message: /^Input timeout-minutes: '0' is not valid\. Accepted: a whole number of minutes from 1 to 35791/ },
  'timeout-minutes 1.5': { inputs: { 'timeout-minutes': '1.5' }, message: /^Input timeout-minutes: '1\.5' is not valid/ },
  'dry-run perhaps': { inputs: { 'dry-run': 'perhaps' }, message: /^Input dry-run: 'perhaps' is not valid\. Accepted: true or false/ },
  'insecure-skip-tls-verify with a CA': {
    inputs: { 'insecure-skip-tls-verify': 'true', 'certificate-authority': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' },
    message: /^Inputs insecure-skip-tls-verify and certificate-authority: both set/
  },
  'certificate-authority file missing': {
    inputs: { 'certificate-authority': 'ca.pem' },
    message: /^Input certificate-authority: 'ca\.pem' is not valid\. Accepted: PEM text, or the path of an existing PEM file/
  },
  'certificate-authority link outside': {
    inputs: { 'certificate-authority': 'ca.pem' },
    files: { 'ca.pem': { link: path.join(outside, 'passwd') } },
    message: /^Input certificate-authority: 'ca\.pem' leads outside the checkout through a symbolic link/,
    hidden: ['root:x:0:0']
  },
  'oidc-audience with a token': { inputs: { 'oidc-audience': 'openshift' }, message: /^Inputs openshift-token and oidc-audience \('openshift'\) are both set/ },
  'no server anywhere': { inputs: { 'openshift-server': '' }, message: /^Input openshift-server: \(empty\) is not valid: no kubeconfig names a server either/ },

  // ---- long values: refused in linear time (issue 18: 26.6 s for one 120 KB value; these ten took minutes)
  'ten inputs of 120 KB each': {
    inputs: { 'openshift-server': LONG, ...Object.fromEntries(LONG_INPUTS.map((name) => [name, LONG])) },
    message: /^Input openshift-server: 'a{120000}' is not valid: it does not start with https:\/\//
  },

  // ---- the runner's files (issue 18: found only after the image was pushed, without the variable's name)
  'GITHUB_OUTPUT in a missing folder': {
    env: (dir) => ({ GITHUB_OUTPUT: path.join(dir, 'gone', 'output') }),
    message: /^GITHUB_OUTPUT is '.*\/gone\/output', which cannot be written to: its folder does not exist \(ENOENT\)/
  },
  'GITHUB_STATE in a missing folder': {
    env: (dir) => ({ GITHUB_STATE: path.join(dir, 'gone', 'state') }),
    message: /^GITHUB_STATE is '.*\/gone\/state', which cannot be written to: its folder does not exist \(ENOENT\)/
  },
  'GITHUB_OUTPUT a directory': {
    env: (dir) => ({ GITHUB_OUTPUT: dir }),
    message: /^GITHUB_OUTPUT is '.*', which cannot be written to: it is a directory \(EISDIR\)/
  },
  'GITHUB_STEP_SUMMARY a directory': {
    env: (dir) => ({ GITHUB_STEP_SUMMARY: dir }),
    message: /^GITHUB_STEP_SUMMARY is '.*', which cannot be written to: it is a directory \(EISDIR\)/
  },

  // ---- .osbs-repo-config
  'repo config: enabled = "true" (ConfigParser keeps the quotes)': {
    files: { '.osbs-repo-config': '[autorebuild]\nenabled = "true"\n' },
    message: /^\.osbs-repo-config:2: \[autorebuild\] enabled = "\\"true\\"" is not a boolean; ConfigParser keeps quotes as part of the value/
  },
  'repo config: enabled = true ; comment': {
    files: { '.osbs-repo-config': '[autorebuild]\nenabled = true ; comment\n' },
    message: /^\.osbs-repo-config:2: .* is not a boolean; ConfigParser does not strip a comment after a value/
  },
  'repo config: enabled = true # comment': {
    files: { '.osbs-repo-config': '[autorebuild]\nenabled = true # comment\n' },
    message: /^\.osbs-repo-config:2: .* is not a boolean; ConfigParser does not strip a comment after a value/
  },
  'repo config: a byte order mark before [autorebuild]': {
    files: { '.osbs-repo-config': '\ufeff[autorebuild]\nenabled = true\n' },
    message: /^\.osbs-repo-config:1: the file starts with a byte order mark \(U\+FEFF\)/
  },
  'repo config: [ autorebuild ]': {
    files: { '.osbs-repo-config': '[ autorebuild ]\nenabled = true\n' },
    message: /^\.osbs-repo-config:1: section \[ autorebuild \] is not \[autorebuild\]: ConfigParser takes a section name exactly as written/
  },
  'repo config: 12 MB': {
    files: { '.osbs-repo-config': { size: 12 * 1024 * 1024 } },
    message: /^Input repo-config-file: '\.osbs-repo-config' is 12 MiB \(12582912 bytes\), over the limit of 8 MiB \(8388608 bytes\)/
  },
  'repo config: enabled = maybe': {
    files: { '.osbs-repo-config': '[autorebuild]\nenabled = maybe\n' },
    message: /^\.osbs-repo-config:2: \[autorebuild\] enabled = "maybe" is not a boolean\. Accepted/
  },
  'repo config: a key outside a section': { files: { '.osbs-repo-config': 'enabled = true\n' }, message: /^\.osbs-repo-config:1: key 'enabled' is outside a section; put it under \[autorebuild\]/ },
  'repo config: a key twice': {
    files: { '.osbs-repo-config': '[autorebuild]\nenabled = true\nenabled = false\n' },
    message: /^\.osbs-repo-config:3: key 'enabled' appears twice in \[autorebuild\] \(first on line 2\)/
  },
  'repo config: a broken header': {
    files: { '.osbs-repo-config': '[autorebuild\nenabled = true\n' },
    message: /^\.osbs-repo-config:1: "\[autorebuild" is not a valid section header; write \[autorebuild\]/
  },
  'repo config: a link to /etc/passwd': {
    files: { '.osbs-repo-config': { link: '/etc/passwd' } },
    message: /^Input repo-config-file: '\.osbs-repo-config' leads outside the checkout through a symbolic link \(to \/etc\/passwd\).*Accepted: a file inside the checkout/,
    hidden: ['root:']
  },
  'repo config: not UTF-8': {
    files: { '.osbs-repo-config': Buffer.from('[autorebuild]\nenabled = tr\xfce\n', 'latin1') },
    message: /^Repository config \.osbs-repo-config:2: byte 13 of the line is not UTF-8/
  },
  'repo config: a directory': { files: { '.osbs-repo-config': { dir: true } }, message: /^Input repo-config-file: '\.osbs-repo-config' is a directory in the checkout\. Accepted: the path of a file/ },

  // ---- Dockerfiles
  'Dockerfile missing': { files: { Dockerfile: null }, message: /^Dockerfile Dockerfile does not exist in the checkout; set the dockerfile input/ },
  'Dockerfile without FROM': { files: { Dockerfile: 'LABEL name="acme/app" version="1"\n' }, message: /^Dockerfile Dockerfile has no FROM instruction/ },
  'Dockerfile without a name label': { files: { Dockerfile: dockerfileWith('version="1.0"') }, message: /^Dockerfile Dockerfile: the required label 'name' \(or 'Name'\) is missing/ },
  'Dockerfile without a version label': { files: { Dockerfile: dockerfileWith('name="acme/app"') }, message: /^Dockerfile Dockerfile: the required label 'version' \(or 'Version'\) is missing/ },
  'version with a space': {
    files: { Dockerfile: dockerfileWith('name="acme/app" version="1.0 beta"') },
    message: /^Dockerfile Dockerfile:2: label version="1\.0 beta" cannot be an image tag \(acme\/app:1\.0 beta\): it contains a space; a tag is 1 to 128 characters/
  },
  'version with a slash': {
    files: { Dockerfile: dockerfileWith('name="acme/app" version="1/0"') },
    message: /^Dockerfile Dockerfile:2: label version="1\/0" cannot be an image tag .*it contains "\/"/
  },
  'version of 200 characters': {
    files: { Dockerfile: dockerfileWith(`name="acme/app" version="${'9'.repeat(200)}"`) },
    message: /^Dockerfile Dockerfile:2: label version="9{200}" cannot be an image tag .*it is 200 characters long \(at most 128\)/
  },
  'version of 127 characters (no room for the release)': {
    files: { Dockerfile: dockerfileWith(`name="acme/app" version="${'9'.repeat(127)}"`) },
    message: /^Dockerfile Dockerfile:2: label version="9{127}" is 127 characters: the tag acme\/app:9{127}-<release> .* would be longer than 128/
  },
  'version starting with .': {
    files: { Dockerfile: dockerfileWith('name="acme/app" version=".1"') },
    message: /^Dockerfile Dockerfile:2: label version="\.1" cannot be an image tag .*it starts with "\."/
  },
  'version not UTF-8': {
    files: { Dockerfile: Buffer.from('FROM fedora:39\nLABEL name="acme/app" version="1.0\xe9"\n', 'latin1') },
    message: /^Dockerfile Dockerfile:2: byte 35 of the line is not UTF-8; save the file as UTF-8/
  },
  'version with U+FFFD': {
    files: { Dockerfile: dockerfileWith('name="acme/app" version="1.0\ufffd"') },
    message: /^Dockerfile Dockerfile:2: label version="1\.0\ufffd" cannot be an image tag .*it contains "\ufffd"/
  },
  'release with a space': {
    files: { Dockerfile: dockerfileWith('name="acme/app" version="1.0" release="1 2"'), '.osbs-repo-config': '[autorebuild]\nenabled = false\n' },
    message: /^Dockerfile Dockerfile:2: label release="1 2" with version="1\.0" cannot be an image tag \(acme\/app:1\.0-1 2\): it contains a space/
  },
  'name label in upper case': { files: { Dockerfile: dockerfileWith('name="Acme/App" version="1.0"') }, message: /^Dockerfile Dockerfile: label name="Acme\/App" is not an image repository name/ },
  'name label too long with the registry': {
    files: { Dockerfile: dockerfileWith(`name="acme/${'a'.repeat(240)}" version="1.0"`) },
    message: /^Dockerfile Dockerfile:2: label name \(245 characters\) gives the repository .* of 266 characters; a repository name with its registry host is at most 255/
  },
  'release with autorebuild': {
    files: { Dockerfile: dockerfileWith('name="acme/app" version="1.0" release="3"') },
    message: /^Dockerfile Dockerfile: label release="3" is set while autorebuild is enabled/
  },
  'FROM an undeclared ARG': {
    files: { Dockerfile: 'FROM ${BASE}\nLABEL name="acme/app" version="1.0"\n' },
    message: /^Dockerfile:1: the image of "FROM \$\{BASE\}" cannot be determined: BASE is not an ARG declared before the first FROM/
  },
  'Dockerfile a link outside': {
    files: { Dockerfile: { link: path.join(outside, 'Dockerfile') } },
    message: /^Input dockerfile: 'Dockerfile' leads outside the checkout through a symbolic link \(to .*Dockerfile\); the action reads no file outside it/
  },
  'dockerfile input a link to /etc/passwd': {
    inputs: { dockerfile: 'Dockerfile.link' },
    files: { 'Dockerfile.link': { link: '/etc/passwd' } },
    message: /^Input dockerfile: 'Dockerfile\.link' leads outside the checkout through a symbolic link \(to \/etc\/passwd\)/,
    hidden: ['root:']
  },
  'Dockerfile under a directory link outside': {
    inputs: { dockerfile: 'sub/Dockerfile' },
    files: { sub: { link: outside } },
    message: /^Input dockerfile: 'sub\/Dockerfile' leads outside the checkout through a symbolic link/
  },
  'Dockerfile a dangling link': { files: { Dockerfile: { link: 'nowhere/Dockerfile' } }, message: /^Input dockerfile: 'Dockerfile' is a symbolic link to a file that does not exist/ },
  'Dockerfile a directory': { files: { Dockerfile: { dir: true } }, message: /^Input dockerfile: 'Dockerfile' is a directory in the checkout\. Accepted: the path of a file/ },
  'Dockerfile of 11 MB': {
    files: { Dockerfile: { size: 11 * 1024 * 1024 } },
    message: /^Input dockerfile: 'Dockerfile' is 11 MiB \(11534336 bytes\), over the limit of 8 MiB \(8388608 bytes\) for a file the action reads from the checkout/
  },

  // ---- kubeconfigs (no token: the kubeconfig gives the credentials)
  'kubeconfig that does not parse, password next to the mistake': {
    inputs: { 'openshift-token': '', 'openshift-server': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: BROKEN_KUBECONFIG },
    message: /^Input kubeconfig: 'kubeconfig' cannot be read as a kubeconfig \(line 17, column 1: deficient indentation\)\. Accepted: a kubeconfig file path or YAML$/,
    hidden: [PASSWORD, 'Sup3rS3cret', 'kubeadmin']
  },
  'inline kubeconfig that does not parse': {
    inputs: { 'openshift-token': '', 'openshift-server': '', kubeconfig: BROKEN_KUBECONFIG },
    message:
      /^Input kubeconfig: the inline kubeconfig cannot be read as a kubeconfig \(line 16, column 10: unexpected end of the stream within a flow collection\)\. Accepted: a kubeconfig file path or YAML$/,
    hidden: [PASSWORD, 'Sup3rS3cret']
  },
  'kubeconfig with an unknown alias': {
    inputs: { 'openshift-token': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: kubeconfigOf('    token: *secret-alias-0123') },
    message: /^Input kubeconfig: 'kubeconfig' cannot be read as a kubeconfig \(line 13, column \d+: unidentified alias …\)/,
    hidden: ['secret-alias-0123']
  },
  'kubeconfig missing': { inputs: { 'openshift-token': '', kubeconfig: 'kube/config' }, message: /^Input kubeconfig: 'kube\/config' is not valid\. Accepted: the path of an existing kubeconfig file/ },
  'kubeconfig a link outside the checkout': {
    inputs: { 'openshift-token': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: { link: path.join(outside, 'kubeconfig') } },
    message: /^Input kubeconfig: 'kubeconfig' leads outside the checkout through a symbolic link/,
    hidden: ['outside-token-0123456789']
  },
  'kubeconfig server with user info': {
    inputs: { 'openshift-token': '', 'openshift-server': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: kubeconfigOf('    token: kc-token-0123456789', 'https://admin:kc-server-pw-0123@127.0.0.1:1') },
    message: /^Input kubeconfig: 'kubeconfig' cannot be read as a kubeconfig \(the server of the current context is not valid: it has user info/,
    hidden: ['kc-server-pw-0123', 'kc-token-0123456789']
  },
  'kubeconfig token with a line break': {
    inputs: { 'openshift-token': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: kubeconfigOf('    token: |\n      kc-line-one-0123\n      X-Evil: kc-line-two') },
    message: /^Input kubeconfig: 'kubeconfig' cannot be read as a kubeconfig \(user 'u' has a token with a line break/,
    hidden: ['kc-line-one-0123', 'kc-line-two']
  },
  'kubeconfig without a server': {
    inputs: { 'openshift-token': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: 'clusters:\n- name: c\n  cluster: {}\nusers:\n- name: u\n  user: {token: kc-noserver-0123}\n' },
    message: /^Input kubeconfig: 'kubeconfig' cannot be read as a kubeconfig \(clusters\[0\]\.cluster\.server is missing\)/,
    hidden: ['kc-noserver-0123']
  },
  'kubeconfig not UTF-8': {
    inputs: { 'openshift-token': '', kubeconfig: 'kubeconfig' },
    files: { kubeconfig: Buffer.concat([Buffer.from(kubeconfigOf('    token: kc-latin-0123')), Buffer.from([0xff])]) },
    message: /^Input kubeconfig: 'kubeconfig' is not UTF-8 text \(line 14, column 1\)\. Accepted: a UTF-8 text file/,
    hidden: ['kc-latin-0123']
  }
}

const local = useLocalOpenShift({ logWaitSeconds: 1 })
const tmp = mkdtempSync(path.join(os.tmpdir(), 'osbs-bad-inputs-'))
let requests: RequestFault
interface Outcome {
  /** The case's repository name: what its BuildConfig would be labelled with. */
  repo: string
  code: number | null
  errors: string[]
  everything: string
}
const outcomes = new Map<string, Outcome>()

function makeCheckout(dir: string, files: Record<string, Entry | null>): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, entry] of Object.entries(files)) {
    if (entry === null) continue
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) writeFileSync(file, entry)
    else if ('link' in entry) symlinkSync(entry.link, file)
    else if ('size' in entry) (writeFileSync(file, ''), truncateSync(file, entry.size))
    else mkdirSync(file)
  }
}

async function runCase(name: string, c: Case, index: number): Promise<Outcome> {
  const dir = path.join(tmp, String(index))
  const workspace = path.join(dir, 'checkout')
  const home = path.join(dir, 'home')
  makeCheckout(workspace, { Dockerfile: GOOD, ...c.files })
  mkdirSync(home, { recursive: true })
  const files = runnerFiles(dir)
  const env = runnerEnv(
    { workspace, home, files, repository: `acme/case-${index}`, sha: SHA, ref: 'refs/heads/main' },
    { ...DEFAULT_INPUTS, ...local.inputs(), ...c.inputs },
    { env: { KUBECONFIG: path.join(home, 'none'), ...c.env?.(dir) } }
  )
  const run = await spawnBundle(workspace, env)
  const written = readRunnerFiles(files)
  return {
    repo: `case-${index}`,
    code: run.code,
    errors: errorAnnotations(run.stdout),
    everything: [
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
      run.stderr,
      written.summary,
      JSON.stringify(written.outputs),
      JSON.stringify(written.state)
    ].join('\n')
  }
}

beforeAll(async () => {
  // counts every request the local OpenShift receives (a delay of 0 ms changes nothing else)
  requests = local.emulator.faults.delay({}, 0, { count: Infinity })
  const entries = Object.entries(CASES)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < entries.length; i = next++) outcomes.set(entries[i][0], await runCase(entries[i][0], entries[i][1], i))
  }
  await Promise.all([worker(), worker(), worker()])
}, 300_000)

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

describe('bad inputs are refused before any request', () => {
  it('has at least 60 cases', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(60)
  })

  it.each(Object.keys(CASES))('%s', (name) => {
    const c = CASES[name]
    const outcome = outcomes.get(name)!
    // the message, shown with every error of the run when it is not there
    if (!outcome.errors.some((e) => c.message.test(e))) expect(outcome.errors).toEqual([`a message matching ${c.message}`])
    expect(outcome.code).toBe(1)
    for (const hidden of c.hidden ?? []) expect(outcome.everything).not.toContain(hidden)
    // nothing of this case was written to the local OpenShift
    const written = local.emulator.store.list('buildconfigs', local.emulator.namespace).filter((bc) => bc.metadata.labels?.['git-repo-name'] === outcome.repo)
    expect(written.map((bc) => bc.metadata.name)).toEqual([])
  })

  it('the local OpenShift received no request at all, and holds no BuildConfig and no Build', () => {
    expect(outcomes.size).toBe(Object.keys(CASES).length)
    expect(requests.hits).toBe(0)
    expect(local.emulator.store.list('buildconfigs', local.emulator.namespace)).toEqual([])
    expect(local.emulator.store.list('builds', local.emulator.namespace)).toEqual([])
  })
})
