/**
 * Whether a host (a proxy) answers: its name resolves and its port accepts a TCP connection. Nothing
 * is sent over the connection, so no credential ever leaves; it is closed as soon as it is open.
 */
import {lookup} from 'node:dns/promises'
import net from 'node:net'

export type Reach = {ok: true; address: string} | {ok: false; stage: 'resolve' | 'connect'; reason: string}

const timedOut = (ms: number) => `no answer within ${ms / 1000}s`

export async function reach(host: string, port: number, timeoutMs: number): Promise<Reach> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(timedOut(timeoutMs))), timeoutMs)
  })
  let address: string
  try {
    // A literal address resolves to itself; a name goes through the system's resolver (/etc/hosts too).
    address = (await Promise.race([lookup(host), deadline])).address
  } catch (error) {
    return {
      ok: false,
      stage: 'resolve',
      reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
    }
  } finally {
    clearTimeout(timer)
  }
  return new Promise((resolve) => {
    const socket = net.connect({host: address, port})
    const done = (result: Reach) => {
      clearTimeout(limit)
      socket.destroy()
      resolve(result)
    }
    const limit = setTimeout(
      () => done({ok: false, stage: 'connect', reason: timedOut(timeoutMs)}),
      timeoutMs,
    )
    socket.once('connect', () => done({ok: true, address}))
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ok: false, stage: 'connect', reason: error.code ?? error.message}),
    )
  })
}
