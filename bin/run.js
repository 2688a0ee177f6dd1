#!/usr/bin/env node
// oclif's colour library colours whenever CI is set, even what goes to a file or a pipe (a completion
// script, --json): decide before it loads that output which is no terminal gets no colour codes,
// unless FORCE_COLOR asks for them.
if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1'

// Node 22.1 and later keep compiled code between runs (on Node 20 there is no such call): oclif's many
// modules are most of deskrun's start-up.
const {default: nodeModule} = await import('node:module')
nodeModule.enableCompileCache?.()

// oclif and the commands, in one file (scripts/build.mjs), compiled with V8's code cache where there is one
// (src/lib/cli/load-cli.ts). Its import() calls are this module's: they import by absolute URL or package
// name, which resolve alike from bin/ and from dist/.
const {loadCli} = await import('../dist/lib/cli/load-cli.js')
const cli = loadCli(new URL('../dist/cli.cjs', import.meta.url), (specifier) => import(specifier))
const {execute} = await cli.load('lib/cli/execute.js')
await execute({dir: import.meta.url})

// The command is done (on errors oclif has exited already). Nothing it leaves behind may keep deskrun
// running, such as a plugin hook that never answered and still holds a timer: once what was written
// has gone out, exit with the code the command set.
const drained = (stream) => new Promise((resolve) => stream.write('', resolve))
await Promise.all([drained(process.stdout), drained(process.stderr)])
process.exit()
