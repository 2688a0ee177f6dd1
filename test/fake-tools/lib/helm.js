// Fake helm v3.18.4: releases of the two ARC charts, stored per cluster, with helm's wording.
import {computedValues, mergeValues, pulled, resolveChart} from './arc-charts.js'
import {reconcile} from './arc-controller.js'
import {ToolError, findCommand, parseArgs, parseDuration, stripCommand} from './common.js'
import {invoke, runTool} from './invoke.js'
import {
  ansic,
  deploy,
  find,
  goTime,
  releaseJson,
  releaseLabels,
  statusTable,
  table,
  userValues,
} from './helm-release.js'
import {deleteObject, getObject} from './kube.js'
import {stringify as toYaml} from './yaml.js'

/** @typedef {import('./common.js').Spec} Spec */

/** @type {Spec} */
const GLOBAL = {
  'kube-context': {type: 'string'},
  namespace: {type: 'string', short: 'n'},
  kubeconfig: {type: 'string'},
  debug: {type: 'bool'},
  'burst-limit': {type: 'string'},
  qps: {type: 'string'},
  help: {type: 'bool', short: 'h'},
}

/** @type {Spec} */
const OUTPUT = {output: {type: 'string', short: 'o'}}

/** @type {Spec} */
const UPGRADE = {
  ...OUTPUT,
  install: {type: 'bool', short: 'i'},
  'create-namespace': {type: 'bool'},
  version: {type: 'string'},
  values: {type: 'array', short: 'f'},
  set: {type: 'array'},
  'set-string': {type: 'array'},
  wait: {type: 'bool'},
  'wait-for-jobs': {type: 'bool'},
  timeout: {type: 'string'},
  labels: {type: 'array', short: 'l'},
  atomic: {type: 'bool'},
  'cleanup-on-fail': {type: 'bool'},
  'reuse-values': {type: 'bool'},
  'reset-values': {type: 'bool'},
  'reset-then-reuse-values': {type: 'bool'},
  'dry-run': {type: 'optional', default: 'client'},
  description: {type: 'string'},
  devel: {type: 'bool'},
  force: {type: 'bool'},
  'history-max': {type: 'string'},
  'hide-notes': {type: 'bool'},
  'skip-crds': {type: 'bool'},
}

const VERSION = 'v3.18.4'

