// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Search over the text a user can see: an in-memory {@link SearchIndex} built at unlock from the
 * encrypted store, and kept current from the messenger's events (a message arrived, was edited,
 * deleted, disappeared) and the messages sent here. Nothing of it is written anywhere (see
 * ARCHITECTURE.md, Decisions).
 */
import { SearchIndex } from '../search/index.js'
import { toMessage } from './context.js'
import type { Logger } from '../logger.js'
import type { Events } from './context.js'
import type { Repositories } from './state.js'
import type { Message, MessengerEvents } from './types.js'

/** What message search uses. */
export interface MessageSearchComponents {
  repos: Pick<Repositories, 'messages' | 'message'>
  events: Events
  log: Logger
}

/** The messenger's search index and its upkeep. */
export class MessageSearch {
  private readonly index = new SearchIndex()
  /**
   * While the index is built: the messages (and conversations) changed since, by id, which the
   * stored copies read by the build must not undo.
   */
  private touched?: Set<string>
  private building: Promise<void> = Promise.resolve()
  private readonly onMessage = (m: Message): void => { this.put(m) }
  private readonly onDelete = (e: MessengerEvents['delete']): void => { this.remove(e.id) }
  private readonly onExpired = (e: MessengerEvents['expired']): void => { for (const id of e.ids) this.remove(id) }

  constructor (private readonly components: MessageSearchComponents) {}

  /** How many messages are indexed. */
  get size (): number {
    return this.index.size
  }

  /**
   * Follows the events first (nothing stored meanwhile is missed), then indexes every stored
   * message in the background: unlocking does not wait for it (seconds for 100,000 messages on a
   * slow machine), a search does.
   */
  start (): void {
    const { events } = this.components
    events.on('message', this.onMessage)
    events.on('edit', this.onMessage)
    events.on('delete', this.onDelete)
    events.on('expired', this.onExpired)
    this.touched = new Set()
    this.building = this.build().finally(() => { this.touched = undefined })
  }

  /** Stops following the events; waits for a build under way to end. */
  async stop (): Promise<void> {
    const { events } = this.components
    events.off('message', this.onMessage)
    events.off('edit', this.onMessage)
    events.off('delete', this.onDelete)
    events.off('expired', this.onExpired)
    await this.building
  }

  /** Indexes a message as it is shown now (a deleted one has nothing to find). */
  put (m: Pick<Message, 'id' | 'contactId' | 'text' | 'sentAt' | 'deleted'>): void {
    this.touched?.add(m.id)
    if (m.deleted === true || m.text === '') this.index.remove(m.id)
    else this.index.put({ id: m.id, conversationId: m.contactId, text: m.text, sentAt: m.sentAt })
  }

  private remove (id: string): void {
    this.touched?.add(id)
    this.index.remove(id)
  }

  private async build (): Promise<void> {
    const { repos, log } = this.components
    const began = Date.now()
    try {
      for await (const m of repos.messages.values(['msg'])) {
        const touched = this.touched?.has(m.id) === true || this.touched?.has(m.contactId) === true
        if (!touched && m.deleted !== true) this.index.put({ id: m.id, conversationId: m.contactId, text: m.text, sentAt: m.sentAt })
      }
      log.debug('search index built', { messages: this.index.size, ms: Date.now() - began })
    } catch (err) {
      // The store closed under it (the messenger stopped): nothing to search any more.
      log.debug('search index not built', { error: (err as Error).name })
    }
  }

  /** Forgets a conversation (its contact was deleted). */
  forget (contactId: string): void {
    // A build under way may still read stored copies of its messages: they are skipped.
    this.touched?.add(contactId)
    this.index.removeConversation(contactId)
  }

  /** The messages holding every word of `query` (the last may be a prefix), newest first. */
  async search (query: string, options: { conversationId?: string, limit?: number } = {}): Promise<Message[]> {
    await this.building
    const hits = this.index.search(query, options)
    const found: Message[] = []
    for (const hit of hits) {
      const m = await this.components.repos.message(hit.id)
      // Gone between the event and now: the index catches up with the event.
      if (m != null && m.deleted !== true) found.push(toMessage(m))
    }
    return found
  }
}
