#!/usr/bin/env node
// `deskrun up` with 10 installations against the project's fake kind, helm, kubectl and docker, each
// call taking a fixed time (FAKE_TOOLS_LATENCY), so the figures show what deskrun's own design costs:
// - fresh: no cluster yet. The scale-set phase (first scale set's helm call to the end) against the
//   sum of the scale sets' helm installs: 1.0 when they run one after another, lower when side by side.
// - converged: nothing to change. Tool calls (and helm writes) and wall time.
// Run after `npm run build`:  npm run bench
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'run.js')
const INSTALLATIONS = 10
const LATENCY = {default: 100, 'helm upgrade': 1500, 'kind create': 3000}

const dir = mkdtempSync(path.join(os.tmpdir(), 'deskrun-bench-up-'))
try {
  const bin = path.join(dir, 'bin')
  mkdirSync(bin)
  symlinkSync(process.execPath, path.join(bin, 'node'))
  for (const tool of ['kind', 'helm', 'kubectl', 'docker'])
    symlinkSync(path.join(root, 'test', 'fake-tools', 'bin', tool), path.join(bin, tool))
  const home = path.join(dir, 'deskrun')
  const state = path.join(dir, 'state')
  mkdirSync(home, {mode: 0o700})
  mkdirSync(state)
  const installations = Object.fromEntries(
    Array.from({length: INSTALLATIONS}, (_, i) => [
      `r${i + 1}`,
      {Name: `r${i + 1}`, Repository: 'https://github.com/owner/repo', ContainerMode: 'kubernetes', MinRunners: 1, MaxRunners: 2, AuthType: 'pat', AuthValue: 'ghp_bench-not-a-real-token'},
    ]),
  ) // prettier-ignore
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({version: 1, cluster_name: 'deskrun', cache_root: path.join(dir, 'cache'), installations}),
    {mode: 0o600},
  )
  const env = {
    PATH: bin,
    HOME: dir,
    DESKRUN_HOME: home,
    FAKE_TOOLS_STATE: state,
    FAKE_TOOLS_LATENCY: JSON.stringify(LATENCY),
    DESKRUN_PASS_ENV: 'FAKE_TOOLS_STATE FAKE_TOOLS_LATENCY',
    CI: '1',
  }
  const calls = () =>
    readFileSync(path.join(state, 'calls.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  const up = () => {
    const start = Date.now()
    execFileSync(process.execPath, [cli, 'up'], {env, stdio: 'ignore'})
    return {start, end: Date.now()}
  }

  const fresh = up()
  const installs = calls().filter(
    (call) => call.tool === 'helm' && call.argv[0] === 'upgrade' && call.argv[2] !== 'arc',
  )
  // A call is logged when its latency is over; it started that much earlier.
  const phaseStart = Math.min(...installs.map((call) => Date.parse(call.time))) - LATENCY['helm upgrade']
  const phase = fresh.end - phaseStart
  const sum = installs.length * LATENCY['helm upgrade']

  const before = calls().length
  const converged = up()
  const again = calls().slice(before)
  const helmWrites = again.filter(
    (call) => call.tool === 'helm' && ['upgrade', 'install', 'uninstall', 'rollback'].includes(call.argv[0]),
  )

  const latency = Object.entries(LATENCY)
    .map(([call, ms]) => `${call} ${ms} ms`)
    .join(', ')
  console.log(`deskrun up, ${INSTALLATIONS} installations, fake tools with fixed latency (${latency})`)
  console.log(
    `fresh up:     ${fresh.end - fresh.start} ms; scale-set phase ${phase} ms = ${(phase / sum).toFixed(2)} × the sum of ${installs.length} helm installs (${sum} ms)`,
  )
  console.log(
    `converged up: ${converged.end - converged.start} ms; ${again.length} tool calls (${again.map((call) => `${call.tool} ${call.argv.find((a) => !a.startsWith('-') && a !== 'kind-deskrun')}`).join(', ')}), ${helmWrites.length} helm writes`,
  )
} finally {
  rmSync(dir, {recursive: true, force: true})
}