/** @type {Record<string, {spec: Spec, run: (ctx: any, flags: any, args: string[]) => void}>} */
const COMMANDS = {
  version: {
    spec: {short: {type: 'bool'}, template: {type: 'string'}, client: {type: 'bool', short: 'c'}},
    run: (ctx, flags) => {
      if (flags.template) ctx.out(flags.template.replace(/\{\{\s*\.Version\s*\}\}/g, VERSION))
      else if (flags.short) ctx.out(`${VERSION}+gd80839c\n`)
      else
        ctx.out(
          `version.BuildInfo{Version:"${VERSION}", GitCommit:"d80839cf37d860c8aa9a0503fe463278f26cd5e2", GitTreeState:"clean", GoVersion:"go1.24.4"}\n`,
        )
    },
  },
  upgrade: {spec: UPGRADE, run: (ctx, flags, args) => upgrade(ctx, flags, args, false)},
  install: {spec: UPGRADE, run: (ctx, flags, args) => upgrade(ctx, flags, args, true)},
  list: {
    spec: {
      ...OUTPUT,
      'all-namespaces': {type: 'bool', short: 'A'},
      all: {type: 'bool', short: 'a'},
      selector: {type: 'string', short: 'l'},
      short: {type: 'bool', short: 'q'},
      filter: {type: 'string'},
      'no-headers': {type: 'bool'},
      date: {type: 'bool', short: 'd'},
      reverse: {type: 'bool', short: 'r'},
      max: {type: 'string', short: 'm'},
      'time-format': {type: 'string'},
      ...Object.fromEntries(
        ['deployed', 'failed', 'pending', 'uninstalling', 'superseded', 'uninstalled'].map((s) => [
          s,
          {type: 'bool'},
        ]),
      ),
    },
    run: list,
  },
  'get values': {
    spec: {...OUTPUT, all: {type: 'bool', short: 'a'}, revision: {type: 'string'}},
    run: (ctx, flags, args) => {
      const {rev} = release(ctx, flags, args, 'get values')
      const values = flags.all ? computedValues(rev.chartName, rev.values) : rev.values
      write(
        ctx,
        format(flags),
        values,
        () => `${flags.all ? 'COMPUTED' : 'USER-SUPPLIED'} VALUES:\n${toYaml(values ?? null)}`,
      )
    },
  },
  status: {
    spec: {
      ...OUTPUT,
      revision: {type: 'string'},
      'show-desc': {type: 'bool'},
      'show-resources': {type: 'bool'},
    },
    run: (ctx, flags, args) => {
      const {rel, rev} = release(ctx, flags, args, 'status')
      write(ctx, format(flags), releaseJson(rel, rev), () => statusTable(rel, rev))
    },
  },
  history: {
    spec: {...OUTPUT, max: {type: 'string'}},
    run: (ctx, flags, args) => {
      const {rel} = release(ctx, flags, args, 'history')
      const rows = rel.revisions.map((/** @type {any} */ r) => ({
        revision: r.revision,
        updated: r.updated,
        status: r.status,
        chart: `${r.chartName}-${r.version}`,
        app_version: r.version,
        description: r.description,
      }))
      write(ctx, format(flags), rows, () =>
        table([
          ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'],
          ...rows.map((/** @type {any} */ r) => [
            r.revision,
            ansic(r.updated),
            r.status,
            r.chart,
            r.app_version,
            r.description,
          ]),
        ]),
      )
    },
  },
  uninstall: {
    spec: {
      wait: {type: 'bool'},
      timeout: {type: 'string'},
      'ignore-not-found': {type: 'bool'},
      'keep-history': {type: 'bool'},
      cascade: {type: 'string'},
      'dry-run': {type: 'bool'},
      'no-hooks': {type: 'bool'},
      description: {type: 'string'},
    },
    run: uninstall,
  },
  rollback: {
    spec: {
      wait: {type: 'bool'},
      'wait-for-jobs': {type: 'bool'},
      timeout: {type: 'string'},
      'cleanup-on-fail': {type: 'bool'},
      force: {type: 'bool'},
      'dry-run': {type: 'bool'},
      'history-max': {type: 'string'},
      'no-hooks': {type: 'bool'},
      'recreate-pods': {type: 'bool'},
    },
    run: rollback,
  },
}

const ALIASES = {
  ls: 'list',
  un: 'uninstall',
  del: 'uninstall',
  delete: 'uninstall',
  upgrade: 'upgrade',
  hist: 'history',
}

const REAL_BUT_NOT_EMULATED = [
  'template',
  'pull',
  'push',
  'repo',
  'search',
  'show',
  'test',
  'lint',
  'package',
  'dependency',
  'env',
  'plugin',
  'registry',
  'verify',
  'completion',
  'create',
  'get',
]

/** One call of the fake helm, in process (see invoke.js). @type {import('./invoke.js').Tool} */
export const run = (argv, io) => invoke('helm', argv, io, helm, (message) => `Error: ${message}\n`)

/** The executable (../bin/helm). @param {string[]} argv */
export const main = (argv) => runTool(run, argv)

/** @param {any} ctx */
function helm(ctx) {
  const commands = [
    ...Object.keys(COMMANDS).map((c) => c.split(' ')),
    ...Object.keys(ALIASES).map((a) => [a]),
  ]
  const {command, words} = findCommand(ctx.argv, commands, GLOBAL)
  if (!command) {
    if (words.length === 0) throw new ToolError('helm: the fake prints no help; give a command')
    if (REAL_BUT_NOT_EMULATED.includes(words[0]))
      throw new ToolError(`fake helm: "helm ${words.join(' ')}" is not emulated`)
    throw new ToolError(`unknown command "${words[0]}" for "helm"\nRun 'helm --help' for usage.`)
  }
  const name = /** @type {Record<string, string>} */ (ALIASES)[command.join(' ')] ?? command.join(' ')
  const {spec, run} = COMMANDS[name]
  const {flags, args} = parseArgs(stripCommand(ctx.argv, command), {...GLOBAL, ...spec})
  if (flags.timeout !== undefined && parseDuration(flags.timeout) === undefined)
    throw new ToolError(
      `invalid argument "${flags.timeout}" for "--timeout" flag: time: invalid duration "${flags.timeout}"`,
    )
  format(flags)
  run(ctx, flags, args)
}

