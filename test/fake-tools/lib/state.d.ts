// Types for the parts of state.js the TypeScript test harness uses.
export function freshState(): unknown
export function loadState(dir: string): unknown
export function withState<T>(dir: string, fn: (state: unknown) => T, options?: {dry?: boolean}): T
export function appendCall(dir: string, record: object): void
export function readCalls(dir: string): unknown[]
export function setReleaseStatus(
  dir: string,
  cluster: string,
  namespace: string,
  name: string,
  status: string,
): void
