import type {Plugin} from 'esbuild'

export function inlineRequires(source: string): string
export const EDITS: Record<string, {what: string; from: string; to: string}[]>
export function trimOclifSource(relative: string, source: string): string
export function pluginPatternMatch(require: NodeJS.Require): {
  minimatch(name: string, pattern: string, options?: object): boolean
}
export const oclifStartUp: Plugin
