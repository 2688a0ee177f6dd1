/**
 * JSON schemas of what the scale set chart would reject in its values, compiled by ajv ahead of time
 * into values-validators.generated.js (`npm run schema`): compiling them as `deskrun snippet` started
 * took a fifth of its instructions, and as much in every command that plans. values.ts words their
 * errors.
 */
import {MAX_SCALE_SET_NAME_LENGTH} from './charts.js'

/** The part of the values a mode writes; keys deskrun does not know are the chart's business. */
const MODE_PROPERTIES = {
  containerMode: {
    type: 'object',
    properties: {
      type: {enum: ['dind', 'kubernetes', 'kubernetes-novolume', '']},
      kubernetesModeWorkVolumeClaim: {type: 'object'},
    },
    if: {properties: {type: {const: 'kubernetes'}}, required: ['type']},
    then: {required: ['kubernetesModeWorkVolumeClaim']},
  },
  template: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['containers'],
        properties: {
          containers: {
            type: 'array',
            minItems: 1,
            items: {type: 'object', required: ['name'], properties: {name: {type: 'string', minLength: 1}}},
          },
        },
      },
    },
  },
}

export const VALUES_SCHEMAS = {
  /** A scale set's values: deskrun's keys and the mode's part. */
  values: {
    type: 'object',
    required: ['githubConfigUrl', 'githubConfigSecret'],
    properties: {
      githubConfigUrl: {type: 'string', minLength: 1},
      githubConfigSecret: {type: ['string', 'object'], minLength: 1},
      runnerScaleSetName: {
        type: 'string',
        minLength: 1,
        maxLength: MAX_SCALE_SET_NAME_LENGTH,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      },
      minRunners: {type: 'integer', minimum: 0},
      maxRunners: {type: 'integer', minimum: 0},
      runnerGroup: {type: 'string', minLength: 1},
      scaleSetLabels: {type: 'array', items: {type: 'string', minLength: 1, maxLength: 255}},
      controllerServiceAccount: {
        type: 'object',
        required: ['name', 'namespace'],
        properties: {name: {type: 'string', minLength: 1}, namespace: {type: 'string', minLength: 1}},
      },
      ...MODE_PROPERTIES,
    },
  },
  /** The part a mode writes, checked on its own. */
  modeValues: {type: 'object', properties: MODE_PROPERTIES},
}
