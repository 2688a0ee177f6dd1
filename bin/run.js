#!/usr/bin/env node
// Only what starts oclif: the whole of @oclif/core is loaded by the commands that need it, and
// `deskrun --version` and `--help` start quicker without it.
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})

// The command is done (on errors oclif has exited already). Nothing it leaves behind may keep deskrun
// running, such as a plugin hook that never answered and still holds a timer: once what was written
// has gone out, exit with the code the command set.
const drained = (stream) => new Promise((resolve) => stream.write('', resolve))
await Promise.all([drained(process.stdout), drained(process.stderr)])
process.exit()
