// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the `sotto` commands print for contacts, messages and relays, and the waits of one-shot
 * commands (a fresh process has just dialled its relays and contacts).
 */
import { TimeoutError } from '../errors.js'
import type { Contact, FileState, Group, Message, Messenger, MessengerEvents, RelayView } from '../messenger/index.js'

/** A relay's line: its address, what it publishes about itself, and its state. */
export function relayLine (r: RelayView): Record<string, unknown> {
  return {
    addr: r.addr,
    peerId: r.peerId,
    ...(r.info != null
      ? {
          operator: r.info.operator,
          contact: r.info.contact,
          jurisdiction: r.info.jurisdiction,
          retentionSeconds: r.info.retentionSeconds,
          maxEnvelopeBytes: r.info.maxEnvelopeBytes,
          mailboxMaxEnvelopes: r.info.mailboxMaxEnvelopes,
          mailboxMaxBytes: r.info.mailboxMaxBytes,
          contactRate: r.info.contactRate,
          introductionRate: r.info.introductionRate,
          version: r.info.version
        }
      : {}),
    reachable: r.reachable,
    reserved: r.reserved,
    mailboxReady: r.mailboxReady
  }
}

/** A contact's line. */
export function contactLine (c: Contact): Record<string, unknown> {
  return {
    contact: c.id,
    alias: c.alias,
    name: c.displayName,
    peerId: c.peerId,
    status: c.status,
    safetyNumber: c.safetyNumber,
    verified: c.verified,
    blocked: c.blocked,
    identityChanged: c.identityChanged,
    held: c.held,
    unread: c.unread,
    disappearingSeconds: c.disappearingSeconds,
    presence: c.presence,
    mailboxes: c.mailboxes,
    ...(c.fromGuest != null ? { fromGuest: c.fromGuest } : {})
  }
}

/** A message's line (its text included: this is the user's own display). */
export function messageLine (m: Message): Record<string, unknown> {
  return {
    id: m.id,
    contact: m.contactId,
    direction: m.direction,
    text: m.text,
    ...fileField(m),
    sentAt: m.sentAt,
    state: m.state,
    ...(m.guest === true ? { guest: true } : {}),
    ...(m.expiresAt != null ? { expiresAt: m.expiresAt } : {}),
    ...(m.replyTo != null ? { replyTo: m.replyTo } : {}),
    ...(m.reactions != null ? { reactions: m.reactions } : {}),
    ...(m.editedAt != null ? { editedAt: m.editedAt } : {}),
    ...(m.deleted === true ? { deleted: true } : {}),
    ...(m.groupId != null ? { group: m.groupId, from: m.senderId } : {}),
    ...(m.recipientCount != null ? { delivered: m.deliveredCount, of: m.recipientCount } : {})
  }
}

/** `{"file":{"name","size","mime","state"}}` for a file message, else nothing. */
export function fileField (m: Message): Record<string, unknown> {
  if (m.file == null) return {}
  return { file: { name: m.file.name, size: m.file.size, mime: m.file.mime, state: m.file.state, ...(m.file.error != null ? { error: m.file.error } : {}) } }
}

/**
 * Sends a file; with `timeoutMs` (a one-shot command line, which exits after its answer), waits
 * that long for delivery and for the file's chunks to reach the contact or its relay (`file`: its
 * state then).
 */
export async function sendFileCommand (messenger: Messenger, to: string, path: string, timeoutMs?: number): Promise<Record<string, unknown>> {
  const settled = new Map<string, FileState>()
  let wake = (): void => {}
  const onFile = (e: MessengerEvents['file']): void => {
    if (e.state === 'waiting' || e.state === 'transferring') return
    settled.set(e.id, e.state)
    wake()
  }
  messenger.on('file', onFile)
  try {
    const message = await messenger.sendFile(to, path)
    if (timeoutMs == null) return { id: message.id, state: message.state, file: message.file?.state ?? 'waiting' }
    const deadline = Date.now() + timeoutMs
    const state = await settledState(messenger, message, timeoutMs)
    if (!settled.has(message.id)) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
        wake = () => { if (settled.has(message.id)) { clearTimeout(timer); resolve() } }
      })
    }
    return { id: message.id, state, file: settled.get(message.id) ?? message.file?.state ?? 'waiting' }
  } finally {
    messenger.off('file', onFile)
  }
}

/** A group's line: its id, name, members (each with id, name, admin) and who was asked to join. */
export function groupLine (g: Group): Record<string, unknown> {
  return {
    group: g.id,
    name: g.name,
    members: g.members.map(m => ({ id: m.id, name: m.name, admin: m.admin })),
    invited: g.invited,
    member: g.member,
    admin: g.admin,
    maxMembers: g.maxMembers,
    disappearingSeconds: g.disappearingSeconds,
    unread: g.unread
  }
}

/** Waits up to `timeoutMs` for the message to be delivered; answers the state it reached. */
export async function settledState (messenger: Messenger, message: Message, timeoutMs: number): Promise<string> {
  // A reply to a guest is `sent` once in the guest's mailbox: no receipt ever comes back.
  if (message.guest === true) return message.state
  try {
    return (await messenger.waitForState(message.id, ['delivered'], timeoutMs)).state
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err
    const [latest] = (await messenger.history(message.contactId)).filter(m => m.id === message.id)
    return latest?.state ?? message.state
  }
}

/** The relays once each is reachable, or after a few seconds: a fresh process has just dialled them. */
export async function settledRelays (messenger: Messenger, waitMs = 3000): Promise<RelayView[]> {
  const deadline = Date.now() + waitMs
  let relays = await messenger.relays()
  while (relays.some(r => !r.reachable) && Date.now() < deadline) {
    await new Promise<void>(resolve => {
      const done = (): void => { clearTimeout(timer); messenger.off('relay', done); resolve() }
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()))
      messenger.on('relay', done)
    })
    relays = await messenger.relays()
  }
  return relays
}
