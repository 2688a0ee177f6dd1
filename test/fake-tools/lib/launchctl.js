// Fake `launchctl` of macOS 14 for agents in the user's gui/UID domain: bootstrap, bootout and print.
// The fake runs no program: an agent loaded with RunAtLoad is `running` (its program would be) until a
// test says how it ended (setLaunchdJob in state.js).
import fs from 'node:fs'

import {ToolError} from './common.js'
import {invoke, runTool} from './invoke.js'

/** One call of the fake launchctl, in process (see invoke.js). @type {import('./invoke.js').Tool} */
export const run = (argv, io) => invoke('launchctl', argv, io, launchctl, (message) => `${message}\n`)

/** The executable (../bin/launchctl). @param {string[]} argv */
export const main = (argv) => runTool(run, argv)

const unxml = (/** @type {string} */ text) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&')

/** The keys of a plist this fake reads. @param {string} text */
function parsePlist(text) {
  const string = (/** @type {string} */ key) => {
    const found = new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`).exec(text)?.[1]
    return found === undefined ? undefined : unxml(found)
  }
  const args = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text)?.[1] ?? ''
  return {
    label: string('Label'),
    program: [...args.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => unxml(m[1])),
    stdout: string('StandardOutPath'),
    stderr: string('StandardErrorPath'),
    runAtLoad: /<key>RunAtLoad<\/key>\s*<true\/>/.test(text),
  }
}

/** `gui/UID` of the user running launchctl: another user's domain is out of reach. @param {string} domain */
function ownDomain(domain) {
  const uid = process.getuid?.() ?? 0
  if (domain !== `gui/${uid}`) throw new ToolError(`fake launchctl: only the domain gui/${uid} is emulated`)
}

/** @param {any} ctx */
function launchctl(ctx) {
  const [verb, ...args] = ctx.argv
  const jobs = (ctx.state.launchd ??= {jobs: {}}).jobs
  switch (verb) {
    case 'bootstrap': {
      const [domain, file] = args
      if (!domain || !file)
        throw new ToolError('Usage: launchctl bootstrap <domain-target> [service-path, service-path2, ...]')
      ownDomain(domain)
      if (!fs.existsSync(file)) {
        ctx.err('Bootstrap failed: 2: No such file or directory\n')
        return 2
      }
      const plist = parsePlist(fs.readFileSync(file, 'utf8'))
      if (!plist.label || jobs[plist.label]) {
        ctx.err('Bootstrap failed: 5: Input/output error\n')
        return 5
      }
      jobs[plist.label] = {
        ...plist,
        path: file,
        state: plist.runAtLoad ? 'running' : 'not running',
        runs: plist.runAtLoad ? 1 : 0,
        pid: plist.runAtLoad ? 40_000 + Math.floor(Math.random() * 20_000) : undefined,
      }
      return 0
    }
    case 'bootout': {
      const [target] = args
      if (!target)
        throw new ToolError(
          'Usage: launchctl bootout <domain-target> [service-path1, service-path2, ...] | <service-target>',
        )
      const [, uid, label] = /^(gui\/\d+)\/(.+)$/.exec(target) ?? []
      if (!label) throw new ToolError('fake launchctl: only bootout gui/UID/LABEL is emulated')
      ownDomain(uid)
      if (!jobs[label]) {
        ctx.err('Boot-out failed: 3: No such process\n')
        return 3
      }
      delete jobs[label]
      return 0
    }
    case 'print': {
      const [target] = args
      const [, domain, label] = /^(gui\/\d+)\/(.+)$/.exec(target ?? '') ?? []
      if (!label) throw new ToolError('fake launchctl: only print gui/UID/LABEL is emulated')
      ownDomain(domain)
      const job = jobs[label]
      if (!job) {
        ctx.err(
          `Bad request.\nCould not find service "${label}" in domain for user gui: ${domain.split('/')[1]}\n`,
        )
        return 113
      }
      ctx.out(
        [
          `${target} = {`,
          `\tactive count = ${job.state === 'running' ? 1 : 0}`,
          `\tpath = ${job.path}`,
          '\ttype = LaunchAgent',
          `\tstate = ${job.state}`,
          '',
          `\tprogram = ${job.program[0] ?? ''}`,
          '\targuments = {',
          ...job.program.map((/** @type {string} */ arg) => `\t\t${arg}`),
          '\t}',
          '',
          ...(job.stdout ? [`\tstdout path = ${job.stdout}`] : []),
          ...(job.stderr ? [`\tstderr path = ${job.stderr}`] : []),
          `\truns = ${job.runs}`,
          ...(job.state === 'running' && job.pid ? [`\tpid = ${job.pid}`] : []),
          `\tlast exit code = ${job.lastExitCode ?? '(never exited)'}`,
          '}',
          '',
        ].join('\n'),
      )
      return 0
    }
    default:
      throw new ToolError(`fake launchctl: "launchctl ${verb ?? ''}" is not emulated`)
  }
}
