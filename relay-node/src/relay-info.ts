// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `/sotto/relay-info/1.0.0`: one frame describing the relay, then the stream closes.
 */

import { MAX_RELAY_INFO_FRAME_BYTES, encodeRelayInfo, frameStream } from '@sotto/core/mailbox'
import type { Stream } from '@libp2p/interface'
import type { RelayInfo } from '@sotto/core/mailbox'

/** A stream handler that answers every stream with `info()` as it is then. */
export function relayInfoHandler (info: () => RelayInfo): (stream: Stream) => Promise<void> {
  return async (stream) => {
    try {
      await frameStream(stream, MAX_RELAY_INFO_FRAME_BYTES).write(encodeRelayInfo(info()), { signal: AbortSignal.timeout(10_000) })
      await stream.close({ signal: AbortSignal.timeout(10_000) })
    } catch (err) {
      stream.abort(err as Error)
    }
  }
}
