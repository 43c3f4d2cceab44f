// SPDX-License-Identifier: AGPL-3.0-only
import '../fixtures/dom.js'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { afterEach, describe, it } from 'node:test'
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { UPLOAD_CHUNK_BYTES } from '../../src/shared/contract.js'
import { renderApp } from '../fixtures/app-harness.js'
import type { Harness } from '../fixtures/app-harness.js'
import type { MemoryMessenger } from '../fixtures/memory-messenger.js'
import type { DesktopService } from '../../src/main/desktop-service.js'
import type { MessageView } from '../../src/shared/contract.js'

let h: Harness
let bob = ''
afterEach(async () => { await h.close() })

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

async function openChat (seed?: (m: MemoryMessenger) => void, prepare?: (service: DesktopService) => void): Promise<HTMLElement> {
  h = await renderApp({
    seed: m => {
      bob = m.seedContact('Bob', { presence: 'relay' }).id
      seed?.(m)
    },
    ...(prepare != null ? { prepare } : {})
  })
  const list = await screen.findByRole('list', { name: 'Conversations' })
  await h.user.click(within(list).getByRole('button', { name: /Bob/ }))
  await screen.findByRole('heading', { level: 2, name: 'Bob' })
  return screen.getByRole('region', { name: 'Bob' })
}

/** The card of the file named `name`, once shown. */
async function cardOf (name: string): Promise<HTMLElement> {
  const log = await screen.findByRole('log', { name: 'Messages with Bob' })
  return (await within(log).findByText(name)).closest('.file-card') as HTMLElement
}

describe('chat screen: sending files', () => {
  it('sends an attached file in pieces, as it was, and shows its transfer and delivery states', async () => {
    await openChat()
    const bytes = randomBytes(UPLOAD_CHUNK_BYTES * 2 + 10)
    await h.user.upload(screen.getByLabelText('File to send'), new File([bytes], 'report.pdf', { type: 'application/pdf' }))
    const card = await cardOf('report.pdf')
    const m = h.messenger()
    assert.equal(m.files.sent.length, 1)
    assert.equal(sha(m.files.sent[0]!.bytes), sha(bytes), 'the bytes arrived as they were')
    assert.equal(h.calls.filter(c => c === 'uploadChunk').length, 3, 'in pieces of at most UPLOAD_CHUNK_BYTES')
    assert.match(card.textContent ?? '', /Waiting for the recipient/)
    const row = card.closest('.message') as HTMLElement
    assert.match(row.textContent ?? '', /Queued/)

    const id = row.dataset.messageId!
    act(() => { m.files.progress(id, 'waiting', 1024) })
    await waitFor(() => { assert.equal((within(card).getByRole('progressbar', { name: 'Transfer of report.pdf' }) as HTMLProgressElement).value, 1024) })
    act(() => { m.setState(id, 'delivered') })
    await waitFor(() => { assert.match(row.textContent ?? '', /Delivered/) })
    act(() => { m.files.progress(id, 'done', bytes.byteLength) })
    await waitFor(() => { assert.match(card.textContent ?? '', /Handed over/) })
    assert.equal(within(card).queryByRole('progressbar'), null)
    assert.equal(within(card).queryByRole('button', { name: 'Cancel report.pdf' }), null)
  })

  it('sends a pasted image and a dropped file, and leaves pasted text alone', async () => {
    const chat = await openChat()
    const composer = screen.getByLabelText('Message')
    const png = new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], '', { type: 'image/png' })
    fireEvent.paste(composer, { clipboardData: { files: [png], types: ['Files'] } })
    await cardOf('pasted.png')
    fireEvent.paste(composer, { clipboardData: { files: [], types: ['text/plain'] } })

    const dropped = new File(['minutes'], 'minutes.txt', { type: 'text/plain' })
    const dataTransfer = { files: [dropped], types: ['Files'], dropEffect: 'none' }
    fireEvent.dragOver(chat, { dataTransfer })
    assert.match(chat.className, /dropping/)
    fireEvent.drop(chat, { dataTransfer })
    await cardOf('minutes.txt')
    assert.doesNotMatch(chat.className, /dropping/)
    assert.deepEqual(h.messenger().files.sent.map(f => new TextDecoder().decode(f.bytes).length), [7, 7])
    assert.equal(new TextDecoder().decode(h.messenger().files.sent[1]!.bytes), 'minutes')
  })

  it('shows why a file could not be sent, and cancels its upload', async () => {
    await openChat()
    await h.user.upload(screen.getByLabelText('File to send'), new File([], 'empty.txt'))
    assert.match((await screen.findByRole('alert')).textContent ?? '', /empty\.txt could not be sent/)
    await h.messenger().block(bob)
    await h.user.upload(screen.getByLabelText('File to send'), new File(['x'], 'late.txt'))
    await waitFor(() => { assert.match(screen.getByRole('alert').textContent ?? '', /late\.txt could not be sent: This contact is blocked/) })
    assert.deepEqual(h.calls.filter(c => /Upload|Chunk/.test(c)), ['startUpload', 'uploadChunk', 'sendUpload', 'cancelUpload'], 'the empty file never left the page')
    assert.equal(h.messenger().files.sent.length, 0)
  })
})

