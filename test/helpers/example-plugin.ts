/**
 * The example container mode plugin, as `deskrun plugins link` loads it: its build, made from the current
 * source when that is newer. Test processes running side by side (`mocha --parallel`) take turns, so
 * that none rebuilds it (removing dist/) while another one loads it.
 */
import {readdir, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {execa} from 'execa'
import lockfile from 'proper-lockfile'

import {REPO_ROOT} from './fake-tools.js'

export const EXAMPLE_PLUGIN = path.join(REPO_ROOT, 'examples', 'deskrun-plugin-gpu')
const BUILT = path.join(EXAMPLE_PLUGIN, 'dist', 'hooks', 'modes.js')
const SOURCES = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((entry) =>
  path.join(EXAMPLE_PLUGIN, entry),
)
const LOCK = path.join(os.tmpdir(), `deskrun-example-plugin-${os.userInfo().uid}.lock`)

/** The latest change under these files and folders. */
async function newest(entries: string[]): Promise<number> {
  let latest = 0
  for (const entry of entries) {
    const info = await stat(entry)
    latest = Math.max(latest, info.mtimeMs)
    if (info.isDirectory())
      latest = Math.max(latest, await newest((await readdir(entry)).map((name) => path.join(entry, name))))
  }
  return latest
}

async function upToDate(): Promise<boolean> {
  const built = await stat(BUILT).catch(() => undefined)
  return built !== undefined && built.mtimeMs >= (await newest(SOURCES))
}

let built: Promise<void> | undefined

/** Builds the example unless its build is newer than its source (once per test process). */
export function buildExamplePlugin(): Promise<void> {
  built ??= (async () => {
    const release = await lockfile.lock(EXAMPLE_PLUGIN, {
      lockfilePath: LOCK,
      realpath: false,
      retries: {retries: 600, minTimeout: 100, maxTimeout: 100},
    })
    try {
      if (!(await upToDate())) await execa('npm', ['run', 'build'], {cwd: EXAMPLE_PLUGIN})
    } finally {
      await release()
    }
  })()
  return built
}
