// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The service's pushed events: listeners subscribe, the service pushes. A listener that throws is
 * logged and skipped, so one broken window or socket cannot stop the others from hearing.
 */
import type { Events, PushedEvent } from '../../shared/contract.js'
import type { Logger } from '@sotto/core'

/** Fans pushed events out to listeners. */
export class EventHub {
  private readonly listeners = new Set<(event: PushedEvent) => void>()

  constructor (private readonly log?: Logger) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe (listener: (event: PushedEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Pushes one event to every listener. */
  push<E extends PushedEvent['name']> (name: E, payload: Events[E]): void {
    const event = { name, payload } as PushedEvent
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        this.log?.error('event listener failed', { event: name, error: (err as Error).name })
      }
    }
  }

  /** Removes every listener (at stop). */
  clear (): void {
    this.listeners.clear()
  }
}
