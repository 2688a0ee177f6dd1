/**
 * Takes one file out of a .tar.gz (helm ships its binary as `linux-amd64/helm` inside one). A small
 * streaming reader of the ustar format, with the pax and GNU long-name headers Go's archive/tar writes,
 * because deskrun does not depend on a tar package and needs only this.
 */
import {createReadStream} from 'node:fs'
import {open} from 'node:fs/promises'
import {createGunzip} from 'node:zlib'

import {DeskrunError} from '../../domain/errors.js'

const BLOCK = 512

interface Entry {
  name: string
  size: number
  type: string
}

/** Writes the member `member` of `archive` to the new file `dest` (mode 0755). */
export async function extractMember(archive: string, member: string, dest: string): Promise<void> {
  const wanted = normalise(member)
  let pending: Buffer = Buffer.alloc(0)
  let entry: Entry | undefined
  let remaining = 0
  let longName: string | undefined
  let meta: Buffer[] = []
  const out = await open(dest, 'wx', 0o755)
  let found = false
  try {
    const stream = createReadStream(archive).pipe(createGunzip())
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      for (;;) {
        if (!entry) {
          if (pending.length < BLOCK) break
          const header = pending.subarray(0, BLOCK)
          pending = pending.subarray(BLOCK)
          if (header.every((byte) => byte === 0)) continue
          entry = parseHeader(header, longName)
          longName = undefined
          remaining = entry.size
          meta = []
        }
        const take = Math.min(remaining, pending.length)
        const body = pending.subarray(0, take)
        if (isMeta(entry.type)) meta.push(body)
        else if (isFile(entry.type) && normalise(entry.name) === wanted) {
          await out.write(body)
          found = true
        }
        remaining -= take
        pending = pending.subarray(take)
        // A body or its padding that continues in the next chunk is finished on the next pass.
        if (remaining > 0) break
        // The body is padded to a whole block.
        const padding = (BLOCK - (entry.size % BLOCK)) % BLOCK
        if (pending.length < padding) break
        pending = pending.subarray(padding)
        if (isMeta(entry.type)) longName = metaName(entry.type, Buffer.concat(meta))
        if (found) {
          stream.destroy()
          return
        }
        entry = undefined
      }
    }
    throw new DeskrunError(`The archive ${archive} has no ${member}.`, {code: 'ARCHIVE_MEMBER_MISSING'})
  } finally {
    await out.close()
  }
}

function parseHeader(header: Buffer, longName: string | undefined): Entry {
  const text = (start: number, length: number) =>
    header
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0.*$/s, '')
  const name = text(0, 100)
  const prefix = text(257, 6).startsWith('ustar') ? text(345, 155) : ''
  return {
    name: longName ?? (prefix ? `${prefix}/${name}` : name),
    size: parseSize(header.subarray(124, 136)),
    type: text(156, 1) || '0',
  }
}

/** Octal text, or base-256 (high bit set) for sizes over 8 GB. */
function parseSize(field: Buffer): number {
  if (field[0] & 0x80) return field.subarray(1).reduce((size, byte) => size * 256 + byte, field[0] & 0x7f)
  return Number.parseInt(field.toString('ascii').replace(/[\0 ]/g, '') || '0', 8)
}

/** pax extended headers (x) and GNU long names (L) describe the entry that follows them. */
const isMeta = (type: string) => type === 'x' || type === 'L'
const isFile = (type: string) => type === '0' || type === '7'

function metaName(type: string, body: Buffer): string | undefined {
  if (type === 'L') return body.toString('utf8').replace(/\0.*$/s, '')
  // pax records: "<length> <key>=<value>\n"
  const record = body
    .toString('utf8')
    .split('\n')
    .map((line) => /^\d+ path=(.*)$/.exec(line)?.[1])
    .find((value) => value !== undefined)
  return record
}

const normalise = (name: string) => name.replace(/^(\.\/)+/, '')
