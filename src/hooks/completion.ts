import type {Hook} from '@oclif/core'

/** The commands whose run (re)writes oclif's completion scripts. */
const WRITES_SCRIPTS = new Set(['autocomplete', 'autocomplete:create'])

/**
 * After `deskrun autocomplete` (or the cache refresh that `plugins install` triggers) has written
 * oclif's bash and zsh scripts, add deskrun's completion of flag and argument values to them.
 * Every other command returns at once, without loading the completion code.
 */
const hook: Hook<'postrun'> = async function ({Command, config}) {
  if (!WRITES_SCRIPTS.has(Command.id)) return
  const {addValueCompletion} = await import('../lib/cli/completion/install.js')
  const patched = await addValueCompletion(config)
  this.debug('value completion added: %o', patched)
}

export default hook
