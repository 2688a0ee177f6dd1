/** A download server on 127.0.0.1 for provisioning tests: good files, 404s, cut and stalled bodies. */
import {createHash} from 'node:crypto'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {gzipSync} from 'node:zlib'

export interface Route {
  body?: Buffer
  status?: number
  /** Announce the whole body, send this many bytes, then cut the connection. */
  cutAfter?: number
  /** Send this many bytes (or only the headers when 0), then hold the connection open. */
  stallAfter?: number
}

export interface TestServer {
  url: string
  /** Paths requested, in order. */
  hits: string[]
  routes: Record<string, Route>
  close(): Promise<void>
}

export async function startServer(routes: Record<string, Route> = {}): Promise<TestServer> {
  const hits: string[] = []
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/'
    hits.push(url)
    const route = routes[url]
    if (!route) {
      response.writeHead(404, {'content-type': 'text/plain'}).end('not found')
      return
    }
    const body = route.body ?? Buffer.alloc(0)
    response.writeHead(route.status ?? 200, {'content-length': String(body.length)})
    if (route.stallAfter !== undefined) {
      response.write(body.subarray(0, route.stallAfter))
      return
    }
    if (route.cutAfter !== undefined) {
      response.write(body.subarray(0, route.cutAfter), () => response.socket?.destroy())
      return
    }
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    routes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** A shell script that stands in for a tool binary and prints a version line. */
export const fakeBinary = (line: string) => Buffer.from(`#!/bin/sh\necho '${line}'\n`)

export interface TarEntry {
  name: string
  body?: Buffer
  /** '0' file (default), '5' directory, 'x' pax header. */
  type?: string
}

/** A .tar.gz as Go's archive/tar writes it; a name over 100 bytes gets a pax header first. */
export function tarGz(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = []
  for (const entry of entries) {
    if (entry.name.length > 100) {
      const record = (text: string) => {
        let length = text.length + 3
        while (`${length} ${text}\n`.length !== length) length = `${length} ${text}\n`.length
        return `${length} ${text}\n`
      }
      const pax = Buffer.from(record(`path=${entry.name}`))
      blocks.push(header('PaxHeaders/long', pax.length, 'x'), pad(pax))
    }
    const body = entry.body ?? Buffer.alloc(0)
    blocks.push(header(entry.name.slice(0, 100), body.length, entry.type ?? '0'), pad(body))
  }
  blocks.push(Buffer.alloc(1024))
  return gzipSync(Buffer.concat(blocks))
}

function header(name: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(512)
  block.write(name, 0, 'utf8')
  block.write('0000755\0', 100, 'ascii')
  block.write('0000000\0', 108, 'ascii')
  block.write('0000000\0', 116, 'ascii')
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii')
  block.write('00000000000\0', 136, 'ascii')
  block.write('        ', 148, 'ascii')
  block.write(type, 156, 'ascii')
  block.write('ustar\0', 257, 'ascii')
  block.write('00', 263, 'ascii')
  const checksum = block.reduce((sum, byte) => sum + byte, 0)
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii')
  return block
}

const pad = (body: Buffer) => Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)])