describe('chat screen: stopping a file on its way', () => {
  it('stops handing a file over: the upload is cancelled and nothing is sent', async () => {
    let release = (): void => {}
    const held = new Promise<void>(resolve => { release = resolve })
    let secondAsked = (): void => {}
    const second = new Promise<void>(resolve => { secondAsked = resolve })
    await openChat(undefined, service => {
      // The second piece waits until the user pressed Stop, so the upload is surely on its way.
      const dispatch = service.dispatch.bind(service)
      let pieces = 0
      service.dispatch = async (method, payload) => {
        if (method === 'uploadChunk' && ++pieces === 2) {
          secondAsked()
          await held
        }
        return await dispatch(method, payload)
      }
    })
    await h.user.upload(screen.getByLabelText('File to send'), new File([randomBytes(UPLOAD_CHUNK_BYTES * 3)], 'big.bin'))
    const status = await screen.findByRole('status')
    assert.match(status.textContent ?? '', /Sending big\.bin/)
    // Stop is pressed while the second piece is on its way, never before it was asked for.
    await second
    await h.user.click(within(status).getByRole('button', { name: 'Stop sending' }))
    release()
    await waitFor(() => { assert.ok(h.calls.includes('cancelUpload')) })
    await waitFor(() => { assert.equal(screen.queryByText(/Sending big\.bin/), null) })
    assert.ok(!h.calls.includes('sendUpload'))
    assert.equal(h.calls.filter(c => c === 'uploadChunk').length, 2, 'no piece after the stop')
    assert.equal(screen.queryByRole('alert'), null, 'stopping is not an error')
    assert.equal(h.messenger().files.sent.length, 0)
  })
})

describe('chat screen: changes that come before the reply', () => {
  it('shows a delivery state and file progress pushed before the send call returned', async () => {
    await openChat(undefined, service => {
      // The messenger hands a small file to the relay before the reply reaches the page.
      const dispatch = service.dispatch.bind(service)
      service.dispatch = async (method, payload) => {
        const result = await dispatch(method, payload)
        if (result.ok && (method === 'sendUpload' || method === 'send')) {
          const { id, file } = result.value as MessageView
          h.messenger().setState(id, 'sent')
          if (file != null) h.messenger().files.progress(id, 'done', file.size)
        }
        return result
      }
    })
    await h.user.upload(screen.getByLabelText('File to send'), new File(['tiny'], 'tiny.txt'))
    const row = (await cardOf('tiny.txt')).closest('.message') as HTMLElement
    await waitFor(() => { assert.match(row.textContent ?? '', /Sent to relay/) })
    assert.match(row.textContent ?? '', /Handed over/)
    await h.user.type(screen.getByLabelText('Message'), 'quick{Enter}')
    const text = (await within(screen.getByRole('log', { name: 'Messages with Bob' })).findByText('quick')).closest('.message') as HTMLElement
    await waitFor(() => { assert.match(text.textContent ?? '', /Sent to relay/) })
  })
})

