// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Frames of `/sotto/message/1.0.0`: Deliver (sender to recipient) and Receipt (the answer).
 */
import { InvalidInputError, TooLargeError } from '../errors.js'
import { ENVELOPE_ID_BYTES, MAX_ENVELOPE_BYTES, MAX_MESSAGE_FRAME_BYTES, MAX_RECEIPT_REASON_LENGTH } from './limits.js'
import * as pb from './sotto.js'
import { checkBytes, checkSize, checkText, copyBytes, decodeProto, wireBytes } from './wire.js'
import type { MessageFrame, ReceiptFrame, ReceiptStatus } from './types.js'

const STATUSES: Record<ReceiptStatus, pb.MessageFrame.Receipt.Status> = {
  STORED: pb.MessageFrame.Receipt.Status.STORED,
  DUPLICATE: pb.MessageFrame.Receipt.Status.DUPLICATE,
  REJECTED: pb.MessageFrame.Receipt.Status.REJECTED
}

/**
 * Encodes a frame.
 *
 * @throws InvalidInputError when not exactly one of `deliver` and `receipt` is set, or a field is invalid
 * @throws TooLargeError when the envelope is longer than {@link MAX_ENVELOPE_BYTES}
 */
export function encodeMessageFrame (frame: MessageFrame): Uint8Array<ArrayBuffer> {
  checkFrame(frame)
  const message: pb.MessageFrame = {}
  if (frame.deliver != null) {
    message.deliver = { envelope: wireBytes(frame.deliver.envelope) }
  } else if (frame.receipt != null) {
    message.receipt = { id: wireBytes(frame.receipt.id), status: STATUSES[frame.receipt.status], reason: frame.receipt.reason ?? '' }
  }
  const bytes = pb.MessageFrame.encode(message)
  if (bytes.byteLength > MAX_MESSAGE_FRAME_BYTES) {
    throw new TooLargeError(`message frame: ${bytes.byteLength} bytes, at most ${MAX_MESSAGE_FRAME_BYTES} allowed`)
  }
  return bytes
}

/**
 * Decodes a frame. The envelope of a Deliver is only size-checked: decode it with `decodeEnvelope`
 * (a recipient answers REJECTED with an empty id to an envelope it cannot read).
 *
 * @throws TooLargeError when longer than {@link MAX_MESSAGE_FRAME_BYTES}
 * @throws InvalidInputError when malformed, empty, or a field is invalid
 */
export function decodeMessageFrame (bytes: Uint8Array): MessageFrame {
  checkSize(bytes, MAX_MESSAGE_FRAME_BYTES, 'message frame')
  const raw = decodeProto(() => pb.MessageFrame.decode(bytes), 'message frame')
  const frame: MessageFrame = {}
  if (raw.deliver != null) {
    frame.deliver = { envelope: copyBytes(raw.deliver.envelope) }
  } else if (raw.receipt != null) {
    const status = (Object.keys(STATUSES) as ReceiptStatus[]).find(s => STATUSES[s] === raw.receipt?.status)
    if (status === undefined) {
      throw new InvalidInputError('message frame receipt: no status')
    }
    const receipt: ReceiptFrame = { id: copyBytes(raw.receipt.id), status }
    if (raw.receipt.reason !== '') receipt.reason = raw.receipt.reason
    frame.receipt = receipt
  }
  checkFrame(frame)
  return frame
}

function checkFrame (frame: MessageFrame): void {
  if (frame == null || typeof frame !== 'object') {
    throw new InvalidInputError('message frame: expected an object')
  }
  if ((frame.deliver != null) === (frame.receipt != null)) {
    throw new InvalidInputError('message frame: expected exactly one of deliver and receipt')
  }
  if (frame.deliver != null) {
    if (frame.deliver.envelope instanceof Uint8Array && frame.deliver.envelope.byteLength > MAX_ENVELOPE_BYTES) {
      throw new TooLargeError(`message frame envelope: longer than ${MAX_ENVELOPE_BYTES} bytes`)
    }
    checkBytes(frame.deliver.envelope, 1, MAX_ENVELOPE_BYTES, 'message frame envelope')
  }
  if (frame.receipt != null) {
    const { id, status, reason } = frame.receipt
    if (!Object.hasOwn(STATUSES, status)) {
      throw new InvalidInputError('message frame receipt: unknown status')
    }
    checkBytes(id, status === 'REJECTED' ? 0 : ENVELOPE_ID_BYTES, ENVELOPE_ID_BYTES, 'message frame receipt id')
    if (id.byteLength !== 0 && id.byteLength !== ENVELOPE_ID_BYTES) {
      throw new InvalidInputError(`message frame receipt id: ${id.byteLength} bytes, expected 0 or ${ENVELOPE_ID_BYTES}`)
    }
    if (reason != null) checkText(reason, MAX_RECEIPT_REASON_LENGTH, 'message frame receipt reason', true)
  }
}
