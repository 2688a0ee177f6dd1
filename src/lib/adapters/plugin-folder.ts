/**
 * What `deskrun plugins link FOLDER` needs to find in FOLDER. oclif's own answer to a folder without a
 * package.json is a dump of its internal options ("could not find package.json with { isRoot: true,
 * ... }"); this says what is wrong in the user's words before oclif tries.
 */
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'

import {parseJson} from '../domain/config/json-syntax.js'

export interface PluginFolderProblem {
  message: string
  hint: string
}

const WHAT_TO_LINK =
  "Link the folder that holds the plugin's package.json, e.g. deskrun plugins link ./deskrun-plugin-foo; " +
  'docs/plugins.md shows how to write one.'
const OCLIF_SECTION =
  'A deskrun plugin is an oclif plugin: its package.json names its hook in an "oclif" section, ' +
  '"oclif": {"hooks": {"deskrun:container-modes": "./dist/hooks/modes.js"}} (see docs/plugins.md).'

/** Why `folder` (as the user typed it) cannot be linked as a plugin; undefined when oclif may try. */
export async function pluginFolderProblem(
  folder: string,
  cwd = process.cwd(),
): Promise<PluginFolderProblem | undefined> {
  const where = path.resolve(cwd, folder)
  const info = await stat(where).catch((error: NodeJS.ErrnoException) => error)
  if (info instanceof Error)
    return info.code === 'ENOENT'
      ? {message: `There is no folder ${where}.`, hint: WHAT_TO_LINK}
      : {message: `Cannot read ${where} (${info.code}).`, hint: WHAT_TO_LINK}
  if (!info.isDirectory()) return {message: `${where} is a file, not a plugin's folder.`, hint: WHAT_TO_LINK}

  const file = path.join(where, 'package.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT'
      ? {message: `${where} has no package.json, so it is not a plugin.`, hint: WHAT_TO_LINK}
      : {message: `Cannot read ${file} (${code}).`, hint: WHAT_TO_LINK}
  }
  const parsed = parseJson(text.replace(/^\uFEFF/, ''))
  if (!parsed.ok)
    return {
      message: `${file} is not valid JSON: line ${parsed.line}, column ${parsed.column}: ${parsed.problem}.`,
      hint: 'Fix the file, then link the folder again.',
    }
  const pjson = parsed.value as {name?: unknown; oclif?: unknown} | null
  if (typeof pjson !== 'object' || pjson === null || Array.isArray(pjson))
    return {message: `${file} holds no JSON object, so it describes no package.`, hint: WHAT_TO_LINK}
  if (typeof pjson.name !== 'string' || pjson.name === '')
    return {message: `${file} has no "name"; a plugin is an npm package and needs one.`, hint: OCLIF_SECTION}
  if (typeof pjson.oclif !== 'object' || pjson.oclif === null)
    return {
      message: `${pjson.name} (${where}) is not an oclif plugin: its package.json has no "oclif" section.`,
      hint: OCLIF_SECTION,
    }
  return undefined
}
