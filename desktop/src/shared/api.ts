// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The shape of `window.sotto`: one function per call and one subscription function per event.
 * The preload implements it over Electron IPC; the headless client implements it over a WebSocket.
 */
import type { EventName, Method } from './channels.js'
import type { Events, Replies, Requests, Result } from './contract.js'

/** One call: takes its payload (none for calls without one) and resolves to a result. */
export type BridgeCall<M extends Method> = Requests[M] extends undefined
  ? () => Promise<Result<Replies[M]>>
  : (request: Requests[M]) => Promise<Result<Replies[M]>>

/** The subscription function name of an event: `message` → `onMessage`. */
export type EventSubscriberName<E extends EventName> = `on${Capitalize<E>}`

/** Subscribes to one event; returns the function that unsubscribes. */
export type BridgeSubscribe<E extends EventName> = (listener: (payload: Events[E]) => void) => () => void

/** `window.sotto`. */
export type SottoBridge =
  { readonly [M in Method]: BridgeCall<M> } &
  { readonly [E in EventName as EventSubscriberName<E>]: BridgeSubscribe<E> }

/** The subscription function name of an event. */
export function subscriberName<E extends EventName> (event: E): EventSubscriberName<E> {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as EventSubscriberName<E>
}
