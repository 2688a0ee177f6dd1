#!/usr/bin/env node
// oclif's colour library colours whenever CI is set, even what goes to a file or a pipe (a completion
// script, --json): decide before it loads that output which is no terminal gets no colour codes,
// unless FORCE_COLOR asks for them.
if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1'

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
