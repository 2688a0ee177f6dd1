// The types of validators.generated.js (scripts/validators.ts writes it).
import type {ValidateFunction} from 'ajv'

export declare const validateCurrent: ValidateFunction
export declare const validateOriginal: ValidateFunction
