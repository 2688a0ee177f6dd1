/**
 * The first command a newcomer types. Root help shows it, and so do list, status and up on a config
 * without installations, so that every empty answer says what to do next in the same words.
 */
export const GET_STARTED = 'deskrun add NAME --repository URL --auth-value-file FILE'

export const NO_INSTALLATIONS = `No installations yet. Add one with: ${GET_STARTED}`
