// SPDX-License-Identifier: AGPL-3.0-only
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createDesktopService } from '../../src/main/desktop-service.js'
import { MAX_UPLOADS } from '../../src/main/service/file-uploads.js'
import { READ_PIECE_BYTES } from '../../src/main/service/file-readers.js'
import { UPLOAD_CHUNK_BYTES } from '../../src/shared/contract.js'
import { memoryFactory } from '../fixtures/memory-messenger.js'
import { nextEvent, tempDir, value } from '../fixtures/helpers.js'
import type { DesktopService } from '../../src/main/desktop-service.js'
import type { Method } from '../../src/shared/channels.js'
import type { Replies, Requests, Result } from '../../src/shared/contract.js'
import type { MemoryMessenger } from '../fixtures/memory-messenger.js'

function errorName (result: Result<unknown>): string {
  assert.equal(result.ok, false, 'expected an error')
  return (result as { ok: false, error: { name: string } }).error.name
}

/** A call that must succeed, with its reply typed. */
async function call<M extends Method> (method: M, payload: Requests[M]): Promise<Replies[M]> {
  return value(await service.dispatch(method, payload)) as Replies[M]
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

let dir: string
let cleanup: () => Promise<void>
let service: DesktopService
let messenger: MemoryMessenger
let bob: string
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir())
  const { factory, created } = memoryFactory()
  service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
  await service.start()
  value(await service.dispatch('setup', { name: 'Ada', relays: [] }))
  messenger = created[0]!
  bob = messenger.seedContact('Bob').id
})
afterEach(async () => {
  await service.stop()
  await cleanup()
})

/** What is left in the uploads directory. */
async function leftovers (): Promise<string[]> {
  return await readdir(join(dir, 'uploads')).catch(() => [])
}

/** Uploads `bytes` in pieces as the renderer does; returns the upload id. */
async function upload (name: string, bytes: Uint8Array): Promise<string> {
  const { uploadId } = await call('startUpload', { name, size: bytes.byteLength })
  for (let offset = 0; offset < bytes.byteLength; offset += UPLOAD_CHUNK_BYTES) {
    const data = Buffer.from(bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES)).toString('base64')
    value(await service.dispatch('uploadChunk', { uploadId, offset, data }))
  }
  return uploadId
}

