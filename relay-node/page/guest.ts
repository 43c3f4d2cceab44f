// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest page's script (bundled by `relay-node/scripts/build-page.mjs`, served by the relay at
 * `/g/guest.js`). It reads the guest link from the URL fragment, keeps the guest's keys and the
 * conversation in this browser's storage, and runs the same `GuestClient` the tests run under Node.
 */
import { GuestClient } from '../src/guest/client.js'
import { decodeGuestLink, fromBase64url, toBase64url } from '@sotto/core/guest'

/** What this browser keeps per link. */
interface Saved {
  resume: string
  messages: Array<{ id: string, from: 'me' | 'them', text: string, at: number, note?: string, invite?: string }>
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const log = $<HTMLOListElement>('log')
const status = $<HTMLParagraphElement>('status')
const form = $<HTMLFormElement>('compose')
const input = $<HTMLTextAreaElement>('text')
const send = $<HTMLButtonElement>('send')
const resume = $<HTMLAnchorElement>('resume')

function say (text: string): void { status.textContent = text }

function storageKey (linkId: Uint8Array): string { return `sotto-guest:${toBase64url(linkId)}` }

function load (key: string): Saved | undefined {
  try {
    const raw = localStorage.getItem(key)
    return raw == null ? undefined : JSON.parse(raw) as Saved
  } catch {
    return undefined
  }
}

function save (key: string, saved: Saved): void {
  try { localStorage.setItem(key, JSON.stringify(saved)) } catch { /* private mode: the resume link still works */ }
}

/** Who the invitation adds: the link's label, or its owner. */
let owner = 'the owner of this link'

/** "Invite to Sotto": a link only to the app (`sotto://`), never anything else; its text as text. */
function invitation (invite: string): HTMLElement {
  const a = document.createElement('a')
  a.className = 'invite'
  a.textContent = `Install Sotto and add ${owner}`
  if (invite.startsWith('sotto://')) a.href = invite
  const copy = document.createElement('code')
  copy.textContent = invite
  const block = document.createElement('p')
  block.append(a, document.createElement('br'), copy)
  return block
}

function show (m: Saved['messages'][number]): void {
  const item = document.createElement('li')
  item.className = m.from
  const who = document.createElement('span')
  who.className = 'who'
  who.textContent = m.from === 'me' ? 'You' : 'Reply'
  const body = document.createElement('p')
  body.textContent = m.text
  item.append(who, body)
  if (m.invite != null) item.append(invitation(m.invite))
  if (m.note != null) {
    const note = document.createElement('span')
    note.className = 'note'
    note.textContent = m.note
    item.append(note)
  }
  log.append(item)
}

async function main (): Promise<void> {
  const text = location.href
  const link = decodeGuestLink(text)
  if (link.label !== '') {
    $('title').textContent = `Write to ${link.label}`
    owner = link.label
  }
  const key = storageKey(link.id)
  const saved: Saved = load(key) ?? { resume: '', messages: [] }
  for (const m of saved.messages) show(m)
  const secret = link.resume ?? (saved.resume !== '' ? fromBase64url(saved.resume, 'saved keys') : undefined)
  say('Connecting…')
  const client = await GuestClient.open(text, secret != null ? { resume: secret } : {})
  saved.resume = toBase64url(client.resumeSecret())
  save(key, saved)
  resume.href = client.resumeLink()
  resume.hidden = false
  const keep = (m: Saved['messages'][number]): void => {
    if (saved.messages.some(x => x.id === m.id)) return
    saved.messages.push(m)
    save(key, saved)
    show(m)
  }
  const onReply = (r: { id: string, text: string, sentAt: number, invite?: string }): void => {
    keep({ id: r.id, from: 'them', text: r.text, at: r.sentAt, ...(r.invite != null ? { invite: r.invite } : {}) })
  }
  for (const r of await client.replies()) onReply(r)
  await client.watch(onReply)
  send.disabled = false
  say('Connected. Write your message below.')
  form.addEventListener('submit', event => {
    event.preventDefault()
    const value = input.value.trim()
    if (value === '') { say('Write something first.'); input.focus(); return }
    send.disabled = true
    say('Sending…')
    client.send(value).then(sent => {
      keep({ id: sent.id, from: 'me', text: value, at: sent.sentAt, note: sent.path === 'live' ? 'delivered' : 'waiting at the relay: they are offline' })
      input.value = ''
      say(sent.path === 'live' ? 'Delivered.' : 'Sent. They are offline now and will get it when they are back.')
    }, (err: Error) => {
      say(err.name === 'GuestLinkRevokedError' ? 'This link no longer works: its owner revoked it.'
        : err.name === 'GuestBlockedError' ? 'The owner of this link does not accept your messages.'
          : err.name === 'RateLimitedError' ? 'Too many messages for now. Try again later.'
            : `Not sent: ${err.message}`)
    }).finally(() => { send.disabled = false; input.focus() })
  })
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit()
  })
}

main().catch((err: Error) => { say(`This link does not work here: ${err.message}`) })
