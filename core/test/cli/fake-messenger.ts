// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A messenger that records what it is asked and answers from memory, for unit tests of the
 * `sotto` command table. Nothing goes to a network or a disk.
 */
import { EventEmitter } from 'node:events'
import { NotFoundError, TimeoutError } from '../../src/errors.js'
import type { Contact, Group, GuestConversation, GuestLinkView, Message, Messenger, RelayView, Settings } from '../../src/messenger/index.js'

/** One call made to the fake: the method and its arguments. */
export interface Call {
  method: string
  args: unknown[]
}

/** A contact as the fake answers it; `name` is its alias and id. */
export function fakeContact (name: string): Contact {
  const flags = { verified: false, blocked: false, identityChanged: false }
  const counts = { disappearingSeconds: 0, unread: 0, mailboxes: 0, held: 0 }
  return { id: `id-${name}`, alias: name, displayName: name, peerId: `peer-${name}`, status: 'contact', safetyNumber: '12345', presence: 'offline', ...flags, ...counts }
}

/** A group as the fake answers it: named `name`, its members the user and `members`. */
function fakeGroup (name: unknown, members: unknown[] = []): Group {
  if (name !== 'Friends') throw new NotFoundError(`no group ${String(name)}`)
  const me = { id: 'me', name: 'Me', admin: true, contact: false }
  return {
    id: 'g1', name, members: [me, ...members.map(m => ({ id: `id-${String(m)}`, name: String(m), admin: false, contact: true }))],
    invited: [], member: true, admin: true, maxMembers: 100, disappearingSeconds: 0, unread: 0, lastActivity: 0
  }
}

function fakeRelay (addr: string): RelayView {
  return { addr, peerId: 'peer-relay', reachable: true, reserved: true, mailboxReady: true }
}

/** A fake messenger, and the calls made to it. */
export function fakeMessenger (): { messenger: Messenger, calls: Call[] } {
  const calls: Call[] = []
  const events = new EventEmitter()
  let settings: Settings = { mdns: true, readReceipts: true, typingIndicators: false, hideIp: false, excludedJurisdictions: [], autoDownloadBytes: 1024, maxFileBytes: 4096 }
  const contact = (name: unknown): Contact => {
    if (name !== 'bob' && name !== 'id-bob') throw new NotFoundError(`no contact ${String(name)}`)
    return fakeContact('bob')
  }
  const message: Message = { id: 'm1', contactId: 'id-bob', direction: 'out', text: 'hi', sentAt: 1, storedAt: 1, state: 'queued' }
  const answers: Record<string, (...args: unknown[]) => unknown> = {
    identity: () => ({ userId: 'me', peerId: 'peer-me', name: 'Me' }),
    addresses: () => ['/ip4/127.0.0.1/tcp/1'],
    invite: async () => 'sotto://invite/me',
    addContact: async () => fakeContact('bob'),
    contacts: async () => [fakeContact('bob'), fakeContact('carol')],
    requests: async () => [fakeContact('dave')],
    droppedRequests: async () => 3,
    accept: async (c) => contact(c),
    block: async (c) => contact(c),
    unblock: async (c) => contact(c),
    acceptIdentityChange: async (c) => contact(c),
    keepIdentity: async (c) => contact(c),
    setDisappearing: async (c, seconds) => ({ ...contact(c), disappearingSeconds: seconds }),
    send: async (c) => { contact(c); return message },
    sendFile: async (c) => { contact(c); return { ...message, text: '', file: { name: 'photo.jpg', size: 3, mime: 'image/jpeg', state: 'waiting' } } },
    saveFile: async (id, path) => ({ path, size: 3, sha256: `sha256 of ${String(id)}` }),
    waitForState: async () => { throw new TimeoutError('not delivered') },
    history: async (c) => { contact(c); return [message] },
    markRead: async (c) => { contact(c) },
    reply: async (c, id) => { contact(c); return { ...message, replyTo: id } },
    react: async (_id, emoji) => ({ ...message, reactions: [{ by: 'me', emoji }] }),
    edit: async (_id, text) => ({ ...message, text, editedAt: 2 }),
    deleteMessage: async () => {},
    search: async (_q, options) => { if ((options as { in?: string }).in != null) contact((options as { in: string }).in); return [message] },
    typing: async (c) => { contact(c) },
    settings: async () => settings,
    updateSettings: async (patch) => { settings = { ...settings, ...(patch as Partial<Settings>) }; return settings },
    relays: async () => [fakeRelay('/ip4/10.0.0.1/tcp/1/p2p/relay')],
    addRelay: async (addr) => fakeRelay(String(addr)),
    removeRelay: async () => {},
    stop: async () => {},
    groups: async () => [fakeGroup('Friends')],
    createGroup: async (name, members) => fakeGroup(name, members as unknown[]),
    addToGroup: async (g, c) => fakeGroup(g, [c]),
    removeFromGroup: async (g) => fakeGroup(g),
    renameGroup: async (g, name) => ({ ...fakeGroup(g), name }),
    setGroupDisappearing: async (g, seconds) => ({ ...fakeGroup(g), disappearingSeconds: seconds }),
    leaveGroup: async (g) => ({ ...fakeGroup(g, []), member: false }),
    createGuestLink: async (o) => fakeGuestLink((o as { label?: string }).label ?? ''),
    guestLinks: async () => [fakeGuestLink('Bike')],
    revokeGuestLink: async (id) => ({ ...fakeGuestLink('Bike'), id: String(id), revoked: true }),
    guestConversations: async () => [fakeGuest(false)],
    blockGuest: async () => fakeGuest(true),
    inviteGuest: async () => ({ id: 'm-invite', contactId: 'guest-1', direction: 'out', text: 'I invite you to Sotto', sentAt: 1, storedAt: 1, state: 'sent', guest: true })
  }
  const messenger = new Proxy({}, {
    get (_target, prop) {
      if (prop === 'on' || prop === 'off') return (name: string, fn: (...a: unknown[]) => void) => { events[prop](name, fn) }
      const answer = answers[prop as string]
      if (answer == null) return undefined
      return (...args: unknown[]) => {
        if (prop !== 'identity' && prop !== 'addresses') calls.push({ method: prop as string, args })
        return answer(...args)
      }
    }
  }) as unknown as Messenger
  return { messenger, calls }
}

function fakeGuestLink (label: string): GuestLinkView {
  return { id: 'link1', label, link: 'http://127.0.0.1:1/g#v=1', maxConversations: 20, messagesPerHour: 30, createdAt: 1, revoked: false }
}

function fakeGuest (blocked: boolean): GuestConversation {
  return { id: 'guest-1', linkId: 'link1', label: 'Bike', blocked, createdAt: 1, lastAt: 2, unread: 1, notice: 'guest: encrypted, no forward secrecy, the relay sees the guest\'s IP', invited: false }
}