/** @param {any} flags @returns {'table' | 'json' | 'yaml'} */
function format(flags) {
  const f = flags.output ?? 'table'
  if (!['table', 'json', 'yaml'].includes(f))
    throw new ToolError(`invalid argument "${f}" for "-o, --output" flag: invalid format type`)
  return f
}

/** @param {any} ctx @param {string} f @param {unknown} data @param {() => string} asTable */
function write(ctx, f, data, asTable) {
  if (f === 'json') ctx.out(JSON.stringify(data ?? null) + '\n')
  else if (f === 'yaml') ctx.out(toYaml(data ?? null))
  else ctx.out(asTable())
}

/** The cluster behind --kube-context (or the current context), as helm's IsReachable checks it. */
function cluster(/** @type {any} */ ctx, /** @type {any} */ flags) {
  const name = flags['kube-context'] ?? ctx.state.currentContext
  if (!name)
    throw new ToolError(
      'Kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp 127.0.0.1:8080: connect: connection refused',
    )
  const target = ctx.state.contexts[name]
  if (!target) throw new ToolError(`Kubernetes cluster unreachable: context "${name}" does not exist`)
  const c = target.remote ? ctx.state.remote?.[target.cluster] : ctx.state.clusters[target.cluster]
  if ((ctx.env.FAKE_DOCKER_DOWN === '1' && !target.remote) || !c)
    throw new ToolError(
      `Kubernetes cluster unreachable: Get "https://127.0.0.1:${target.port}/version": dial tcp 127.0.0.1:${target.port}: connect: connection refused`,
    )
  return c
}

const VALID_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** The named release and its latest (or --revision) revision; `release: not found` otherwise. */
function release(
  /** @type {any} */ ctx,
  /** @type {any} */ flags,
  /** @type {string[]} */ args,
  /** @type {string} */ command,
) {
  if (args.length !== 1)
    throw new ToolError(
      `"helm ${command}" requires 1 argument\n\nUsage:  helm ${command} RELEASE_NAME [flags]`,
    )
  const c = cluster(ctx, flags)
  const rel = find(c, flags.namespace ?? 'default', args[0])
  const rev = flags.revision
    ? rel?.revisions.find((/** @type {any} */ r) => String(r.revision) === flags.revision)
    : rel?.revisions.at(-1)
  if (!rel || !rev) throw new ToolError('release: not found')
  return {c, rel, rev}
}

