// SPDX-License-Identifier: AGPL-3.0-only
/**
 * `sotto run`: online until stdin closes or a signal arrives, printing one JSON line per event and
 * answering one JSON command per line of stdin.
 */
import { createInterface } from 'node:readline'
import { contactLine, fileField, groupLine, relayLine } from './lines.js'
import type { Messenger } from '../messenger/index.js'

/** Where the CLI writes, and what `run` reads. */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  input: NodeJS.ReadableStream
}

/** Answers one JSON command line with a `result` or `error` line. */
export type LineDispatcher = (line: string) => Promise<Record<string, unknown>>

/** Serves `messenger` on `io` until its input closes or SIGTERM/SIGINT arrives. */
export async function serveSession (messenger: Messenger, io: CliIo, dispatch: LineDispatcher): Promise<void> {
  const json = (value: unknown): void => { io.out(JSON.stringify(value) + '\n') }
  // A printed line is the display: the message counts as read from there. Reads are marked once
  // per conversation per burst rather than once per message.
  const unread = new Set<string>()
  let marking: NodeJS.Timeout | undefined
  const markRead = async (): Promise<void> => {
    marking = undefined
    const contacts = [...unread]
    unread.clear()
    await Promise.all(contacts.map(async contactId => { await messenger.markRead(contactId).catch(() => {}) }))
  }
  messenger.on('message', m => {
    json({ event: 'message', from: m.senderId ?? m.contactId, ...(m.guest === true ? { guest: true } : {}), ...(m.groupId != null ? { group: m.groupId } : {}), id: m.id, text: m.text, ...fileField(m), sentAt: m.sentAt, ...(m.replyTo != null ? { replyTo: m.replyTo } : {}) })
    unread.add(m.contactId)
    marking ??= setTimeout(() => { void markRead() }, 100)
  })
  messenger.on('status', s => { json({ event: 'status', id: s.id, contact: s.contactId, state: s.state, ...(s.failure != null ? { failure: s.failure } : {}) }) })
  messenger.on('request', c => { json({ event: 'request', ...contactLine(c) }) })
  messenger.on('requestsDropped', e => { json({ event: 'requests-dropped', dropped: e.dropped }) })
  messenger.on('connection', c => { json({ event: 'connection', contact: c.contactId, presence: c.presence }) })
  messenger.on('expired', e => { json({ event: 'expired', contact: e.contactId, ids: e.ids }) })
  messenger.on('contact', c => { json({ event: 'contact', ...contactLine(c) }) })
  messenger.on('relay', r => { json({ event: 'relay', ...relayLine(r) }) })
  messenger.on('reaction', r => { json({ event: 'reaction', ...where(r.contactId, r.group), id: r.id, by: r.by, emoji: r.emoji }) })
  messenger.on('edit', m => { json({ event: 'edit', ...where(m.contactId, m.groupId), id: m.id, text: m.text, editedAt: m.editedAt }) })
  messenger.on('delete', d => { json({ event: 'delete', ...where(d.contactId, d.group), id: d.id, everyone: d.everyone }) })
  messenger.on('typing', t => { json({ event: 'typing', contact: t.contactId, started: t.started }) })
  messenger.on('file', f => { json({ event: 'progress', id: f.id, contact: f.contactId, state: f.state, bytes: f.bytes, total: f.total, ...(f.error != null ? { error: f.error } : {}), ...(f.reason != null ? { reason: f.reason } : {}) }) })
  messenger.on('replaced', r => { json({ event: 'replaced', installation: r.number, replacedBy: r.replacedBy }) })
  messenger.on('group', g => { json({ event: 'group', ...groupLine(g) }) })
  json({ event: 'ready', peerId: messenger.identity().peerId, addrs: messenger.addresses() })

  let pending = Promise.resolve()
  let finish = (): void => {}
  const done = new Promise<void>(resolve => { finish = resolve })
  const lines = createInterface({ input: io.input })
  lines.on('line', line => {
    if (line.trim() === '') return
    pending = pending.then(async () => json(await dispatch(line)))
  })
  lines.on('close', finish)
  process.once('SIGTERM', finish)
  process.once('SIGINT', finish)
  await done
  process.off('SIGTERM', finish)
  process.off('SIGINT', finish)
  await pending
  clearTimeout(marking)
  await markRead()
}

/** Where an action happened: `{ group }` for a group's message, else `{ contact }`. */
function where (contactId: string, group: string | undefined): { contact: string } | { group: string } {
  return group != null ? { group } : { contact: contactId }
}
