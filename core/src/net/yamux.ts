// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Yamux for Sotto's nodes: libp2p's yamux, whose streams grant more receive window once half of it
 * is used, as Go's and Rust's yamux do, instead of after every data frame.
 *
 * js-libp2p's yamux answers each data frame with a window update. A message and its receipt then
 * cost four packets instead of two: each side's update goes out on its own, since the answer comes
 * only after a synced write, and wakes the other side for nothing. Granting at half the window still
 * leaves a streaming sender half a window (128 KiB at first, growing with the window) to send while
 * the update travels. The reach into yamux's muxers and streams lives in `internals.ts`, with its
 * check.
 */
import { yamux } from '@libp2p/yamux'
import { grantStreamsAtHalf } from './internals.js'
import type { StreamMuxerFactory } from '@libp2p/interface'
import type { YamuxMuxerInit } from '@libp2p/yamux'

/** libp2p's yamux (same options), whose streams grant receive window at half, not per frame. */
export function halfWindowYamux (init: YamuxMuxerInit = {}): () => StreamMuxerFactory {
  const make = yamux(init)
  return () => {
    const factory = make()
    const wrapped: StreamMuxerFactory = Object.create(factory)
    wrapped.createStreamMuxer = (maConn) => {
      return grantStreamsAtHalf(factory.createStreamMuxer(maConn))
    }
    return wrapped
  }
}
