// SPDX-License-Identifier: AGPL-3.0-only
/**
 * What the `sotto` commands print for contacts, messages and relays, and the waits of one-shot
 * commands (a fresh process has just dialled its relays and contacts).
 */
import { TimeoutError } from '../errors.js'
import type { Contact, Group, Message, Messenger, RelayView } from '../messenger/index.js'

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
    unread: c.unread,
    disappearingSeconds: c.disappearingSeconds,
    presence: c.presence,
    mailboxes: c.mailboxes
  }
}

/** A message's line (its text included: this is the user's own display). */
export function messageLine (m: Message): Record<string, unknown> {
  return {
    id: m.id,
    contact: m.contactId,
    direction: m.direction,
    text: m.text,
    sentAt: m.sentAt,
    state: m.state,
    ...(m.expiresAt != null ? { expiresAt: m.expiresAt } : {}),
    ...(m.groupId != null ? { group: m.groupId, from: m.senderId } : {}),
    ...(m.recipientCount != null ? { delivered: m.deliveredCount, of: m.recipientCount } : {})
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
