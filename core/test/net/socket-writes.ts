// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Counting what libp2p nodes write to their TCP sockets: one `_write` per write unless corked, one
 * `_writev` per corked batch.
 */
import { Socket } from 'node:net'
import type { Libp2p } from '@libp2p/interface'

/** Counts socket writes from now until `restore`. */
export function countSocketWrites (): { count(socket: Socket): number, restore(): void } {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (this: Socket, ...args: unknown[]) => unknown>
  const original = { _write: proto._write, _writev: proto._writev }
  const counts = new Map<Socket, number>()
  for (const name of ['_write', '_writev'] as const) {
    const fn = original[name]
    proto[name] = function (this: Socket, ...args: unknown[]) {
      counts.set(this, (counts.get(this) ?? 0) + 1)
      return fn.apply(this, args)
    }
  }
  return {
    count: socket => counts.get(socket) ?? 0,
    restore: () => { Object.assign(proto, original) }
  }
}

/** The TCP sockets under a node's connections. */
export function socketsOf (node: Libp2p): Socket[] {
  return node.getConnections().flatMap(c => {
    const maConn = (c as unknown as { maConn?: { socket?: unknown } }).maConn
    return maConn?.socket instanceof Socket ? [maConn.socket] : []
  })
}
