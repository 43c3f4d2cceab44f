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
  private readonly onMessage = (m: Message): void => { this.put(m) }
  private readonly onDelete = (e: MessengerEvents['delete']): void => { this.index.remove(e.id) }
  private readonly onExpired = (e: MessengerEvents['expired']): void => { for (const id of e.ids) this.index.remove(id) }

  constructor (private readonly components: MessageSearchComponents) {}

  /** How many messages are indexed. */
  get size (): number {
    return this.index.size
  }

  /** Follows the events first (nothing stored meanwhile is missed), then indexes every stored message. */
  async start (): Promise<void> {
    const { events, repos, log } = this.components
    events.on('message', this.onMessage)
    events.on('edit', this.onMessage)
    events.on('delete', this.onDelete)
    events.on('expired', this.onExpired)
    const began = Date.now()
    for await (const m of repos.messages.values(['msg'])) this.put(m)
    log.debug('search index built', { messages: this.index.size, ms: Date.now() - began })
  }

  /** Stops following the events. */
  stop (): void {
    const { events } = this.components
    events.off('message', this.onMessage)
    events.off('edit', this.onMessage)
    events.off('delete', this.onDelete)
    events.off('expired', this.onExpired)
  }

  /** Indexes a message as it is shown now (a deleted one has nothing to find). */
  put (m: Pick<Message, 'id' | 'contactId' | 'text' | 'sentAt' | 'deleted'>): void {
    if (m.deleted === true || m.text === '') this.index.remove(m.id)
    else this.index.put({ id: m.id, conversationId: m.contactId, text: m.text, sentAt: m.sentAt })
  }

  /** Forgets a conversation (its contact was deleted). */
  forget (contactId: string): void {
    this.index.removeConversation(contactId)
  }

  /** The messages holding every word of `query` (the last may be a prefix), newest first. */
  async search (query: string, options: { conversationId?: string, limit?: number } = {}): Promise<Message[]> {
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
