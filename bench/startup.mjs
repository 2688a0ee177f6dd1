#!/usr/bin/env node
// How long common commands take to start, in milliseconds (median of several runs). Start-up is
// what a user feels on every command and what shell completion waits for. Run after `npm run build`:
//   npm run bench
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'run.js')
const home = mkdtempSync(path.join(os.tmpdir(), 'deskrun-bench-'))
const runs = Number(process.env.RUNS ?? 9)
const commands = [['--version'], ['--help'], ['list'], ['modes'], ['list', '--json']]

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
try {
  for (const args of commands) {
    const times = []
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint()
      execFileSync(process.execPath, [cli, ...args], {
        env: {...process.env, DESKRUN_HOME: home},
        stdio: 'ignore',
      })
      times.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    console.log(
      `${`deskrun ${args.join(' ')}`.padEnd(24)} ${median(times).toFixed(0).padStart(5)} ms (median of ${runs})`,
    )
  }
} finally {
  rmSync(home, {recursive: true, force: true})
}
