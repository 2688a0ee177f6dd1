// The types of check.generated.js (scripts/validators.ts writes it).

/** Whether data of the current shape is a valid config; says nothing of what is wrong. */
export declare function checkCurrent(data: unknown): boolean
