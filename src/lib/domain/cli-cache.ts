/**
 * What deskrun keeps in its own cache folder (oclif's `cacheDir`, `~/.cache/deskrun` on Linux), which is
 * also where the runners' caches go by default. None of it is a runner's cache: `cache list` does not show
 * it and `cache prune` leaves it alone.
 */

/** Shell completion's functions (@oclif/plugin-autocomplete and the postrun hook). */
export const CLI_CACHE_FOLDERS: readonly string[] = ['autocomplete']
