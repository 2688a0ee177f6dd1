/**
 * What deskrun keeps in its own cache folder (oclif's `cacheDir`, `~/.cache/deskrun` on Linux), which is
 * also where the runners' caches go by default. None of it is a runner's cache: `cache list` does not show
 * it and `cache prune` leaves it alone. Installation names are DNS labels, so no cache folder of an
 * installation can be named `code.v8`.
 */

/** Compiled code of deskrun itself, for a quicker start (src/lib/cli/load-cli.ts). */
export const CODE_CACHE_FOLDER = 'code.v8'

/** Everything above, and shell completion's functions (@oclif/plugin-autocomplete and the postrun hook). */
export const CLI_CACHE_FOLDERS: readonly string[] = [CODE_CACHE_FOLDER, 'autocomplete']