/** `helm upgrade --install` (and `helm install`): helm's install and upgrade paths, their wording included. */
function upgrade(
  /** @type {any} */ ctx,
  /** @type {any} */ flags,
  /** @type {string[]} */ args,
  /** @type {boolean} */ installCommand,
) {
  const verb = installCommand ? 'install' : 'upgrade'
  if (args.length !== 2)
    throw new ToolError(
      `"helm ${verb}" requires 2 arguments\n\nUsage:  helm ${verb} [RELEASE] [CHART] [flags]`,
    )
  const [name, chartRef] = args
  const c = cluster(ctx, flags)
  if (!name || name.length > 53 || !VALID_NAME.test(name))
    throw new ToolError(`release name is invalid: ${name}`)
  const namespace = flags.namespace ?? 'default'
  const rel = find(c, namespace, name)
  const last = rel?.revisions.at(-1)
  const installing = !rel || last.status === 'uninstalled'
  if (!installing && installCommand)
    throw new ToolError('INSTALLATION FAILED: cannot re-use a name that is still in use')
  if (installing && !installCommand && !flags.install)
    throw new ToolError(`UPGRADE FAILED: "${name}" has no deployed releases`)
  // helm's upgrade command prefixes its own errors; `upgrade --install` of a new release does not.
  const prefix = installCommand ? 'INSTALLATION FAILED: ' : installing ? '' : 'UPGRADE FAILED: '
  const fail = (/** @type {string} */ message) => new ToolError(prefix + message)
  const f = format(flags)
  if (installing && !installCommand && f === 'table')
    ctx.out(`Release "${name}" does not exist. Installing it now.\n`)
  let chart
  try {
    chart = resolveChart(chartRef, flags.version)
  } catch (error) {
    throw installCommand ? fail(/** @type {Error} */ (error).message) : error
  }
  ctx.err(pulled(chart.chart, chart.version))
  let values = userValues(ctx, flags)
  if (!installing) {
    if (last.status.startsWith('pending-'))
      throw fail('another operation (install/upgrade/rollback) is in progress')
    const deployed = rel.revisions.findLast((/** @type {any} */ r) => r.status === 'deployed')
    if (!deployed && !['failed', 'superseded'].includes(last.status))
      throw fail(`"${name}" has no deployed releases`)
    const current = deployed ?? last
    if (flags['reuse-values']) values = mergeValues(current.values ?? {}, values ?? {})
    else if (values === null && !flags['reset-values']) values = current.values
  }
  const labels = releaseLabels(flags.labels ?? [], installing ? {} : last.labels)
  const revision = installing ? 1 : last.revision + 1
  const rendered = deploy(c, {
    name,
    namespace,
    chartName: chart.chart,
    version: chart.version,
    values,
    labels,
    installing,
    fail,
    createNamespace: flags['create-namespace'],
  })
  const description = installing ? 'Install complete' : 'Upgrade complete'
  const now = new Date().toISOString()
  const record = {
    revision,
    status: 'deployed',
    chartName: chart.chart,
    version: chart.version,
    values,
    labels,
    updated: now,
    description,
    ...rendered,
  }
  if (installing) {
    c.releases = c.releases.filter((/** @type {any} */ r) => r !== rel)
    c.releases.push({name, namespace, firstDeployed: now, revisions: [record]})
  } else {
    for (const r of rel.revisions) if (r.status === 'deployed') r.status = 'superseded'
    rel.revisions.push(record)
  }
  const saved = find(c, namespace, name)
  if (!installing && f === 'table') ctx.out(`Release "${name}" has been upgraded. Happy Helming!\n`)
  write(ctx, f, releaseJson(saved, record), () => statusTable(saved, record))
}

