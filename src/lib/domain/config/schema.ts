/**
 * JSON schema of the config file, in two shapes: version 1 (what deskrun writes) and the original Go
 * deskrun's (no `version`). Ajv's errors become lines such as
 * `installations.my-runner.MaxRunners must be an integer ≥ 0`. Messages never repeat a value.
 */
import {Ajv, type ErrorObject, type SchemaObject} from 'ajv'

import {CREDENTIAL_SOURCES} from '../installation/types.js'
import {CONFIG_VERSION} from './types.js'

/** Each schema node says in `expected` what a person should write there. */
const integerFrom = (min: number): SchemaObject => ({
  type: 'integer',
  minimum: min,
  expected: `an integer ≥ ${min}`,
})
const text: SchemaObject = {type: 'string', expected: 'a string'}
const nonEmpty = (what: string): SchemaObject => ({type: 'string', minLength: 1, expected: what})
const idSchema: SchemaObject = {type: ['string', 'integer'], expected: 'a number or a string'}
const nullable = (schema: SchemaObject, originalShape: boolean): SchemaObject =>
  originalShape ? {...schema, type: [schema.type, 'null']} : schema

const cachePath: SchemaObject = {
  type: 'object',
  required: ['Target'],
  properties: {Target: nonEmpty('an absolute path inside the job'), Source: text},
  expected: 'an object {"Target": "/path/in/job", "Source": ""}',
}

/** The original stored caches as plain paths, then {MountPath, HostPath}, then {Target, Source}. */
const originalCachePath: SchemaObject = {
  anyOf: [
    nonEmpty('a path'),
    cachePath,
    {type: 'object', required: ['MountPath'], properties: {MountPath: nonEmpty('a path'), HostPath: text}},
  ],
  expected: 'a path or an object {"Target": "/path/in/job", "Source": ""}',
}

const mount: SchemaObject = {
  type: 'object',
  required: ['Target'],
  properties: {Source: text, Target: nonEmpty('an absolute path inside the job'), Type: text},
  expected: 'an object {"Source": "...", "Target": "...", "Type": "DirectoryOrCreate"}',
}

function installationSchema(originalShape: boolean): SchemaObject {
  return {
    type: 'object',
    expected: 'an object describing one installation',
    required: ['Repository', 'ContainerMode', 'MinRunners', 'MaxRunners', 'AuthType', 'AuthValue'],
    properties: {
      Name: nonEmpty('the installation name (the same as its key)'),
      Repository: nonEmpty('a GitHub URL such as https://github.com/owner/repo'),
      ContainerMode: nonEmpty('a container mode name such as kubernetes'),
      MinRunners: integerFrom(0),
      MaxRunners: integerFrom(0),
      // The original wrote 0 for "one instance" before --instances existed.
      Instances: integerFrom(originalShape ? 0 : 1),
      CachePaths: nullable(
        {type: 'array', items: originalShape ? originalCachePath : cachePath, expected: 'a list of caches'},
        originalShape,
      ),
      Mounts: nullable({type: 'array', items: mount, expected: 'a list of mounts'}, originalShape),
      RunnerGroup: text,
      Labels: nullable(
        {type: 'array', items: nonEmpty('a label'), expected: 'a list of labels'},
        originalShape,
      ),
      AuthType: {enum: ['pat', 'github-app'], expected: 'pat or github-app'},
      AuthValue: {type: 'string', expected: 'a string (the token or the private key)'},
      AppID: idSchema,
      InstallationID: idSchema,
      AuthSource: {
        enum: [...CREDENTIAL_SOURCES],
        expected: `where the credential was read from: ${CREDENTIAL_SOURCES.join(', ')}`,
      },
      Deployed: {type: 'boolean', expected: 'true or false'},
    },
  }
}

function fileSchema(originalShape: boolean): SchemaObject {
  return {
    type: 'object',
    expected: 'a JSON object such as {"cluster_name": "deskrun", "installations": {}}',
    ...(originalShape ? {} : {required: ['version']}),
    properties: {
      version: {const: CONFIG_VERSION, expected: `${CONFIG_VERSION} (the format this deskrun writes)`},
      cluster_name: {
        type: 'string',
        pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$',
        maxLength: 50,
        expected: "a kind cluster name: lower-case letters, digits, '.' and '-'",
      },
      cache_root: {
        type: 'string',
        pattern: '^/',
        expected: 'an absolute host path such as /home/me/.cache/deskrun',
      },
      chart_version: {
        type: 'string',
        pattern: '^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$',
        expected: 'a chart version such as 0.14.2',
      },
      tools_base_url: {
        type: 'string',
        pattern: '^https?://',
        expected:
          'the base URL of a mirror of the tool downloads, such as https://mirror.example.com/deskrun',
      },
      kube_context: {
        type: 'string',
        pattern: '^\\S+$',
        expected: 'the name of a kube context (kubectl config get-contexts)',
      },
      kubeconfig: {
        type: 'string',
        pattern: '^/',
        expected: 'the absolute path of a kubeconfig file',
      },
      installations: nullable(
        {
          type: 'object',
          additionalProperties: installationSchema(originalShape),
          expected: 'an object of installations',
        },
        originalShape,
      ),
    },
  }
}

const ajv = new Ajv({allErrors: true, verbose: true, allowUnionTypes: true})
ajv.addKeyword({keyword: 'expected', schemaType: 'string'})
const validateCurrent = ajv.compile(fileSchema(false))
const validateOriginal = ajv.compile(fileSchema(true))

/** `/installations/my-runner/CachePaths/0` -> `installations.my-runner.CachePaths[0]`. */
function fieldName(pointer: string, child?: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
  if (child !== undefined) segments.push(child)
  let name = ''
  for (const segment of segments) {
    if (/^[0-9]+$/.test(segment)) name += `[${segment}]`
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) name += name === '' ? segment : `.${segment}`
    else name += `[${JSON.stringify(segment)}]`
  }

  return name
}

function describe(error: ErrorObject): string {
  const field = fieldName(error.instancePath)
  const subject = field === '' ? 'The file' : field
  switch (error.keyword) {
    case 'required':
      return `${fieldName(error.instancePath, String(error.params.missingProperty))} is required`
    case 'additionalProperties':
      return `${fieldName(error.instancePath, String(error.params.additionalProperty))} is not a known setting`
    default: {
      const expected = (error.parentSchema as {expected?: string} | undefined)?.expected
      return expected ? `${subject} must be ${expected}` : `${subject} ${error.message ?? 'is not valid'}`
    }
  }
}

/** Lines a person can act on; the errors inside an anyOf's branches are folded into the anyOf's line. */
function messages(errors: ErrorObject[] | null | undefined): string[] {
  const all = errors ?? []
  const alternatives = all.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf')
  const kept = all.filter(
    (error) =>
      !alternatives.some((alt) => alt !== error && error.schemaPath.startsWith(`${alt.schemaPath}/`)),
  )
  return [...new Set(kept.map(describe))]
}

/** True when the data has the original deskrun's shape (no `version`). */
export function isOriginalShape(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && !('version' in data)
}

/** What is wrong with parsed config data, one line per field; empty when it is usable. */
export function configProblems(data: unknown): string[] {
  const validate = isOriginalShape(data) ? validateOriginal : validateCurrent
  if (!validate(data)) return messages(validate.errors)
  const installations = (data as {installations?: Record<string, {Name?: string}> | null}).installations ?? {}
  const mismatched = Object.entries(installations).filter(
    ([key, entry]) => entry.Name !== undefined && entry.Name !== key,
  )
  return mismatched.map(([key]) => `${fieldName('/installations', key)}.Name must be the same as its key`)
}
