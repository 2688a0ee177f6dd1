/**
 * What bin/run.js starts: oclif's `execute`, from the same build as the commands (scripts/build.mjs puts
 * @oclif/core into deskrun's own chunks), so that one copy of oclif runs the CLI and loads its commands.
 */
export {execute} from '@oclif/core/execute'
