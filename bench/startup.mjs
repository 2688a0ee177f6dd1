#!/usr/bin/env node
// Start-up of the quick commands beside a bare `node -e 0` on the same machine: CPU time (user + system)
// and wall time, medians of RUNS runs (default 15), and the ratio to bare node. Start-up is felt on every
// command and by shell completion. Run after `npm run build` (`npm run bench` does both).
//
// How the CPU time is measured: Node cannot read a child's resource usage (spawnSync returns none, and
// process.resourceUsage() is the caller's own), /proc/<pid> of an ended child is racy (libuv reaps it
// at once), and /usr/bin/time is not everywhere nor the same everywhere. So each measured process reports
// its own: a preloaded file (--require, the same for bare node and for deskrun) writes
// process.resourceUsage() (getrusage of the whole process: every thread, since the process started) to an
// extra file descriptor at the process's 'exit' event. Left out is only what follows that event (V8
// shutting down), the same small amount for every command. Wall time is taken around spawnSync, so it
// includes starting the process.
//
// The commands run against a config of 50 installations in a temporary DESKRUN_HOME, with HOME moved
// there too, so that no plugin the user installed changes the figures. They take turns run by run, so
// that a busy moment of the machine falls on all of them alike. A first run of each makes deskrun's code
// cache in that HOME (src/lib/cli/load-cli.ts), as it does on a user's machine; the rows "no code cache"
// show a start without it, such as the first of each command after an install or update.
//
// Where NODE_EXTRA_CA_CERTS is set, a second table shows the runs without it. Node 20 reads and parses
// those certificates as it starts, before any code runs (Node 22 only when a TLS connection needs them).
// With a system-wide bundle that costs a bare start several times its own work, the same for every
// command, so the ratios with it say less about deskrun's own cost. NODE_OPTIONS is always left out.
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'run.js')
const runs = Number(process.env.RUNS ?? 15)
const INSTALLATIONS = 50
const {NODE_OPTIONS: _, ...environment} = process.env
const {NODE_EXTRA_CA_CERTS, ...withoutCACerts} = environment
const environments = [
  {title: 'as set here', env: environment},
  ...(NODE_EXTRA_CA_CERTS === undefined ? [] : [{title: 'without NODE_EXTRA_CA_CERTS', env: withoutCACerts}]),
]

const home = mkdtempSync(path.join(os.tmpdir(), 'deskrun-bench-'))
const deskrunHome = path.join(home, '.deskrun')
const report = path.join(home, 'report-usage.cjs')

const cases = [
  {name: 'node -e 0', args: ['-e', '0']},
  {name: 'deskrun --version', args: [cli, '--version']},
  {name: 'deskrun --help', args: [cli, '--help']},
  {name: `deskrun list (${INSTALLATIONS})`, args: [cli, 'list']},
  {name: 'deskrun modes', args: [cli, 'modes']},
  // The longest help of a command: oclif loads the command's module, which loads its work only in run().
  {name: 'deskrun add --help', args: [cli, 'add', '--help']},
  // Without the code cache (src/lib/cli/load-cli.ts): the first run of each command after an install or
  // update, which also makes the cache.
  {
    name: 'deskrun --version, no code cache',
    args: [cli, '--version'],
    env: {NODE_DISABLE_COMPILE_CACHE: '1'},
  },
  {
    name: `deskrun list (${INSTALLATIONS}), no code cache`,
    args: [cli, 'list'],
    env: {NODE_DISABLE_COMPILE_CACHE: '1'},
  },
]

/** A config as `deskrun add` writes it: every mode, some with caches and several instances. */
function writeConfig() {
  const modes = ['kubernetes', 'cached-privileged-kubernetes', 'dind']
  const installations = {}
  for (let i = 1; i <= INSTALLATIONS; i++) {
    const name = `runner-${i}`
    installations[name] = {
      Name: name,
      Repository: `https://github.com/owner/repo-${i}`,
      ContainerMode: modes[i % modes.length],
      MinRunners: 1,
      MaxRunners: 5,
      Instances: i % 5 === 0 ? 3 : 1,
      CachePaths: i % 2 === 0 ? [{Target: '/var/lib/docker', Source: ''}] : [],
      Labels: [],
      AuthType: 'pat',
      AuthValue: 'ghp_bench-not-a-real-token',
      AuthSource: 'file',
      Deployed: true,
    }
  }
  mkdirSync(deskrunHome, {mode: 0o700})
  const config = {version: 1, cluster_name: 'deskrun', cache_root: path.join(home, 'cache'), installations}
  writeFileSync(path.join(deskrunHome, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600})
  chmodSync(deskrunHome, 0o700)
}

/** One run: CPU ms and max RSS (KiB) as the process reported them, wall ms as seen from here. */
function measure({args, env: extra}, env) {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, ['--require', report, ...args], {
    env: {...env, ...extra, HOME: home, DESKRUN_HOME: deskrunHome},
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const usage = result.output[3]?.toString().trim()
  if (result.status !== 0 || !usage)
    throw new Error(`node ${args.join(' ')} failed (exit ${result.status}): ${result.stderr}`)
  const {userCPUTime, systemCPUTime, maxRSS} = JSON.parse(usage)
  return {cpu: (userCPUTime + systemCPUTime) / 1000, wall, rss: maxRSS}
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

try {
  writeConfig()
  writeFileSync(
    report,
    "process.on('exit', () => require('node:fs').writeSync(3, JSON.stringify(process.resourceUsage())))\n",
  )
  console.log(`Start-up, median of ${runs} runs (${os.cpus().length} CPUs, Node ${process.version})`)
  for (const {title, env} of environments) {
    // Once first, so that every run finds the files in the page cache, and deskrun its code cache.
    for (const command of cases) measure(command, env)
    const samples = cases.map(() => [])
    for (let run = 0; run < runs; run++) cases.forEach((command, i) => samples[i].push(measure(command, env)))

    const figures = samples.map((runs) => ({
      cpu: median(runs.map((run) => run.cpu)),
      wall: median(runs.map((run) => run.wall)),
      rss: median(runs.map((run) => run.rss)) / 1024,
    }))
    const [node] = figures
    if (environments.length > 1) console.log(`\nEnvironment ${title}:`)
    console.log('\n| command | CPU ms | CPU vs node | wall ms | wall vs node | max RSS MiB |')
    console.log('|---|---:|---:|---:|---:|---:|')
    cases.forEach(({name}, i) => {
      const {cpu, wall, rss} = figures[i]
      const cells = [cpu.toFixed(0), `${(cpu / node.cpu).toFixed(2)}×`, wall.toFixed(0)]
      cells.push(`${(wall / node.wall).toFixed(2)}×`, rss.toFixed(0))
      console.log(`| \`${name}\` | ${cells.join(' | ')} |`)
    })
  }
} finally {
  rmSync(home, {recursive: true, force: true})
}