/** `helm list`: latest revision of each release; deployed and failed only unless --all or a state flag. */
function list(/** @type {any} */ ctx, /** @type {any} */ flags) {
  const c = cluster(ctx, flags)
  const states = ['deployed', 'failed', 'pending', 'uninstalling', 'superseded', 'uninstalled'].filter(
    (s) => flags[s],
  )
  const wanted = (/** @type {string} */ status) =>
    flags.all ||
    (states.length ? states.some((s) => status.startsWith(s)) : ['deployed', 'failed'].includes(status))
  const match = flags.selector ? selectorOf(flags.selector) : () => true
  let rows = c.releases
    .filter(
      (/** @type {any} */ r) => flags['all-namespaces'] || r.namespace === (flags.namespace ?? 'default'),
    )
    .map((/** @type {any} */ r) => ({r, rev: r.revisions.at(-1)}))
    .filter((/** @type {any} */ x) => wanted(x.rev.status))
    .filter((/** @type {any} */ x) =>
      match({
        ...x.rev.labels,
        name: x.r.name,
        owner: 'helm',
        status: x.rev.status,
        version: String(x.rev.revision),
      }),
    )
    .filter((/** @type {any} */ x) => !flags.filter || new RegExp(flags.filter).test(x.r.name))
    .sort((/** @type {any} */ a, /** @type {any} */ b) =>
      flags.date ? a.rev.updated.localeCompare(b.rev.updated) : a.r.name.localeCompare(b.r.name),
    )
  if (flags.reverse) rows.reverse()
  if (flags.max) rows = rows.slice(0, Number(flags.max))
  const items = rows.map((/** @type {any} */ {r, rev}) => ({
    name: r.name,
    namespace: r.namespace,
    revision: String(rev.revision),
    updated: goTime(rev.updated),
    status: rev.status,
    chart: `${rev.chartName}-${rev.version}`,
    app_version: rev.version,
  }))
  if (flags.short) return ctx.out(items.map((/** @type {any} */ i) => `${i.name}\n`).join(''))
  const head = flags['no-headers']
    ? []
    : [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']]
  write(ctx, format(flags), items, () =>
    table([...head, ...items.map((/** @type {any} */ i) => Object.values(i))]),
  )
}

/** Release label selectors (`k=v`, `k!=v`, `k`), as the secrets storage driver applies them. */
function selectorOf(/** @type {string} */ selector) {
  const terms = selector.split(',').map((t) => t.trim().match(/^(!?)([\w./-]+)\s*(?:(==|=|!=)\s*(.*))?$/))
  if (terms.some((t) => !t))
    throw new ToolError(`unable to parse requirement: found '${selector}', expected: identifier`)
  return (/** @type {Record<string, string>} */ labels) =>
    terms.every((t) => {
      const [, not, key, op, value] = /** @type {RegExpMatchArray} */ (t)
      if (!op) return not ? !(key in labels) : key in labels
      return op === '!=' ? labels[key] !== value : labels[key] === value
    })
}

/** `helm uninstall`: removes the release's objects; finalizers nobody clears (no controller) make --wait time out. */
function uninstall(/** @type {any} */ ctx, /** @type {any} */ flags, /** @type {string[]} */ args) {
  if (args.length === 0)
    throw new ToolError(
      '"helm uninstall" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]',
    )
  const c = cluster(ctx, flags)
  const namespace = flags.namespace ?? 'default'
  for (const name of args) {
    if (!VALID_NAME.test(name) || name.length > 53)
      throw new ToolError(`uninstall: Release name is invalid: ${name}`)
    const rel = find(c, namespace, name)
    if (!rel) {
      if (flags['ignore-not-found']) {
        ctx.out(`release "${name}" uninstalled\n`)
        continue
      }
      throw new ToolError(`uninstall: Release not loaded: ${name}: release: not found`)
    }
    const last = rel.revisions.at(-1)
    if (flags['dry-run']) {
      ctx.out(`release "${name}" uninstalled\n`)
      continue
    }
    for (const res of [...(last.resources ?? [])].reverse()) {
      const o = getObject(c, res.kind, res.namespace, res.name)
      if (o) deleteObject(c, o)
    }
    reconcile(c)
    const stuck = (last.resources ?? []).filter((/** @type {any} */ res) =>
      getObject(c, res.kind, res.namespace, res.name),
    )
    if (flags['keep-history']) last.status = 'uninstalled'
    else c.releases = c.releases.filter((/** @type {any} */ r) => r !== rel)
    if (stuck.length && flags.wait)
      throw new ToolError('uninstallation completed with 1 error(s): context deadline exceeded')
    ctx.out(`release "${name}" uninstalled\n`)
  }
}

/** `helm rollback REL [REVISION]`: redeploys an old revision as a new one; fixes pending-* releases. */
function rollback(/** @type {any} */ ctx, /** @type {any} */ flags, /** @type {string[]} */ args) {
  if (args.length < 1 || args.length > 2)
    throw new ToolError(
      '"helm rollback" requires at least 1 argument\n\nUsage:  helm rollback <RELEASE> [REVISION] [flags]',
    )
  const c = cluster(ctx, flags)
  const namespace = flags.namespace ?? 'default'
  const rel = find(c, namespace, args[0])
  if (!rel) throw new ToolError('release: not found')
  const last = rel.revisions.at(-1)
  const target = args[1] ? Number(args[1]) : last.revision - 1
  const old = rel.revisions.find((/** @type {any} */ r) => r.revision === target)
  if (!old) throw new ToolError(`release has no ${target} version`)
  const fail = (/** @type {string} */ m) => new ToolError(m)
  const rendered = deploy(c, {
    name: rel.name,
    namespace,
    chartName: old.chartName,
    version: old.version,
    values: old.values,
    labels: old.labels,
    installing: false,
    fail,
  })
  for (const r of rel.revisions)
    if (r.status === 'deployed' || r.status.startsWith('pending-')) r.status = 'superseded'
  rel.revisions.push({
    ...old,
    ...rendered,
    revision: last.revision + 1,
    status: 'deployed',
    updated: new Date().toISOString(),
    description: `Rollback to ${target}`,
  })
  ctx.out('Rollback was a success! Happy Helming!\n')
}
