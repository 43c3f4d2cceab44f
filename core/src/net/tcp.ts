// SPDX-License-Identifier: AGPL-3.0-only
/**
 * TCP for Sotto's nodes: libp2p's TCP transport, with what one turn of the event loop writes to a
 * connection sent as one segment.
 *
 * libp2p writes every frame on its own: a yamux header, a window update, a stream's opening, the
 * two bytes of a Noise length and then its ciphertext. With Nagle's algorithm off (as libp2p sets
 * it, for latency), each write leaves as its own packet: reconnecting to a relay and opening its
 * session took 102 packets, most of them 30 bytes (26 with this). On a link that loses packets,
 * every one of them is a chance to stall or break the connection. Corking the socket until the
 * turn ends sends the same bytes, in the same order, in a few packets, and adds no wait beyond the
 * turn. The reach into @libp2p/tcp's connections lives in `internals.ts`, with its check.
 */
import { tcp } from '@libp2p/tcp'
import { coalesceWrites } from './internals.js'
import type { TCPComponents, TCPOptions } from '@libp2p/tcp'
import type {
  CreateListenerOptions, DialTransportOptions, Listener, MultiaddrConnection, Transport, Upgrader
} from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

function coalescingUpgrader (upgrader: Upgrader): Upgrader {
  return new Proxy(upgrader, {
    get (target, prop, receiver) {
      if (prop === 'upgradeOutbound' || prop === 'upgradeInbound') {
        const upgrade = target[prop] as (maConn: MultiaddrConnection, opts: unknown) => Promise<unknown>
        return async (maConn: MultiaddrConnection, opts: unknown) => upgrade.call(target, coalesceWrites(maConn), opts)
      }
      const value: unknown = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

/** libp2p's TCP transport (same options), whose connections send what a turn writes as one segment. */
export function coalescingTcp (init: TCPOptions = {}): (components: TCPComponents) => Transport {
  const make = tcp(init)
  return (components) => {
    const inner = make(components)
    const transport: Transport = Object.create(inner)
    transport.dial = async (ma: Multiaddr, options: DialTransportOptions) => inner.dial(ma, { ...options, upgrader: coalescingUpgrader(options.upgrader) })
    transport.createListener = (options: CreateListenerOptions): Listener => inner.createListener({ ...options, upgrader: coalescingUpgrader(options.upgrader) })
    return transport
  }
}
