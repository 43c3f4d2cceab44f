// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Envelopes: sealed ciphertext with an id, padded to a few fixed sizes so that neither the network
 * nor a relay's disk tells one message's length from another's within a bucket.
 */
import { randomBytes } from 'node:crypto'
import { BugError, InvalidInputError, TooLargeError } from '../errors.js'
import { ENVELOPE_BUCKETS, ENVELOPE_ID_BYTES, MAX_ENVELOPE_BYTES, MAX_SEALED_BYTES } from './limits.js'
import * as pb from './sotto.js'
import { checkBytes, checkPadding, checkSize, copyBytes, decodeProto, paddingChunks, wireBytes } from './wire.js'
import type { Envelope } from './types.js'

/** A fresh envelope id: 16 random bytes. */
export function newEnvelopeId (): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(ENVELOPE_ID_BYTES))
}

/**
 * Encodes an envelope, padded with zero bytes so that its length is the smallest bucket of
 * {@link ENVELOPE_BUCKETS} that holds it.
 *
 * @throws InvalidInputError when the id is not 16 bytes or `sealed` is empty
 * @throws TooLargeError when `sealed` is longer than {@link MAX_SEALED_BYTES}
 */
export function encodeEnvelope (envelope: Envelope): Uint8Array<ArrayBuffer> {
  if (envelope == null || typeof envelope !== 'object') {
    throw new InvalidInputError('envelope: expected an object')
  }
  checkBytes(envelope.id, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'envelope id')
  checkSize(envelope.sealed, MAX_SEALED_BYTES, 'envelope sealed')
  checkBytes(envelope.sealed, 1, MAX_SEALED_BYTES, 'envelope sealed')
  const unpadded = pb.Envelope.encode({ id: wireBytes(envelope.id), sealed: wireBytes(envelope.sealed) }).byteLength
  for (const bucket of ENVELOPE_BUCKETS) {
    const padding = bucket >= unpadded ? paddingChunks(bucket - unpadded) : undefined
    if (padding === undefined) continue
    const bytes = pb.Envelope.encode({ id: wireBytes(envelope.id), sealed: wireBytes(envelope.sealed), padding })
    if (bytes.byteLength !== bucket) {
      throw new BugError(`envelope padded to ${bytes.byteLength} bytes instead of ${bucket}`)
    }
    return bytes
  }
  throw new BugError(`envelope of ${unpadded} bytes fits no bucket`)
}

/**
 * Decodes an envelope.
 *
 * @throws TooLargeError when longer than {@link MAX_ENVELOPE_BYTES}
 * @throws InvalidInputError when its length is not a bucket, it is malformed, the id is not 16
 * bytes, `sealed` is empty or too long, or the padding is not zero bytes
 */
export function decodeEnvelope (bytes: Uint8Array): Envelope {
  checkSize(bytes, MAX_ENVELOPE_BYTES, 'envelope')
  if (!ENVELOPE_BUCKETS.includes(bytes.byteLength)) {
    throw new InvalidInputError(`envelope: ${bytes.byteLength} bytes is not one of the sizes ${ENVELOPE_BUCKETS.join(', ')}`)
  }
  const raw = decodeProto(() => pb.Envelope.decode(bytes, { limits: { padding: 2 } }), 'envelope')
  checkBytes(raw.id, ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'envelope id')
  if (raw.sealed.byteLength > MAX_SEALED_BYTES) {
    throw new TooLargeError(`envelope sealed: longer than ${MAX_SEALED_BYTES} bytes`)
  }
  checkBytes(raw.sealed, 1, MAX_SEALED_BYTES, 'envelope sealed')
  checkPadding(raw.padding, 'envelope')
  return { id: copyBytes(raw.id), sealed: copyBytes(raw.sealed) }
}
