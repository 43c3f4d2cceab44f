// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The relay's public page (`--web HOST:PORT`, off by default): its relay link, the link's QR code
 * and the operator's details, for a poster or a community's website. One static page, built once;
 * no script, no third-party resource, a CSP that allows only its own inline style.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import { qrSvg } from '@sotto/core/links'
import type { RelayInfo } from '@sotto/core/mailbox'

/** What the page shows. */
export interface WebInit {
  /** `HOST:PORT`; IPv6 hosts in brackets. Port 0 picks a free port. */
  listen: string
  /** The relay link. */
  link: string
  info: RelayInfo
  /** More files, by path (the guest page). */
  files?: ReadonlyMap<string, WebFile>
}

/** A static file the page's server also serves. */
export interface WebFile {
  /** Its Content-Type. */
  type: string
  body: Buffer
  /** Its Content-Security-Policy, for HTML. */
  csp?: string
  /** The body gzipped, sent to browsers that accept it. */
  gzip?: Buffer
}

/** A running page. */
export interface WebServer {
  /** The URL it listens on. */
  readonly url: string
  close(): Promise<void>
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111}' +
  'svg{width:18rem;height:18rem}code{word-break:break-all;display:block;background:#f3f3f3;padding:.5rem}' +
  'dt{font-weight:600}dd{margin:0 0 .5rem}'

function escape (text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/** The page's HTML and its CSP. */
export async function relayPage (link: string, info: RelayInfo): Promise<{ html: string, csp: string }> {
  const contact = /^(mailto|https):/i.test(info.contact)
    ? `<a href="${escape(info.contact)}" rel="noreferrer">${escape(info.contact)}</a>`
    : escape(info.contact)
  const html = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>Sotto relay${info.operator === '' ? '' : ` of ${escape(info.operator)}`}</title><style>${STYLE}</style></head><body>` +
    '<h1>Sotto relay</h1><p>Scan this code with Sotto, or paste the link below, to use this relay.</p>' +
    (await qrSvg(link)) +
    `<p><a href="${escape(link)}">Open in Sotto</a></p><code>${escape(link)}</code>` +
    `<dl><dt>Operator</dt><dd>${escape(info.operator === '' ? 'not published' : info.operator)}</dd>` +
    `<dt>Contact</dt><dd>${info.contact === '' ? 'not published' : contact}</dd>` +
    `<dt>Jurisdiction</dt><dd>${escape(info.jurisdiction)}</dd>` +
    `<dt>New users</dt><dd>${info.inviteOnly === true ? 'with a join code from the operator' : 'welcome'}</dd>` +
    `<dt>Messages kept</dt><dd>up to ${Math.round(info.retentionSeconds / 86_400)} days, sealed: the relay cannot read them</dd></dl>` +
    '</body></html>'
  const hash = createHash('sha256').update(STYLE).digest('base64')
  const csp = `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
  return { html, csp }
}

/** Starts the public page. */
export async function startWeb (init: WebInit): Promise<WebServer> {
  const { html, csp } = await relayPage(init.link, init.info)
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const file = init.files?.get(path ?? '')
    if (file != null) {
      const gzip = file.gzip != null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? file.gzip : undefined
      res.writeHead(200, {
        'content-type': file.type,
        vary: 'accept-encoding',
        ...(gzip != null ? { 'content-encoding': 'gzip' } : {}),
        ...(file.csp != null ? { 'content-security-policy': file.csp } : {}),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache'
      }).end(req.method === 'HEAD' ? undefined : gzip ?? file.body)
      return
    }
    if (path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache'
    }).end(req.method === 'HEAD' ? undefined : html)
  })
  const i = init.listen.lastIndexOf(':')
  const host = init.listen.slice(0, i).replace(/^\[(.*)\]$/, '$1')
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(Number(init.listen.slice(i + 1)), host, () => { server.off('error', reject); resolve() })
  })
  const address = server.address()
  const port = typeof address === 'object' && address != null ? address.port : 0
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: async () => new Promise<void>((resolve) => { server.close(() => { resolve() }); server.closeAllConnections() })
  }
}
