// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The statement of an installation that now holds its owner's identity: what a restored
 * installation sends its contacts (`installationMoved`) and the installation it replaced
 * (`installationReplaced`). The identity key signs the installation's number and its card, so
 * anyone who knows the identity key can check it, whoever carried it.
 */
import { InvalidInputError } from '../errors.js'
import * as pb from './sotto.js'
import { MAX_SIGNED_INVITE_CARD_BYTES } from './limits.js'
import { checkBytes, checkInteger, copyBytes, wireBytes } from './wire.js'
import type { ContentMoved } from './types.js'

/** The context of the identity key's signature over a {@link ContentMoved}. */
export const MOVED_SIGNATURE_CONTEXT = 'sotto:installation-moved:v1'

/** The highest installation number (the wire field is a uint32). */
export const MAX_INSTALLATION = 0xFFFFFFFF

const SIGNATURE_BYTES = 64

/** What the identity key signs: the context, the installation number (uint32, big-endian), the card. */
export function movedSigningInput (installation: number, card: Uint8Array): Uint8Array {
  checkInteger(installation, 1, MAX_INSTALLATION, 'moved installation')
  const context = new TextEncoder().encode(MOVED_SIGNATURE_CONTEXT)
  const out = new Uint8Array(context.length + 4 + card.length)
  out.set(context, 0)
  new DataView(out.buffer).setUint32(context.length, installation)
  out.set(card, context.length + 4)
  return out
}

/** Checks the fields of a statement (not its signature: see `verifyIdentitySignature`). */
export function checkMoved (moved: ContentMoved, what: string): void {
  if (moved == null || typeof moved !== 'object') throw new InvalidInputError(`${what}: expected an object`)
  checkInteger(moved.installation, 1, MAX_INSTALLATION, `${what} installation`)
  checkBytes(moved.card, 1, MAX_SIGNED_INVITE_CARD_BYTES, `${what} card`)
  checkBytes(moved.signature, SIGNATURE_BYTES, SIGNATURE_BYTES, `${what} signature`)
}

/** The wire form of a statement. */
export function movedToWire (moved: ContentMoved): pb.Content.Moved {
  return { installation: moved.installation, card: wireBytes(moved.card), signature: wireBytes(moved.signature) }
}

/** A statement read from the wire (checked by the Content's checks). */
export function movedFromWire (raw: pb.Content.Moved): ContentMoved {
  return { installation: raw.installation, card: copyBytes(raw.card), signature: copyBytes(raw.signature) }
}
