// The types of values-validators.generated.js (scripts/validators.ts writes it).
import type {ValidateFunction} from 'ajv'

export declare const validateValues: ValidateFunction
export declare const validateModeValues: ValidateFunction
