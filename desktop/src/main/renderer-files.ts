// SPDX-License-Identifier: AGPL-3.0-only
/**
 * The built renderer's files, as served to a window or a browser: safe path resolution, content
 * types, and the security headers every response carries (including the strict CSP).
 */
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where Vite writes the renderer: `desktop/dist/renderer`. */
export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url))

/** Where the preload bundle is: `desktop/dist/preload/preload.cjs`. */
export const PRELOAD_FILE = fileURLToPath(new URL('../../preload/preload.cjs', import.meta.url))

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

/**
 * The renderer's Content-Security-Policy. Scripts and styles only from the app itself, no inline
 * code, no eval, no plugins, no frames; `connect` only to the headless IPC socket when given.
 */
export function contentSecurityPolicy (connect?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect != null ? `'self' ${connect}` : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ')
}

/** Headers on every response that carries renderer files. */
export function securityHeaders (connect?: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(connect),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
    'Cache-Control': 'no-store'
  }
}

/** A renderer file, read. */
export interface RendererFile {
  /** The bytes. */
  body: Buffer
  /** Its content type. */
  contentType: string
}

/**
 * Reads the renderer file a URL path names (`/` is `index.html`), or undefined when the path is
 * malformed, leaves the renderer directory, or names no file.
 */
export async function readRendererFile (rendererDir: string, urlPath: string): Promise<RendererFile | undefined> {
  let path: string
  try {
    path = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (path.includes('\0') || !path.startsWith('/')) return undefined
  if (path === '/') path = '/index.html'
  const root = resolve(rendererDir)
  const file = resolve(join(root, normalize(path)))
  if (!file.startsWith(root + sep)) return undefined
  const contentType = CONTENT_TYPES[extname(file)]
  if (contentType == null) return undefined
  try {
    return { body: await readFile(file), contentType }
  } catch {
    return undefined
  }
}
