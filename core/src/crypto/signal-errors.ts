// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Turns libsignal's errors into Sotto's named errors, so no raw libsignal error leaves `crypto/`.
 * Not part of the door.
 */
import { ErrorCode, LibSignalErrorBase } from '@signalapp/libsignal-client'
import {
  DuplicateEnvelopeError,
  IdentityChangedError,
  IdentityKeyChangedError,
  SottoError
} from '../errors.js'
import type { StoreContext } from './stores.js'

/** Makes the error for a libsignal failure that has no more specific meaning in this operation. */
export type FallbackError = (message: string, options: ErrorOptions) => SottoError

/**
 * Runs `fn` (one libsignal operation with the stores of `ctx`) and translates what it throws:
 * an exception a store callback threw comes back as itself; duplicate messages become
 * {@link DuplicateEnvelopeError}; untrusted identities {@link IdentityChangedError} (with the user id
 * and key when known); other libsignal errors `fallback`. Sotto's own errors pass through; anything
 * else is not libsignal's and is rethrown as is.
 */
export async function withSignal<T> (ctx: StoreContext, fallback: FallbackError, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw translate(err, ctx, fallback)
  }
}

function translate (err: unknown, ctx: StoreContext, fallback: FallbackError): unknown {
  if (ctx.failure !== undefined) {
    return ctx.failure
  }
  if (err instanceof SottoError) {
    return err
  }
  if (!(err instanceof LibSignalErrorBase)) {
    return err
  }
  switch (err.code) {
    case ErrorCode.DuplicatedMessage:
      return new DuplicateEnvelopeError('this message was already received', { cause: err })
    case ErrorCode.UntrustedIdentity:
      if (ctx.untrusted !== undefined) {
        return new IdentityKeyChangedError('the identity key of this user changed', ctx.untrusted.userId, ctx.untrusted.identityKey, { cause: err })
      }
      return new IdentityChangedError('the identity key of this user changed', { cause: err })
    default:
      return fallback(`libsignal refused the operation (${ErrorCode[err.code] ?? 'unknown'})`, { cause: err })
  }
}
