// Fake kubectl v1.33.1 against the fake API server in kube.js: get, apply, delete, create namespace,
// config, version, cluster-info. Wording follows kubectl 1.33 (delete prints `kind "name" deleted`).
import crypto from 'node:crypto'

import {reconcile} from './arc-controller.js'
import {ToolError, findCommand, parseArgs, parseDuration, stripCommand} from './common.js'
import {invoke, runTool} from './invoke.js'
import {releaseSecrets} from './helm-release.js'
import {applyOne, readObjects} from './kubectl-apply.js'
import {
  createNamespace,
  deleteObject,
  getObject,
  kindString,
  kubernetesVersion,
  listObjects,
  resolveType,
  resourceString,
  served,
  typeOf,
  typeOfKind,
} from './kube.js'
import {stringify as toYaml} from './yaml.js'

/** @typedef {import('./common.js').Spec} Spec @typedef {import('./kube.js').ResourceType} ResourceType */

/** @type {Spec} */
const GLOBAL = {
  context: {type: 'string'},
  namespace: {type: 'string', short: 'n'},
  kubeconfig: {type: 'string'},
  cluster: {type: 'string'},
  user: {type: 'string'},
  v: {type: 'string', short: 'v'},
  'request-timeout': {type: 'string'},
  help: {type: 'bool', short: 'h'},
}

/** @type {Spec} */
const OUTPUT = {output: {type: 'string', short: 'o'}}

