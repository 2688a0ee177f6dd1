/**
 * JSON schema of the config file, in two shapes: version 1 (what deskrun writes) and the original Go
 * deskrun's (no `version`). Each node says in `expected` (an annotation ajv is told about) what to
 * write there: problems.ts turns ajv's errors into lines such as
 * `installations.my-runner.MaxRunners must be an integer ≥ 0`. Messages never repeat a value.
 */

import {CREDENTIAL_SOURCES} from '../installation/types.js'
import {CONFIG_VERSION} from './types.js'

type JsonType = 'string' | 'integer' | 'object' | 'array' | 'boolean' | 'null'

/** The JSON schema keywords the config's schema uses; each node says in `expected` what to write there. */
export interface Schema {
  type?: JsonType | JsonType[]
  expected?: string
  const?: unknown
  enum?: readonly unknown[]
  anyOf?: Schema[]
  minimum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  items?: Schema
  required?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema
}

const integerFrom = (min: number): Schema => ({
  type: 'integer',
  minimum: min,
  expected: `an integer ≥ ${min}`,
})
const text: Schema = {type: 'string', expected: 'a string'}
const nonEmpty = (what: string): Schema => ({type: 'string', minLength: 1, expected: what})
const idSchema: Schema = {type: ['string', 'integer'], expected: 'a number or a string'}
const nullable = (schema: Schema, originalShape: boolean): Schema =>
  originalShape ? {...schema, type: [schema.type as JsonType, 'null']} : schema

const cachePath: Schema = {
  type: 'object',
  required: ['Target'],
  properties: {Target: nonEmpty('an absolute path inside the job'), Source: text},
  expected: 'an object {"Target": "/path/in/job", "Source": ""}',
}

/** The original stored caches as plain paths, then {MountPath, HostPath}, then {Target, Source}. */
const originalCachePath: Schema = {
  anyOf: [
    nonEmpty('a path'),
    cachePath,
    {type: 'object', required: ['MountPath'], properties: {MountPath: nonEmpty('a path'), HostPath: text}},
  ],
  expected: 'a path or an object {"Target": "/path/in/job", "Source": ""}',
}

const mount: Schema = {
  type: 'object',
  required: ['Target'],
  properties: {
    Source: text,
    Target: nonEmpty('an absolute path inside the job'),
    Type: text,
    ReadOnly: {type: 'boolean', expected: 'true or false'},
  },
  expected: 'an object {"Source": "...", "Target": "...", "Type": "DirectoryOrCreate"}',
}

function installationSchema(originalShape: boolean): Schema {
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
      CacheStorageClass: nonEmpty('a storage class name (kubectl get storageclass)'),
      CacheSize: nonEmpty('a storage size such as "20Gi"'),
      Mounts: nullable({type: 'array', items: mount, expected: 'a list of mounts'}, originalShape),
      RunnerGroup: text,
      Proxy: nonEmpty('a proxy URL such as http://proxy.example.com:3128'),
      NoProxy: {type: 'array', items: text, expected: 'a list of hosts, domains or addresses'},
      GitHubCA: nonEmpty('the PEM CA certificate(s) of your GitHub Enterprise Server'),
      RunnerImage: nonEmpty('an image reference such as ghcr.io/actions/actions-runner:latest'),
      Node: nonEmpty('a node name (kubectl get nodes)'),
      Nodes: {
        type: 'object',
        additionalProperties: nonEmpty('a node name'),
        expected: 'an object such as {"web-1": "node-a"}: the node of each instance',
      },
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
      Paused: {type: 'boolean', expected: 'true or false (deskrun pause / deskrun resume)'},
      CPUs: nonEmpty('a CPU limit such as "2", "1.5" or "500m"'),
      Memory: nonEmpty('a memory limit such as "4Gi" or "512Mi"'),
    },
  }
}

function fileSchema(originalShape: boolean): Schema {
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
      // Defaults for every installation that sets none of its own (`deskrun defaults`).
      proxy: nonEmpty('a proxy URL such as http://proxy.example.com:3128'),
      no_proxy: {type: 'array', items: text, expected: 'a list of hosts, domains or addresses'},
      github_ca: nonEmpty('the PEM CA certificate(s) of your GitHub Enterprise Server'),
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

/**
 * The schemas of the two shapes, compiled by ajv into validators.generated.js (`npm run schema`):
 * compiling them on every command took longer than the rest of `deskrun list`.
 */
export const CONFIG_SCHEMAS = {current: fileSchema(false), original: fileSchema(true)}

/** True when the data has the original deskrun's shape (no `version`). */
export function isOriginalShape(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && !('version' in data)
}
