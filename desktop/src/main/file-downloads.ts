// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Headless mode's file downloads: when the user saves a file, the page gets a one-time URL
 * (`/download/<ticket>`, 32 random bytes) over its token-protected socket, and the browser fetches
 * it like any download. The server streams the file decrypted a chunk at a time, so neither the page
 * nor the server holds the whole file in memory. A ticket is taken once and lives 60 seconds; the
 * socket's per-start token is still what lets anyone ask for one.
 */
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ServerResponse } from 'node:http'

/** Where tickets are served: `/download/<ticket>`. */
export const DOWNLOAD_PATH = '/download/'

/** A file waiting to be downloaded once. */
export interface DownloadTicket {
  /** The name the browser suggests (no path; the contract checked it). */
  name: string
  /** The plaintext, a chunk at a time. */
  read: () => AsyncGenerator<Uint8Array>
}

/** Options of {@link FileDownloads}. */
export interface FileDownloadsInit {
  /** How long a ticket may wait to be taken, in ms (default 60 s). */
  ttlMs?: number
  /** The clock (default `Date.now`). */
  now?: () => number
}

/** One-time download tickets. */
export class FileDownloads {
  private readonly tickets = new Map<string, DownloadTicket & { expiresAt: number }>()
  private readonly ttlMs: number
  private readonly now: () => number

  constructor (init: FileDownloadsInit = {}) {
    this.ttlMs = init.ttlMs ?? 60_000
    this.now = init.now ?? Date.now
  }

  /** A new ticket for `ticket`; returns the path the page downloads it from. */
  issue (ticket: DownloadTicket): string {
    this.prune()
    const id = randomBytes(32).toString('base64url')
    this.tickets.set(id, { ...ticket, expiresAt: this.now() + this.ttlMs })
    return `${DOWNLOAD_PATH}${id}`
  }

  /** Takes the ticket at `path` (it is gone afterwards); `undefined` when unknown, taken or expired. */
  take (path: string): DownloadTicket | undefined {
    if (!path.startsWith(DOWNLOAD_PATH)) return undefined
    const id = path.slice(DOWNLOAD_PATH.length)
    const ticket = this.tickets.get(id)
    this.tickets.delete(id)
    return ticket != null && ticket.expiresAt > this.now() ? ticket : undefined
  }

  private prune (): void {
    const now = this.now()
    for (const [id, t] of this.tickets) if (t.expiresAt <= now) this.tickets.delete(id)
  }
}

/** `Content-Disposition: attachment` with the name in both forms (RFC 6266): ASCII, and UTF-8. */
export function attachmentDisposition (name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/**
 * Streams a ticket's file as the response: 404 when the file is not here (nothing sent before its
 * first chunk is read); a failure later cuts the response short, which the browser shows as failed.
 */
export async function sendDownload (res: ServerResponse, ticket: DownloadTicket, headers: Record<string, string>): Promise<void> {
  const chunks = ticket.read()
  let first: IteratorResult<Uint8Array>
  try {
    first = await chunks.next()
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end('Not found\n')
    return
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': attachmentDisposition(ticket.name)
  })
  async function * rest (): AsyncGenerator<Uint8Array> {
    if (first.done !== true) yield first.value
    yield * chunks
  }
  await pipeline(Readable.from(rest(), { objectMode: false }), res)
}
