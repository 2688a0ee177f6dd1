/** Tables for human output; @oclif/table is loaded only when a table is printed (it is not small). */
export async function table<T extends Record<string, unknown>>(
  data: T[],
  columns: (keyof T & string)[],
): Promise<string> {
  const {makeTable} = await import('@oclif/table')
  return makeTable({data, columns, borderStyle: 'headers-only-with-underline', overflow: 'wrap'})
}