/** @type {Record<string, {spec: Spec, run: (ctx: any, flags: any, args: string[]) => void}>} */
const COMMANDS = {
  version: {spec: {...OUTPUT, client: {type: 'bool'}}, run: version},
  get: {
    spec: {
      ...OUTPUT,
      'all-namespaces': {type: 'bool', short: 'A'},
      selector: {type: 'string', short: 'l'},
      'ignore-not-found': {type: 'bool'},
      'show-labels': {type: 'bool'},
      'no-headers': {type: 'bool'},
      'chunk-size': {type: 'string'},
      filename: {type: 'array', short: 'f'},
      'show-managed-fields': {type: 'bool'},
    },
    run: get,
  },
  apply: {
    spec: {
      ...OUTPUT,
      filename: {type: 'array', short: 'f'},
      'server-side': {type: 'bool'},
      'field-manager': {type: 'string'},
      'force-conflicts': {type: 'bool'},
      'show-managed-fields': {type: 'bool'},
      'dry-run': {type: 'optional', default: 'unchanged'},
      validate: {type: 'optional', default: 'strict'},
      wait: {type: 'bool'},
      timeout: {type: 'string'},
    },
    run: apply,
  },
  delete: {
    spec: {
      ...OUTPUT,
      selector: {type: 'string', short: 'l'},
      filename: {type: 'array', short: 'f'},
      'ignore-not-found': {type: 'bool'},
      wait: {type: 'bool'},
      timeout: {type: 'string'},
      all: {type: 'bool'},
      'all-namespaces': {type: 'bool', short: 'A'},
      'grace-period': {type: 'string'},
      force: {type: 'bool'},
      now: {type: 'bool'},
      cascade: {type: 'optional', default: 'background'},
    },
    run: del,
  },
  logs: {
    spec: {
      selector: {type: 'string', short: 'l'},
      container: {type: 'string', short: 'c'},
      'all-containers': {type: 'bool'},
      prefix: {type: 'bool'},
      tail: {type: 'string'},
      follow: {type: 'bool', short: 'f'},
      'max-log-requests': {type: 'string'},
      timestamps: {type: 'bool'},
    },
    run: logs,
  },
  'create namespace': {spec: {...OUTPUT, 'dry-run': {type: 'optional', default: 'unchanged'}}, run: createNs},
  'create ns': {spec: {...OUTPUT, 'dry-run': {type: 'optional', default: 'unchanged'}}, run: createNs},
  'config current-context': {
    spec: {},
    run: (ctx) => {
      if (!ctx.state.currentContext) throw new ToolError('current-context is not set')
      ctx.out(`${ctx.state.currentContext}\n`)
    },
  },
  'config get-contexts': {
    spec: {...OUTPUT, 'no-headers': {type: 'bool'}},
    run: (ctx, flags, args) => {
      const names = Object.keys(ctx.state.contexts)
        .filter((n) => !args.length || args.includes(n))
        .sort()
      if (flags.output === 'name') return ctx.out(names.map((n) => `${n}\n`).join(''))
      const rows = names.map((n) => [ctx.state.currentContext === n ? '*' : '', n, n, n, ''])
      ctx.out(
        table([
          ...(flags['no-headers'] ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']]),
          ...rows,
        ]),
      )
    },
  },
  'config use-context': {
    spec: {},
    run: (ctx, _flags, args) => {
      if (!ctx.state.contexts[args[0]]) throw new ToolError(`no context exists with the name: "${args[0]}"`)
      ctx.state.currentContext = args[0]
      ctx.out(`Switched to context "${args[0]}".\n`)
    },
  },
  // `kubectl auth can-i VERB RESOURCE`: "yes" (exit 0) or "no" (exit 1), as the API server's
  // SelfSubjectAccessReview answers; the fake denies what `cluster.denied` lists (`create namespaces`).
  'auth can-i': {
    spec: {},
    run: (ctx, flags, args) => {
      if (args.length < 2)
        throw new ToolError('you must specify two arguments: verb resource or verb resource/resourceName.')
      const {cluster} = connect(ctx, flags)
      if ((cluster.denied ?? []).includes(`${args[0]} ${args[1]}`)) {
        ctx.out('no\n')
        return 1
      }
      ctx.out('yes\n')
    },
  },
  'cluster-info': {
    spec: {},
    run: (ctx, flags) => {
      const {port} = connect(ctx, flags)
      const base = `https://127.0.0.1:${port}`
      ctx.out(
        `Kubernetes control plane is running at ${base}\nCoreDNS is running at ${base}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
      )
    },
  },
}

const NOT_EMULATED = ['describe', 'exec', 'wait', 'patch', 'label', 'annotate', 'rollout', 'scale', 'edit', 'port-forward', 'top', 'api-resources', 'explain', 'run', 'expose', 'set', 'diff', 'replace', 'cp', 'proxy', 'attach', 'debug', 'events', 'cordon', 'drain', 'taint', 'kustomize', 'plugin', 'completion', 'create', 'config'] // prettier-ignore

/** One call of the fake kubectl, in process (see invoke.js). @type {import('./invoke.js').Tool} */
export const run = (argv, io) =>
  invoke('kubectl', argv, io, kubectl, (message) =>
    /^(Error from server|Error in configuration|The connection to the server|The \w+ "[^"]*" is invalid)/.test(
      message,
    )
      ? `${message}\n`
      : `error: ${message}\n`,
  )

/** The executable (../bin/kubectl). @param {string[]} argv */
export const main = (argv) => runTool(run, argv)

/** @param {any} ctx */
function kubectl(ctx) {
  const {command, words} = findCommand(
    ctx.argv,
    Object.keys(COMMANDS).map((c) => c.split(' ')),
    GLOBAL,
  )
  if (!command) {
    if (words.length === 0) throw new ToolError('kubectl: the fake prints no help; give a command')
    if (NOT_EMULATED.includes(words[0]))
      throw new ToolError(`fake kubectl: "kubectl ${words.slice(0, 2).join(' ')}" is not emulated`)
    throw new ToolError(`unknown command "${words[0]}" for "kubectl"`)
  }
  const {spec, run} = COMMANDS[command.join(' ')]
  let parsed
  try {
    parsed = parseArgs(stripCommand(ctx.argv, command), {...GLOBAL, ...spec})
  } catch (error) {
    throw new ToolError(
      `${/** @type {Error} */ (error).message}\nSee 'kubectl ${command.join(' ')} --help' for usage.`,
    )
  }
  run(ctx, parsed.flags, parsed.args)
}

/**
 * The cluster behind --context (or the current context). kubectl resolves the namespace first: without
 * --namespace a missing context fails config validation, with it the client config lookup fails.
 */
function connect(/** @type {any} */ ctx, /** @type {any} */ flags) {
  const name = flags.context ?? ctx.state.currentContext
  if (!name)
    throw new ToolError(
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    )
  const target = ctx.state.contexts[name]
  if (!target) {
    if (flags.namespace !== undefined) throw new ToolError(`context "${name}" does not exist`)
    throw new ToolError(`Error in configuration: context was not found for specified context: ${name}`)
  }
  // A cluster kind did not make (state.remote) answers whether or not this machine's Docker does.
  const cluster = target.remote ? ctx.state.remote?.[target.cluster] : ctx.state.clusters[target.cluster]
  if ((ctx.env.FAKE_DOCKER_DOWN === '1' && !target.remote) || !cluster)
    throw new ToolError(
      `The connection to the server 127.0.0.1:${target.port} was refused - did you specify the right host or port?`,
    )
  return {cluster, port: target.port}
}

function version(/** @type {any} */ ctx, /** @type {any} */ flags) {
  if (flags.output && !['json', 'yaml'].includes(flags.output))
    throw new ToolError("--output must be 'yaml' or 'json'")
  const clientVersion = versionInfo(
    'v1.33.1',
    '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
    '2025-05-15T08:27:33Z',
  )
  /** @type {any} */
  const info = {clientVersion, kustomizeVersion: 'v5.6.0'}
  // Like kubectl: the client part is printed even when the server cannot be reached, then the error.
  let serverError
  if (!flags.client) {
    try {
      const server = kubernetesVersion(connect(ctx, flags).cluster)
      info.serverVersion = versionInfo(server, gitCommit(server), '2025-05-15T08:19:41Z')
    } catch (error) {
      serverError = error
    }
  }
  if (flags.output === 'json') ctx.out(JSON.stringify(info, null, 2) + '\n')
  else if (flags.output === 'yaml') ctx.out(toYaml(info))
  else
    ctx.out(
      `Client Version: v1.33.1\nKustomize Version: v5.6.0\n${info.serverVersion ? `Server Version: ${info.serverVersion.gitVersion}\n` : ''}`,
    )
  const server = info.serverVersion
  if (server && (server.major !== clientVersion.major || Math.abs(server.minor - clientVersion.minor) > 1))
    ctx.err(
      `WARNING: version difference between client (${clientVersion.major}.${clientVersion.minor}) and server (${server.major}.${server.minor}) exceeds the supported minor version skew of +/-1\n`,
    )
  if (serverError) throw serverError
}

/** k8s.io/apimachinery's version.Info for a release such as v1.28.15. */
function versionInfo(
  /** @type {string} */ gitVersion,
  /** @type {string} */ commit,
  /** @type {string} */ built,
) {
  const [major, minor] = gitVersion.slice(1).split('.')
  return {
    major,
    minor,
    gitVersion,
    gitCommit: commit,
    gitTreeState: 'clean',
    buildDate: built,
    goVersion: 'go1.24.2',
    compiler: 'gc',
    platform: 'linux/amd64',
  }
}

const gitCommit = (/** @type {string} */ v) => crypto.createHash('sha1').update(v).digest('hex')

/** Resolves a type the user typed, as the server's discovery would. @returns {ResourceType} */
function typeFor(/** @type {any} */ cluster, /** @type {string} */ word) {
  const t = resolveType(word)
  if (!t || !served(cluster, t))
    throw new ToolError(`the server doesn't have a resource type "${word.split('.')[0]}"`)
  return t
}

/** `TYPE NAME...` or `TYPE/NAME...` into [type word, names]. */
function targets(/** @type {string[]} */ args) {
  if (args[0]?.includes('/')) {
    const pairs = args.map((a) => a.split('/'))
    if (pairs.some((p) => p.length !== 2))
      throw new ToolError('arguments in resource/name form must have a single resource and name')
    if (new Set(pairs.map((p) => p[0])).size > 1)
      throw new ToolError('fake kubectl: mixed resource types are not emulated')
    return {word: pairs[0][0], names: pairs.map((p) => p[1])}
  }
  return {word: args[0], names: args.slice(1)}
}

/**
 * `kubectl logs POD [CONTAINER]` or `kubectl logs -l SELECTOR` (kubectl 1.33 `pkg/cmd/logs`): one stream
 * per pod (and container, with --all-containers), in pod name order (kubectl's own order is not fixed);
 * --tail defaults to 10 lines with a selector, all without; --prefix starts each line with
 * `[pod/NAME/CONTAINER] `. What a container logs comes from `writePodLog`. --follow prints what is there
 * and returns, as if every stream ended (nothing takes time here); --timestamps is accepted and ignored.
 */
function logs(/** @type {any} */ ctx, /** @type {any} */ flags, /** @type {string[]} */ args) {
  const {cluster} = connect(ctx, flags)
  const namespace = flags.namespace ?? 'default'
  if (args.length === 0 && !flags.selector)
    throw new ToolError(
      "expected POD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
    )
  if (args.length > 0 && flags.selector) throw new ToolError('only a selector (-l) or a POD name is allowed')
  const container = args[1] ?? flags.container
  if (flags['all-containers'] && container)
    throw new ToolError(`--all-containers=true should not be specified with container name ${container}`)
  const tail = flags.tail !== undefined ? Number(flags.tail) : flags.selector ? 10 : -1
  if (!Number.isInteger(tail) || tail < -1) throw new ToolError('--tail must be greater than or equal to -1')
  /** @type {any[]} */
  let pods
  if (flags.selector) {
    pods = listObjects(cluster, 'Pod', {namespace, selector: flags.selector}).sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    )
    if (pods.length === 0) {
      ctx.err(`No resources found in ${namespace} namespace.\n`)
      return
    }
  } else {
    const name = args[0].replace(/^pods?\//, '')
    const pod = getObject(cluster, 'Pod', namespace, name)
    if (!pod) throw new ToolError(`Error from server (NotFound): pods "${name}" not found`)
    pods = [pod]
  }
  const streams = pods.flatMap((pod) => {
    const inits = (pod.spec.initContainers ?? []).map((/** @type {any} */ c) => c.name)
    const main = pod.spec.containers.map((/** @type {any} */ c) => c.name)
    const names = [...inits, ...main]
    if (flags['all-containers']) return names.map((name) => ({pod, container: name}))
    // polymorphichelpers/logsforobject.go: the container named with -c, else the one the
    // default-container annotation names, else the first one, with a note when there were others.
    let chosen = container
    const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container']
    if (!chosen && annotated) {
      if (names.includes(annotated)) chosen = annotated
      else ctx.err(`Default container name "${annotated}" not found in pod ${pod.metadata.name}\n`)
    }
    if (!chosen) {
      chosen = main[0]
      if (names.length > 1)
        ctx.err(
          `Defaulted container "${chosen}" out of: ${[...main, ...inits.map((/** @type {string} */ name) => `${name} (init)`)].join(', ')}\n`,
        )
    }
    // kubectl checks the name itself, before it asks the API server.
    if (!names.includes(chosen))
      throw new ToolError(`container ${chosen} is not valid for pod ${pod.metadata.name}`)
    return [{pod, container: chosen}]
  })
  const max = flags['max-log-requests'] !== undefined ? Number(flags['max-log-requests']) : 5
  // kubectl checks the limit only when it follows more than one stream.
  if (flags.follow && streams.length > 1 && streams.length > max)
    throw new ToolError(
      `you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`,
    )
  for (const {pod, container: name} of streams) {
    if (pod.status?.phase === 'Pending')
      throw new ToolError(
        `Error from server (BadRequest): container "${name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
      )
    const lines = cluster.podLogs?.[`${namespace}/${pod.metadata.name}/${name}`] ?? []
    const shown = tail === -1 ? lines : lines.slice(Math.max(0, lines.length - tail))
    const prefix = flags.prefix ? `[pod/${pod.metadata.name}/${name}] ` : ''
    for (const line of shown) ctx.out(`${prefix}${line}\n`)
  }
}

function get(/** @type {any} */ ctx, /** @type {any} */ flags, /** @type {string[]} */ args) {
  const {cluster} = connect(ctx, flags)
  if (flags.filename?.length) return getFiles(ctx, cluster, flags, args)
  if (!args.length)
    throw new ToolError(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.',
    )
  const {word, names} = targets(args)
  // `secrets,configmaps`: several types, listed one after another in one List.
  const types = word.split(',').map((w) => typeFor(cluster, w))
  if (names.length && types.length > 1)
    throw new ToolError('fake kubectl: names with several resource types are not emulated')
  const t = types[0]
  if (names.length && flags['all-namespaces'])
    throw new ToolError('a resource cannot be retrieved by name across all namespaces')
  const namespaceOf = (/** @type {ResourceType} */ type) =>
    type.namespaced && !flags['all-namespaces'] ? (flags.namespace ?? 'default') : undefined
  const namespace = namespaceOf(t)
  const errors = []
  /** @type {any[]} */
  let items
  if (names.length) {
    items = []
    for (const name of names) {
      const o = findObject(cluster, t.kind, namespace, name)
      if (o) items.push(o)
      else if (!flags['ignore-not-found'])
        errors.push(`Error from server (NotFound): ${resourceString(t)} "${name}" not found`)
    }
  } else
    items = types.flatMap((type) =>
      listWithRecords(cluster, type.kind, {namespace: namespaceOf(type), selector: flags.selector}),
    )
  if (types.length > 1 && !['json', 'yaml', 'name'].includes(flags.output ?? ''))
    throw new ToolError('fake kubectl: tables of several resource types are not emulated')
  const output = flags.output ?? ''
  const single = names.length === 1 && !word.includes(',')
  items = items.map((o) => shown(o, flags))
  const doc = single ? items[0] : {apiVersion: 'v1', items, kind: 'List', metadata: {resourceVersion: ''}}
  if (output === 'json') {
    if (doc) ctx.out(JSON.stringify(doc, null, 4) + '\n')
  } else if (output === 'yaml') {
    if (doc) ctx.out(toYaml(doc))
  } else if (output === 'name')
    ctx.out(items.map((/** @type {any} */ o) => `${kindString(typeOf(o))}/${o.metadata.name}\n`).join(''))
  else if (output === '' || output === 'wide') {
    if (items.length) ctx.out(table(rows(t, items, flags)))
    else if (!names.length)
      ctx.err(namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n')
  } else
    throw new ToolError(
      `fake kubectl: output format "${output}" is not emulated (use json, yaml, name or the table)`,
    )
  if (errors.length) throw new ToolError(errors.join('\n'))
}

/** Objects of a kind; Secrets include Helm's release records (helm keeps releases as Secrets). */
function listWithRecords(/** @type {any} */ cluster, /** @type {string} */ kind, /** @type {any} */ options) {
  if (kind !== 'Secret') return listObjects(cluster, kind, options)
  const records = listObjects({objects: releaseSecrets(cluster)}, kind, options)
  return [...listObjects(cluster, kind, options), ...records]
}

function findObject(
  /** @type {any} */ cluster,
  /** @type {string} */ kind,
  /** @type {any} */ namespace,
  /** @type {string} */ name,
) {
  return (
    getObject(cluster, kind, namespace, name) ??
    (kind === 'Secret' ? getObject({objects: releaseSecrets(cluster)}, kind, namespace, name) : undefined)
  )
}

/**
 * `get -f FILE`: the objects the files name, as the server has them. Only one file path implies a single
 * object; stdin and several paths give a List. Nothing found with --ignore-not-found prints nothing.
 */
function getFiles(
  /** @type {any} */ ctx,
  /** @type {any} */ cluster,
  /** @type {any} */ flags,
  /** @type {string[]} */ args,
) {
  if (args.length) throw new ToolError('fake kubectl: get -f with resource arguments is not emulated')
  const output = flags.output ?? ''
  if (!['json', 'yaml', 'name'].includes(output))
    throw new ToolError(
      `fake kubectl: output format "${output}" is not emulated for get -f (use json, yaml or name)`,
    )
  const items = []
  const errors = []
  for (const {source, obj} of readObjects(ctx, flags.filename)) {
    const t = typeOfKind(obj.apiVersion, obj.kind)
    const name = obj.metadata?.name ?? ''
    if (!t || !served(cluster, t))
      throw new ToolError(
        `resource mapping not found for name: "${name}" namespace: "${obj.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
      )
    const namespace = t.namespaced ? (obj.metadata?.namespace ?? flags.namespace ?? 'default') : undefined
    const found = getObject(cluster, t.kind, namespace, name)
    if (found) items.push({t, obj: shown(found, flags)})
    else if (!flags['ignore-not-found'])
      errors.push(`Error from server (NotFound): ${resourceString(t)} "${name}" not found`)
  }
  const single = flags.filename.length === 1 && flags.filename[0] !== '-'
  if (single && errors.length) throw new ToolError(errors.join('\n'))
  if (items.length || !flags['ignore-not-found']) {
    const objects = items.map((i) => i.obj)
    const doc =
      single && objects.length === 1
        ? objects[0]
        : {apiVersion: 'v1', items: objects, kind: 'List', metadata: {resourceVersion: ''}}
    if (output === 'json') ctx.out(JSON.stringify(doc, null, 4) + '\n')
    else if (output === 'yaml') ctx.out(toYaml(doc))
    else ctx.out(items.map((i) => `${kindString(i.t)}/${i.obj.metadata.name}\n`).join(''))
  }
  if (errors.length) throw new ToolError(errors.join('\n'))
}

/** Table rows like kubectl's default printers (a few columns per well-known type, NAME AGE otherwise). */
function rows(/** @type {ResourceType} */ t, /** @type {any[]} */ items, /** @type {any} */ flags) {
  const age = (/** @type {any} */ o) => {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(o.metadata.creationTimestamp)) / 1000))
    return s < 120 ? `${s}s` : s < 7200 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`
  }
  /** @type {Record<string, [string[], (o: any) => unknown[]]>} */
  const printers = {
    Pod: [['READY', 'STATUS', 'RESTARTS'], (o) => {
      const cs = o.status?.containerStatuses ?? []
      return [`${cs.filter((/** @type {any} */ c) => c.ready).length}/${o.spec.containers?.length ?? 0}`, o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase, 0]
    }],
    Namespace: [['STATUS'], (o) => [o.status?.phase ?? 'Active']],
    Deployment: [['READY', 'UP-TO-DATE', 'AVAILABLE'], (o) => [`${o.status?.readyReplicas ?? 0}/${o.spec.replicas}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0]],
    Node: [['STATUS', 'ROLES', 'VERSION'], (o) => ['Ready', 'node-role.kubernetes.io/control-plane' in (o.metadata.labels ?? {}) ? 'control-plane' : '<none>', o.status.nodeInfo.kubeletVersion]],
    Secret: [['TYPE', 'DATA'], (o) => [o.type ?? 'Opaque', Object.keys(o.data ?? {}).length]],
    ConfigMap: [['DATA'], (o) => [Object.keys(o.data ?? {}).length]],
    StorageClass: [['PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE'], (o) => [o.provisioner, o.reclaimPolicy, o.volumeBindingMode]],
    PersistentVolumeClaim: [['STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS'], (o) => [o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase, o.spec.volumeName ?? '', o.status?.capacity?.storage ?? '', (o.spec.accessModes ?? []).map((/** @type {string} */ m) => ({ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP'})[m]).join(','), o.spec.storageClassName ?? '', '<unset>']],
    AutoscalingRunnerSet: [['MINIMUM RUNNERS', 'MAXIMUM RUNNERS', 'CURRENT RUNNERS', 'PENDING RUNNERS', 'RUNNING RUNNERS'], (o) => [o.spec.minRunners ?? '', o.spec.maxRunners ?? '', o.status?.currentRunners ?? '', o.status?.pendingEphemeralRunners ?? '', o.status?.runningEphemeralRunners ?? '']],
  } // prettier-ignore
  const [columns, cells] = printers[t.kind] ?? [[], () => []]
  const ns = flags['all-namespaces'] && t.namespaced
  const head = [
    ...(ns ? ['NAMESPACE'] : []),
    'NAME',
    ...columns,
    'AGE',
    ...(flags['show-labels'] ? ['LABELS'] : []),
  ]
  const body = items.map((o) => [
    ...(ns ? [o.metadata.namespace] : []),
    o.metadata.name,
    ...cells(o),
    age(o),
    ...(flags['show-labels']
      ? [
          Object.entries(o.metadata.labels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',') || '<none>',
        ]
      : []),
  ])
  return flags['no-headers'] ? body : [head, ...body]
}

/** kubectl's column layout: left-aligned, three spaces between columns. */
function table(/** @type {unknown[][]} */ data) {
  const widths = data[0].map((_, i) => Math.max(...data.map((r) => String(r[i]).length)))
  return (
    data
      .map((r) =>
        r.map((c, i) => (i === r.length - 1 ? String(c) : String(c).padEnd(widths[i] + 3))).join(''),
      )
      .join('\n') + '\n'
  )
}

function apply(/** @type {any} */ ctx, /** @type {any} */ flags) {
  if (!flags.filename?.length) throw new ToolError('must specify one of -f and -k')
  if (flags['force-conflicts'] && !flags['server-side'])
    throw new ToolError('--force-conflicts only works with --server-side')
  if (flags['server-side'] && flags['dry-run'] === 'client')
    throw new ToolError(
      "--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)",
    )
  const output = flags.output ?? ''
  if (!['', 'json', 'yaml', 'name'].includes(output))
    throw new ToolError(
      `fake kubectl: output format "${output}" is not emulated for apply (use json, yaml or name)`,
    )
  const {cluster} = connect(ctx, flags)
  const found = readObjects(ctx, flags.filename)
  if (!found.length) throw new ToolError('no objects passed to apply')
  const dry =
    flags['dry-run'] && flags['dry-run'] !== 'none'
      ? flags['dry-run'] === 'server'
        ? ' (server dry run)'
        : ' (dry run)'
      : ''
  const errors = []
  const applied = []
  for (const {source, obj} of found) {
    try {
      const one = applyOne(cluster, obj, source, flags, Boolean(dry))
      if (one.warning) ctx.err(one.warning)
      if (output === 'name') ctx.out(`${one.object}\n`)
      else if (!output) ctx.out(`${one.object} ${one.action}${dry}\n`)
      applied.push(one.result)
    } catch (error) {
      if (!(error instanceof ToolError)) throw error
      errors.push(error.message)
    }
  }
  reconcile(cluster)
  if (errors.length) throw new ToolError(errors.join('\n'))
  // -o json|yaml: the objects as the API server returned them, after every object was applied.
  if (output === 'json' || output === 'yaml') {
    const items = applied.map((o) => shown(o, flags))
    const doc = items.length === 1 ? items[0] : {apiVersion: 'v1', items, kind: 'List', metadata: {}}
    ctx.out(output === 'json' ? JSON.stringify(doc, null, 4) + '\n' : toYaml(doc))
  }
}

/** kubectl prints objects without metadata.managedFields unless --show-managed-fields. */
function shown(/** @type {any} */ obj, /** @type {any} */ flags) {
  if (flags['show-managed-fields'] || !obj.metadata?.managedFields) return obj
  const {managedFields: _, ...metadata} = obj.metadata
  return {...obj, metadata}
}

function del(/** @type {any} */ ctx, /** @type {any} */ flags, /** @type {string[]} */ args) {
  const {cluster} = connect(ctx, flags)
  /** @type {{t: ResourceType, namespace: string | undefined, name: string}[]} */
  let wanted = []
  const errors = []
  if (flags.filename?.length) {
    for (const {obj} of readObjects(ctx, flags.filename)) {
      const t = typeOfKind(obj.apiVersion, obj.kind)
      if (!t || !served(cluster, t))
        throw new ToolError(
          `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "STDIN": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
        )
      wanted.push({
        t,
        namespace: t.namespaced ? (obj.metadata?.namespace ?? flags.namespace ?? 'default') : undefined,
        name: obj.metadata?.name,
      })
    }
  } else {
    if (!args.length)
      throw new ToolError(
        "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      )
    const {word, names} = targets(args)
    const t = typeFor(cluster, word)
    const all = flags['all-namespaces']
    const namespace = t.namespaced && !all ? (flags.namespace ?? 'default') : undefined
    if (names.length && (flags.selector || flags.all))
      throw new ToolError('name cannot be provided when a selector is specified')
    if (names.length) wanted = names.map((name) => ({t, namespace, name}))
    else if (flags.selector || flags.all)
      wanted = listObjects(cluster, t.kind, {namespace, selector: flags.selector}).map(
        (/** @type {any} */ o) => ({t, namespace: o.metadata.namespace, name: o.metadata.name}),
      )
    else throw new ToolError('resource(s) were provided, but no name was specified')
    if (!names.length && !wanted.length) ctx.out('No resources found\n')
  }
  const deleted = []
  for (const w of wanted) {
    const o = getObject(cluster, w.t.kind, w.namespace, w.name)
    if (!o) {
      if (!flags['ignore-not-found'])
        errors.push(`Error from server (NotFound): ${resourceString(w.t)} "${w.name}" not found`)
      continue
    }
    deleteObject(cluster, o)
    deleted.push(w)
    ctx.out(
      flags.output === 'name' ? `${kindString(w.t)}/${w.name}\n` : `${kindString(w.t)} "${w.name}" deleted\n`,
    )
  }
  reconcile(cluster)
  const stuck = deleted.filter((w) => getObject(cluster, w.t.kind, w.namespace, w.name))
  if (stuck.length && flags.wait !== false) {
    const timeout = flags.timeout ? parseDuration(flags.timeout) : 0
    // kubectl waits for finalizers; with no --timeout it waits forever.
    if (!timeout) return ctx.hang()
    for (const w of stuck)
      errors.push(`timed out waiting for the condition on ${resourceString(w.t)}/${w.name}`)
  }
  if (errors.length) throw new ToolError(errors.join('\n'))
}

function createNs(/** @type {any} */ ctx, /** @type {any} */ flags, /** @type {string[]} */ args) {
  const {cluster} = connect(ctx, flags)
  if (args.length !== 1) throw new ToolError(`exactly one NAME is required, got ${args.length}`)
  const name = args[0]
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
    throw new ToolError(
      `The Namespace "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    )
  if (getObject(cluster, 'Namespace', undefined, name))
    throw new ToolError(`Error from server (AlreadyExists): namespaces "${name}" already exists`)
  if (!flags['dry-run'] || flags['dry-run'] === 'none') createNamespace(cluster, name)
  ctx.out(flags.output === 'name' ? `namespace/${name}\n` : `namespace/${name} created\n`)
}