describe('DesktopService: sending a file from the renderer', () => {
  it('takes the bytes in pieces, sends them as they were, and keeps no plaintext afterwards', async () => {
    const bytes = randomBytes(UPLOAD_CHUNK_BYTES * 2 + 1234)
    const uploadId = await upload('report.pdf', bytes)
    assert.equal((await leftovers()).length, 1, 'the upload waits in the data directory')
    const sent = await call('sendUpload', { uploadId, contactId: bob })
    assert.equal(sent.file?.name, 'report.pdf')
    assert.equal(sent.file?.size, bytes.byteLength)
    assert.equal(sent.file?.state, 'waiting')
    assert.equal(sha(messenger.files.sent[0]!.bytes), sha(bytes))
    assert.ok(messenger.files.sent[0]!.path.startsWith(join(dir, 'uploads')), 'the path is the app\'s own, in its data directory')
    assert.deepEqual(await leftovers(), [])
    assert.equal(errorName(await service.dispatch('sendUpload', { uploadId, contactId: bob })), 'InvalidPayloadError', 'an upload is sent once')
  })

  it('refuses names with a path, pieces out of order or beyond the size announced, and sending it unfinished', async () => {
    for (const name of ['../evil.sh', 'a/b.txt', 'a\\b.txt', '..', 'bell\u0007.txt', '']) {
      assert.equal(errorName(await service.dispatch('startUpload', { name, size: 10 })), 'InvalidPayloadError', name)
    }
    const { uploadId } = await call('startUpload', { name: 'notes.txt', size: 6 })
    const piece = (text: string): string => Buffer.from(text).toString('base64')
    assert.equal(errorName(await service.dispatch('uploadChunk', { uploadId, offset: 3, data: piece('def') })), 'InvalidPayloadError', 'a gap')
    value(await service.dispatch('uploadChunk', { uploadId, offset: 0, data: piece('abc') }))
    assert.equal(errorName(await service.dispatch('uploadChunk', { uploadId, offset: 0, data: piece('abc') })), 'InvalidPayloadError', 'twice')
    assert.equal(errorName(await service.dispatch('uploadChunk', { uploadId, offset: 3, data: piece('defg') })), 'InvalidPayloadError', 'too long')
    assert.equal(errorName(await service.dispatch('uploadChunk', { uploadId, offset: 3, data: 'not base64!' })), 'InvalidPayloadError')
    assert.equal(errorName(await service.dispatch('sendUpload', { uploadId, contactId: bob })), 'InvalidPayloadError', 'bytes missing')
    assert.deepEqual(value(await service.dispatch('uploadChunk', { uploadId, offset: 3, data: piece('def') })), { received: 6 })
    value(await service.dispatch('sendUpload', { uploadId, contactId: bob }))
    assert.equal(new TextDecoder().decode(messenger.files.sent[0]!.bytes), 'abcdef')
    assert.equal(messenger.files.sent.length, 1)
  })

  it('refuses a file over the messenger\'s size limit before a byte is written', async () => {
    const { maxFileBytes } = await messenger.settings()
    assert.equal(errorName(await service.dispatch('startUpload', { name: 'huge.bin', size: maxFileBytes + 1 })), 'FileTooLargeError')
    assert.deepEqual(await leftovers(), [])
  })

  it('removes the plaintext when sending fails, when cancelled, and what a crash left at the next start', async () => {
    await messenger.block(bob)
    const uploadId = await upload('a.txt', new Uint8Array([1, 2, 3]))
    assert.equal(errorName(await service.dispatch('sendUpload', { uploadId, contactId: bob })), 'BlockedError')
    assert.deepEqual(await leftovers(), [])

    const other = await upload('b.txt', new Uint8Array([4]))
    value(await service.dispatch('cancelUpload', { uploadId: other }))
    assert.deepEqual(await leftovers(), [])

    await mkdir(join(dir, 'uploads', 'crashed'), { recursive: true })
    await writeFile(join(dir, 'uploads', 'crashed', 'secret.txt'), 'left behind')
    await service.stop()
    const { factory } = memoryFactory()
    service = createDesktopService({ dataDir: dir, createMessenger: factory, passphrase: 'correct horse battery' })
    await service.start()
    assert.deepEqual(await leftovers(), [])
  })

  it(`lets at most ${MAX_UPLOADS} uploads wait at once`, async () => {
    for (let i = 0; i < MAX_UPLOADS; i++) value(await service.dispatch('startUpload', { name: `f${i}.txt`, size: 1 }))
    assert.equal(errorName(await service.dispatch('startUpload', { name: 'one-more.txt', size: 1 })), 'TooManyUploadsError')
  })

  it('pushes a file\'s progress and cancels its transfer', async () => {
    const uploadId = await upload('photo.bin', new Uint8Array(100))
    const sent = await call('sendUpload', { uploadId, contactId: bob })
    const progress = nextEvent(service, 'file', f => f.state === 'transferring')
    messenger.files.progress(sent.id, 'transferring', 40)
    assert.deepEqual(await progress, { id: sent.id, contactId: bob, state: 'transferring', bytes: 40, total: 100 })
    const cancelled = nextEvent(service, 'file', f => f.state === 'cancelled')
    value(await service.dispatch('cancelFile', { messageId: sent.id }))
    assert.equal((await cancelled).id, sent.id)
    assert.equal((await call('history', { contactId: bob }))[0]?.file?.state, 'cancelled')
  })

})

describe('DesktopService: a file that is here', () => {
  it('reads a file that is here in pieces, in order or from anywhere, and says the page downloads it', async () => {
    const bytes = randomBytes(READ_PIECE_BYTES * 2 + 777)
    const sent = await call('sendUpload', { uploadId: await upload('film.bin', bytes), contactId: bob })
    const pieces: Buffer[] = []
    for (let done = false; !done;) {
      const piece = await call('readFile', { messageId: sent.id, offset: pieces.reduce((n, p) => n + p.byteLength, 0) })
      pieces.push(Buffer.from(piece.data, 'base64'))
      assert.ok(pieces.at(-1)!.byteLength <= READ_PIECE_BYTES)
      done = piece.done
    }
    assert.equal(sha(Buffer.concat(pieces)), sha(bytes))
    const middle = await call('readFile', { messageId: sent.id, offset: 1000 })
    assert.deepEqual(Buffer.from(middle.data, 'base64'), bytes.subarray(1000, 1000 + READ_PIECE_BYTES))
    assert.equal(errorName(await service.dispatch('readFile', { messageId: 'ab'.repeat(16), offset: 0 })), 'NotFoundError')
    const saved = await call('saveFile', { messageId: sent.id, name: 'film.bin' })
    assert.equal(saved.outcome, 'download', 'without a save dialog (headless)')
    assert.match(saved.outcome === 'download' ? saved.url : '', /^\/download\/[A-Za-z0-9_-]{43}$/)
  })

  it('carries a photo\'s thumbnail in its message, and not in the contact\'s last message', async () => {
    const thumbnail = new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 9])
    messenger.receiveFile(bob, { name: 'beach.jpg', size: 10, mime: 'image/jpeg', thumbnail })
    const [shown] = await call('history', { contactId: bob })
    assert.equal(shown?.file?.thumbnail, Buffer.from(thumbnail).toString('base64'))
    const contact = await call('contact', { contactId: bob })
    assert.equal(contact.lastMessage?.file?.name, 'beach.jpg')
    assert.equal(contact.lastMessage?.file?.thumbnail, undefined)
  })
})
