// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The renderer's view of the main side: `window.sotto` (or the headless WebSocket bridge) with
 * results unwrapped, so screens can `await` values and catch {@link SottoCallError}s.
 */
import { METHODS } from '../shared/channels.js'
import type { BridgeCall, SottoBridge } from '../shared/api.js'
import type { Method } from '../shared/channels.js'
import type { ErrorView, Replies } from '../shared/contract.js'

/** A call that came back `{ ok: false }`. `name` is the error's name on the main side. */
export class SottoCallError extends Error {
  constructor (error: ErrorView) {
    super(error.message)
    this.name = error.name
  }
}

/** One unwrapped call. */
export type ClientCall<M extends Method> = (...args: Parameters<BridgeCall<M>>) => Promise<Replies[M]>

/** Every call, unwrapped, plus the bridge for event subscriptions. */
export type SottoClient = { readonly [M in Method]: ClientCall<M> } & {
  /** The underlying bridge (for `onMessage` and the other subscriptions). */
  readonly bridge: SottoBridge
}

/** Wraps a bridge. */
export function createClient (bridge: SottoBridge): SottoClient {
  const client: Record<string, unknown> = { bridge }
  for (const method of METHODS) {
    client[method] = async (...args: unknown[]) => {
      const call = bridge[method] as (...a: unknown[]) => Promise<{ ok: true, value: unknown } | { ok: false, error: ErrorView }>
      const result = await call(...args)
      if (!result.ok) throw new SottoCallError(result.error)
      return result.value
    }
  }
  return client as SottoClient
}

/** A message fit to show for any error a call threw. */
export function errorMessage (err: unknown): string {
  if (err instanceof Error) return err.message
  return 'Something went wrong'
}
