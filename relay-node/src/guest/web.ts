// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The guest page at the relay's public web listener: `/g` (the page), `/g/guest.js` (the bundle
 * `scripts/build-page.mjs` made) and `/g/guest.css`. Static files, read once at start; the page's
 * secrets stay in the URL fragment, which the browser never sends here.
 */
import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import type { WebFile } from '../links/web.js'

/** Its CSP: its own script and style, WebSockets to the relay, nothing else. */
export const GUEST_PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src ws: wss:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width,initial-scale=1">' +
  '<title>Write privately</title><link rel="stylesheet" href="/g/guest.css"><script type="module" src="/g/guest.js"></script></head><body>' +
  '<main><h1 id="title">Write privately</h1>' +
  '<p class="notice">Your messages are encrypted to the person who posted this link; nobody else can read them. ' +
  'This is a guest conversation: no forward secrecy, and the relay that serves this page sees your IP address. ' +
  'Your keys stay in this browser.</p>' +
  '<h2>Conversation</h2><div role="log" aria-live="polite" aria-label="Conversation"><ol id="log"></ol></div>' +
  '<form id="compose"><label for="text">Your message</label>' +
  '<textarea id="text" rows="4" maxlength="4000" required></textarea>' +
  '<button id="send" type="submit" disabled>Send</button></form>' +
  '<p id="status" role="status" aria-live="polite"></p>' +
  '<p><a id="resume" hidden>Bookmark this link to come back and read replies</a> (it holds your keys: keep it to yourself).</p>' +
  '</main></body></html>'

/** The page's files, or undefined (with the reason) when the bundle was not built. */
export async function guestPageFiles (): Promise<Map<string, WebFile> | string> {
  const dir = new URL('../../page/', import.meta.url)
  try {
    const [script, style] = await Promise.all([readFile(new URL('guest.js', dir)), readFile(new URL('guest.css', dir))])
    return new Map<string, WebFile>([
      ['/g', { type: 'text/html; charset=utf-8', body: Buffer.from(HTML), csp: GUEST_PAGE_CSP }],
      // Compressed once at start: 532 KB of script travel as 145 KB.
      ['/g/guest.js', { type: 'text/javascript; charset=utf-8', body: script, gzip: gzipSync(script, { level: 9 }) }],
      ['/g/guest.css', { type: 'text/css; charset=utf-8', body: style }]
    ])
  } catch (err) {
    return `the guest page is not built (${(err as Error).name}): run npm run build -w relay-node`
  }
}
