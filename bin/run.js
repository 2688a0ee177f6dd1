#!/usr/bin/env node
// oclif's colour library colours whenever CI is set, even what goes to a file or a pipe (a completion
// script, --json): decide before it loads that output which is no terminal gets no colour codes,
// unless FORCE_COLOR asks for them.
if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1'

// Node 22.1 and later keep compiled code between runs (on Node 20 there is no such call): oclif's many
// modules are most of deskrun's start-up.
const {default: nodeModule} = await import('node:module')
nodeModule.enableCompileCache?.()

// oclif as built into dist/ with the commands (scripts/build.mjs): only what starts it is loaded here.
const {execute} = await import('../dist/lib/cli/execute.js')
await execute({dir: import.meta.url})

// The command is done (on errors oclif has exited already). Nothing it leaves behind may keep deskrun
// running, such as a plugin hook that never answered and still holds a timer: once what was written
// has gone out, exit with the code the command set.
const drained = (stream) => new Promise((resolve) => stream.write('', resolve))
await Promise.all([drained(process.stdout), drained(process.stderr)])
process.exit()
