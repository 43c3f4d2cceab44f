// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The seller's end of `/sotto/guest/1.0.0`: one delivery frame in, one answer frame out.
 */
import { InvalidInputError } from '../errors.js'
import { MAX_GUEST_FRAME_BYTES, encodeGuestAnswer, parseGuestDelivery } from '../guest/index.js'
import { frameStream } from '../protocol/index.js'
import type { GuestAnswer, GuestDelivery } from '../guest/index.js'
import type { Stream } from '@libp2p/interface'

const STREAM_TIMEOUT_MS = 15_000

/** Reads one delivery, hands it to `deliver`, writes its answer and closes. */
export async function serveGuestStream (stream: Stream, deliver: (link: Uint8Array, token: Uint8Array, sealed: Uint8Array) => Promise<GuestAnswer>): Promise<void> {
  const frames = frameStream(stream, MAX_GUEST_FRAME_BYTES)
  const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
  const frame = await frames.read({ signal })
  if (frame == null) throw new InvalidInputError('guest stream ended before its delivery')
  let delivery: GuestDelivery | undefined
  try {
    delivery = parseGuestDelivery(frame.subarray())
  } catch {
    delivery = undefined
  }
  const answer = delivery == null ? { status: 'BAD_REQUEST' as const, message: 'malformed delivery' } : await deliver(delivery.link, delivery.token, delivery.sealed)
  await frames.write(encodeGuestAnswer(answer), { signal })
  await stream.close({ signal })
}
