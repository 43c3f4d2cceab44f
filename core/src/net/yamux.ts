// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Yamux for Sotto's nodes: libp2p's yamux, whose streams grant more receive window once half of it
 * is used, as Go's and Rust's yamux do, instead of after every data frame.
 *
 * js-libp2p's yamux answers each data frame with a window update. A message and its receipt then
 * cost four packets instead of two: each side's update goes out on its own, since the answer comes
 * only after a synced write, and wakes the other side for nothing. Granting at half the window still
 * leaves a streaming sender half a window (128 KiB at first, growing with the window) to send while
 * the update travels.
 */
import { yamux } from '@libp2p/yamux'
import { StreamState, YamuxStream } from '@libp2p/yamux/stream'
import type { StreamMuxerFactory } from '@libp2p/interface'
import type { YamuxMuxerInit } from '@libp2p/yamux'

/** What yamux 8 keeps in its streams and muxers, which the policy reads and wraps. */
interface StreamWindow {
  state: StreamState
  recvWindow: number
  recvWindowCapacity: number
  sendWindowUpdate: () => void
}

interface StreamFactory {
  _newStream: (...args: unknown[]) => unknown
}

/**
 * Makes `stream` skip window updates while more than half of its receive window is still unused.
 * Updates that carry a flag (the stream's opening) and those of a paused stream go as before.
 */
function grantAtHalf (stream: unknown): void {
  if (!(stream instanceof YamuxStream)) return
  const s = stream as unknown as StreamWindow
  if (typeof s.recvWindow !== 'number' || typeof s.recvWindowCapacity !== 'number') return
  const update = s.sendWindowUpdate.bind(stream)
  s.sendWindowUpdate = () => {
    if (s.state === StreamState.Established && s.recvWindowCapacity >= s.recvWindow / 2) return
    update()
  }
}

/** libp2p's yamux (same options), whose streams grant receive window at half, not per frame. */
export function halfWindowYamux (init: YamuxMuxerInit = {}): () => StreamMuxerFactory {
  const make = yamux(init)
  return () => {
    const factory = make()
    const wrapped: StreamMuxerFactory = Object.create(factory)
    wrapped.createStreamMuxer = (maConn) => {
      const muxer = factory.createStreamMuxer(maConn)
      const m = muxer as unknown as StreamFactory
      if (typeof m._newStream === 'function') {
        const newStream = m._newStream.bind(muxer)
        m._newStream = (...args: unknown[]) => {
          const stream = newStream(...args)
          grantAtHalf(stream)
          return stream
        }
      }
      return muxer
    }
    return wrapped
  }
}
