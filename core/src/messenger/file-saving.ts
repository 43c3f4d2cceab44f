// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Saving a file message's file where the user chose: waiting for its message (a relay may still be
 * handing it over), waiting for its chunks, and writing the plaintext whole beside the target
 * before renaming it into place, so a crash leaves no half-written file under the chosen name.
 */
import { createHash, randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { NotFoundError, TimeoutError } from '../errors.js'
import { readPlaintext } from '../files/index.js'
import type { ChunkStore, FileSecrets } from '../files/index.js'
import type { Clock } from '../util/index.js'
import type { Events } from './context.js'
import type { FileProgress, Message, SavedFile } from './types.js'

/** Resolves once message `messageId` is stored (`isHere` says so) or `timeoutMs` passed, whichever is first. */
export async function waitForMessage (events: Events, clock: Clock, messageId: string, timeoutMs: number, isHere: () => Promise<boolean>): Promise<void> {
  let onMessage = (_m: Message): void => {}
  const arrived = new Promise<void>(resolve => { onMessage = m => { if (m.id === messageId) resolve() } })
  events.on('message', onMessage)
  let timer: unknown
  try {
    if (!await isHere()) await Promise.race([arrived, new Promise<void>(resolve => { timer = clock.setTimeout(resolve, timeoutMs) })])
  } finally {
    clock.clearTimeout(timer)
    events.off('message', onMessage)
  }
}

/**
 * Starts a file's transfer with `start` (which resolves true when the file is here already) and
 * resolves once it is `done`; rejects with `NotFoundError` when it fails or is cancelled, with
 * `TimeoutError` after `timeoutMs`.
 */
export async function waitForFile (events: Events, clock: Clock, messageId: string, timeoutMs: number, start: () => Promise<boolean>): Promise<void> {
  let onFile = (_e: FileProgress): void => {}
  const here = new Promise<void>((resolve, reject) => {
    onFile = e => {
      if (e.id !== messageId) return
      if (e.state === 'done') resolve()
      if (e.state === 'failed' || e.state === 'cancelled') reject(new NotFoundError(`the file could not be fetched (${e.error ?? (e.reason === 'sender' ? 'cancelled by its sender' : e.state)})`))
    }
  })
  events.on('file', onFile)
  let timer: unknown
  try {
    if (await start()) return
    await Promise.race([here, new Promise<never>((_resolve, reject) => {
      timer = clock.setTimeout(() => { reject(new TimeoutError(`the file of message ${messageId} is not here after ${timeoutMs} ms`)) }, timeoutMs)
    })])
  } finally {
    clock.clearTimeout(timer)
    events.off('file', onFile)
  }
}

/** Decrypts a complete store to `path` (written whole, synced, then renamed into place); closes the store. */
export async function writePlaintext (store: ChunkStore, secrets: FileSecrets, path: string): Promise<SavedFile> {
  const target = resolve(path)
  const part = `${target}.part-${randomBytes(4).toString('hex')}`
  const hash = createHash('sha256')
  try {
    const fd = await open(part, 'wx', 0o600)
    try {
      for await (const piece of readPlaintext(store, secrets)) {
        hash.update(piece)
        await fd.write(piece)
      }
      await fd.sync()
    } catch (err) {
      await rm(part, { force: true })
      throw err
    } finally {
      await fd.close()
    }
  } finally {
    await store.close()
  }
  await rename(part, target)
  return { path: target, size: secrets.size, sha256: hash.digest('hex') }
}
