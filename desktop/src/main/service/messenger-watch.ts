// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Watches a running messenger for the service: forwards its events as the contract's views, keeps
 * the unread count (for the tray) and finds out when the messenger is online.
 */
import { contactView, fileProgressView, messageView } from '../views.js'
import { groupView } from '../group-views.js'
import type { EventHub } from './event-hub.js'
import type { Events, MessageView, RelayView } from '../../shared/contract.js'
import type { Logger, Messenger, MessengerEvents, RelayView as HomeRelay } from '@sotto/core'

/** What a {@link MessengerWatch} uses. */
export interface MessengerWatchComponents {
  /** Where events go. */
  events: EventHub
  /** A home relay's view. */
  homeRelayView: (relay: HomeRelay) => RelayView
  /** Called once, when the messenger is first online. */
  onOnline: () => void
  /** Called with each new incoming message, after it was pushed. */
  onMessage?: (message: MessageView) => void
  /** Logger. */
  log?: Logger
}

/** Options of a {@link MessengerWatch}. */
export interface MessengerWatchInit {
  /** First delay between online checks, in ms; it doubles up to {@link maxCheckDelay}. Default 50. */
  firstCheckDelay?: number
  /** Longest delay between online checks, in ms. Default 5000. */
  maxCheckDelay?: number
}

/** Forwards one messenger's events; {@link stop} detaches it. */
export class MessengerWatch {
  /** Unread incoming messages (of contacts and groups) and pending requests. */
  unread = 0
  /** Listening and, with home relays, holding a reservation at one of them. */
  online = false
  private stopped = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly unsubscribers: Array<() => void> = []
  private readonly firstCheckDelay: number
  private readonly maxCheckDelay: number

  constructor (private readonly messenger: Messenger, private readonly components: MessengerWatchComponents, init: MessengerWatchInit = {}) {
    this.firstCheckDelay = init.firstCheckDelay ?? 50
    this.maxCheckDelay = init.maxCheckDelay ?? 5000
  }

  /** Subscribes to the messenger's events and starts counting and checking. */
  start (): void {
    const { events } = this.components
    this.on('message', message => {
      const view = messageView(message)
      events.push('message', view)
      this.components.onMessage?.(view)
      void this.refreshUnread()
    })
    this.on('status', s => {
      const payload: Events['status'] = { id: s.id, contactId: s.contactId, state: s.state }
      if (s.failure != null) payload.failure = s.failure
      if (s.recipientCount != null) Object.assign(payload, { deliveredCount: s.deliveredCount ?? 0, recipientCount: s.recipientCount })
      events.push('status', payload)
    })
    this.on('request', contact => {
      events.push('request', contactView(contact))
      void this.refreshUnread()
    })
    this.on('contact', contact => {
      events.push('contact', contactView(contact))
      void this.refreshUnread()
    })
    this.on('connection', c => { events.push('connection', { contactId: c.contactId, presence: c.presence }) })
    this.on('expired', e => {
      events.push('expired', { contactId: e.contactId, ids: [...e.ids] })
      void this.refreshUnread()
    })
    this.on('reaction', r => { events.push('reaction', { contactId: r.contactId, id: r.id, by: r.by, emoji: r.emoji }) })
    this.on('edit', m => { events.push('edit', messageView(m)) })
    this.on('delete', d => { events.push('delete', { contactId: d.contactId, id: d.id, everyone: d.everyone }) })
    this.on('typing', t => { events.push('typing', { contactId: t.contactId, started: t.started }) })
    this.on('file', f => { events.push('file', fileProgressView(f)) })
    this.on('group', g => {
      events.push('group', groupView(g))
      void this.refreshUnread()
    })
    this.on('relay', r => {
      events.push('relay', this.components.homeRelayView(r))
      this.checkOnline()
    })
    void this.refreshUnread()
    this.checkOnline(this.firstCheckDelay)
  }

  /** Detaches from the messenger. */
  stop (): void {
    this.stopped = true
    clearTimeout(this.timer)
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe()
  }

  /** Counts unread messages and pending requests again; pushes `unread` when the total changed. */
  async refreshUnread (): Promise<void> {
    if (this.stopped) return
    try {
      const [contacts, requests, groups] = await Promise.all([this.messenger.contacts(), this.messenger.requests(), this.messenger.groups()])
      const total = contacts.reduce((n, c) => n + (c.blocked ? 0 : c.unread), 0) +
        requests.filter(r => !r.blocked).length + groups.reduce((n, g) => n + g.unread, 0)
      if (total !== this.unread && !this.stopped) {
        this.unread = total
        this.components.events.push('unread', { total })
      }
    } catch (err) {
      // A count still running when the messenger stops finds its store closed: nothing to report.
      if (!this.stopped) this.components.log?.warn('could not count unread messages', { error: (err as Error).name })
    }
  }

  /**
   * Online: listening, and with home relays, holding a reservation at one of them (so contacts can
   * reach this messenger). Checked at start, on every relay event, and again, less and less often,
   * until then.
   */
  private checkOnline (delay?: number): void {
    if (this.stopped || this.online) return
    void this.messenger.relays().then(relays => {
      if (this.stopped || this.online) return
      if (relays.length === 0 ? this.messenger.addresses().length > 0 : relays.some(r => r.reserved)) {
        this.online = true
        clearTimeout(this.timer)
        this.components.log?.info('online', { relays: relays.length })
        this.components.onOnline()
      } else if (delay != null) {
        this.timer = setTimeout(() => { this.checkOnline(Math.min(delay * 2, this.maxCheckDelay)) }, delay)
        this.timer.unref?.()
      }
    }, err => { this.components.log?.warn('could not list relays', { error: (err as Error).name }) })
  }

  private on<K extends keyof MessengerEvents> (event: K, listener: (e: MessengerEvents[K]) => void): void {
    this.messenger.on(event, listener)
    this.unsubscribers.push(() => { this.messenger.off(event, listener) })
  }
}