describe('chat screen: receiving files', () => {
  it('shows an image\'s thumbnail, the download\'s progress, and cancels it', async () => {
    const thumbnail = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
    let id = ''
    await openChat(m => { id = m.receiveFile(bob, { name: 'beach.jpg', size: 4096, mime: 'image/jpeg', thumbnail }).id })
    const card = await cardOf('beach.jpg')
    const img = within(card).getByRole('img', { name: 'Preview of beach.jpg' }) as HTMLImageElement
    assert.equal(img.getAttribute('src'), `data:image/jpeg;base64,${Buffer.from(thumbnail).toString('base64')}`)
    assert.match(card.textContent ?? '', /Not downloaded yet/)

    act(() => { h.messenger().files.progress(id, 'transferring', 2048) })
    await waitFor(() => { assert.match(card.textContent ?? '', /Downloading/) })
    assert.equal((within(card).getByRole('progressbar') as HTMLProgressElement).value, 2048)
    await h.user.click(within(card).getByRole('button', { name: 'Cancel beach.jpg' }))
    await waitFor(() => { assert.match(card.textContent ?? '', /Cancelled/) })
    assert.equal(within(card).queryByRole('progressbar'), null)
    assert.ok(h.calls.includes('cancelFile'))
  })

  it('downloads a file over the automatic size on request, and says why others do not move', async () => {
    const ids: Record<string, string> = {}
    await openChat(m => {
      for (const name of ['film.mp4', 'draft.pdf', 'gift.zip']) ids[name] = m.receiveFile(bob, { name, size: 50 * 1024 * 1024, mime: 'application/octet-stream' }).id
      m.files.progress(ids['film.mp4']!, 'waiting', 0, 'size')
      m.files.progress(ids['draft.pdf']!, 'cancelled', 0, 'sender')
      m.files.progress(ids['gift.zip']!, 'waiting', 0, 'request')
    })
    const film = await cardOf('film.mp4')
    assert.match(film.textContent ?? '', /larger than your automatic download size/)
    assert.equal(within(film).queryByRole('progressbar'), null)
    assert.equal(within(film).queryByRole('button', { name: 'Cancel film.mp4' }), null)
    const draft = await cardOf('draft.pdf')
    assert.match(draft.textContent ?? '', /Cancelled by sender/)
    assert.equal(within(draft).queryByRole('button', { name: 'Download draft.pdf' }), null)
    const gift = await cardOf('gift.zip')
    assert.match(gift.textContent ?? '', /accept the request to download it/)
    assert.equal(within(gift).queryByRole('button', { name: 'Download gift.zip' }), null)

    await h.user.click(within(film).getByRole('button', { name: 'Download film.mp4' }))
    await waitFor(() => { assert.match(film.textContent ?? '', /Downloading/) })
    assert.ok(h.calls.includes('downloadFile'))
    assert.equal(within(film).queryByRole('button', { name: 'Download film.mp4' }), null)
    act(() => { h.messenger().files.progress(ids['film.mp4']!, 'transferring', 1024 * 1024) })
    await waitFor(() => { assert.equal((within(film).getByRole('progressbar', { name: 'Transfer of film.mp4' }) as HTMLProgressElement).value, 1024 * 1024) })
    await h.user.click(within(film).getByRole('button', { name: 'Cancel film.mp4' }))
    await waitFor(() => { assert.ok(within(film).queryByRole('button', { name: 'Download film.mp4' }) != null, 'a cancelled download can start again') })
  })

  it('opens a photo that is here in the viewer, decrypted whole', async () => {
    const photo = randomBytes(3000)
    await openChat(m => {
      const { id } = m.receiveFile(bob, { name: 'beach.jpg', size: photo.byteLength, mime: 'image/jpeg', thumbnail: new Uint8Array([0xff, 0xd8]) })
      m.files.contents.set(id, photo)
      m.files.progress(id, 'done', photo.byteLength)
    })
    const card = await cardOf('beach.jpg')
    await h.user.click(within(card).getByRole('button', { name: 'Open beach.jpg' }))
    const viewer = await screen.findByRole('dialog', { name: 'Photo: beach.jpg' })
    const img = await within(viewer).findByRole('img', { name: 'beach.jpg' })
    assert.equal(img.getAttribute('src'), `data:image/jpeg;base64,${photo.toString('base64')}`)
    await h.user.click(within(viewer).getByRole('button', { name: 'Close' }))
    assert.equal(screen.queryByRole('dialog'), null)
  })

  it('saves a file that is here as a browser download of a one-time URL with its name and bytes, and offers nothing before', async () => {
    const pdf = randomBytes(700 * 1024)
    let id = ''
    await openChat(m => {
      id = m.receiveFile(bob, { name: 'minutes.pdf', size: pdf.byteLength, mime: 'application/pdf' }).id
      m.files.contents.set(id, pdf)
    })
    const card = await cardOf('minutes.pdf')
    assert.equal(within(card).queryByRole('button', { name: 'Save minutes.pdf' }), null, 'not here yet')
    act(() => { h.messenger().files.progress(id, 'done', pdf.byteLength) })
    const downloads: Array<{ name: string, href: string }> = []
    const { click } = HTMLAnchorElement.prototype
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) { downloads.push({ name: this.download, href: this.getAttribute('href') ?? '' }) }
    try {
      await h.user.click(await within(card).findByRole('button', { name: 'Save minutes.pdf' }))
      await waitFor(() => { assert.equal(downloads.length, 1) })
    } finally {
      HTMLAnchorElement.prototype.click = click
    }
    assert.equal(downloads[0]!.name, 'minutes.pdf')
    assert.match(downloads[0]!.href, /^\/download\/[A-Za-z0-9_-]{43}$/)
    assert.ok(!h.calls.includes('readFile'), 'the page read nothing of it')
    const ticket = h.service.downloads.take(downloads[0]!.href)
    assert.equal(ticket?.name, 'minutes.pdf')
    const pieces: Uint8Array[] = []
    for await (const piece of ticket!.read()) pieces.push(piece)
    assert.equal(sha(Buffer.concat(pieces)), sha(pdf))
    assert.equal(h.service.downloads.take(downloads[0]!.href), undefined, 'taken once')
  })
})
