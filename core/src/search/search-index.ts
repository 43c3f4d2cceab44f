// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Full-text search over the messages a user can see, held in memory only.
 *
 * The index is built at unlock from the encrypted store and kept current as messages arrive,
 * change and disappear; it is never written to disk. An index at rest would be a second copy of
 * every message to keep encrypted and to purge when a message disappears, and its postings would
 * tell the size of each word's use to anyone holding the disk. Building it costs one pass over
 * the messages at unlock, which the messenger does anyway to count unread messages.
 *
 * Words are folded (Unicode NFKD, marks dropped, lower case) so "Café" finds "cafe"; every word of
 * a query must appear, and the last one may be the start of a word, as people type.
 */

/** One message as the index sees it. */
export interface SearchDocument {
  /** The message id. */
  id: string
  /** The conversation (contact or group) it belongs to. */
  conversationId: string
  /** The text the user sees. */
  text: string
  /** When it was sent, in ms since the epoch: results come newest first. */
  sentAt: number
}

/** A search's options. */
export interface SearchOptions {
  /** Only this conversation. */
  conversationId?: string
  /** At most this many results (default 50). */
  limit?: number
}

/** A message that matches, newest first. */
export interface SearchHit {
  id: string
  conversationId: string
  sentAt: number
}

/** Longest word indexed, in characters: longer runs are cut (no one types them). */
const MAX_WORD = 32
const DEFAULT_LIMIT = 50

const MARKS = /\p{M}+/gu
const WORD = /[\p{L}\p{N}]+/gu
const ASCII_WORD = /[a-z0-9]+/g
const ASCII = /^[\x00-\x7f]*$/

/** The folded words of a text, each once. */
export function wordsOf (text: string): string[] {
  // Most chat is ASCII, and folding it is only lower-casing: five times faster than NFKD.
  const ascii = ASCII.test(text)
  const folded = ascii ? text.toLowerCase() : text.normalize('NFKD').replace(MARKS, '').toLowerCase()
  const words = new Set<string>()
  for (const m of folded.matchAll(ascii ? ASCII_WORD : WORD)) words.add(m[0].slice(0, MAX_WORD))
  return [...words]
}

interface Entry { conversationId: string, sentAt: number, words: string[] }

/** An in-memory inverted index of messages. */
export class SearchIndex {
  private readonly entries = new Map<string, Entry>()
  private readonly postings = new Map<string, Set<string>>()
  /** Words in sorted order, rebuilt lazily for prefix look-ups. */
  private sortedWords?: string[]

  /** How many messages are indexed. */
  get size (): number {
    return this.entries.size
  }

  /** Adds a message, or replaces it (an edit). */
  put (doc: SearchDocument): void {
    this.remove(doc.id)
    const words = wordsOf(doc.text)
    this.entries.set(doc.id, { conversationId: doc.conversationId, sentAt: doc.sentAt, words })
    for (const w of words) {
      let set = this.postings.get(w)
      if (set == null) {
        this.postings.set(w, set = new Set())
        this.sortedWords = undefined
      }
      set.add(doc.id)
    }
  }

  /** Forgets a message (deleted or disappeared). */
  remove (id: string): void {
    const entry = this.entries.get(id)
    if (entry == null) return
    this.entries.delete(id)
    for (const w of entry.words) {
      const set = this.postings.get(w)
      set?.delete(id)
      if (set?.size === 0) {
        this.postings.delete(w)
        this.sortedWords = undefined
      }
    }
  }

  /** Forgets every message of a conversation (deleted, or its history cleared). */
  removeConversation (conversationId: string): void {
    for (const [id, e] of this.entries) if (e.conversationId === conversationId) this.remove(id)
  }

  /** The messages holding every word of `query`, newest first. */
  search (query: string, options: SearchOptions = {}): SearchHit[] {
    const words = wordsOf(query)
    if (words.length === 0) return []
    const limit = options.limit ?? DEFAULT_LIMIT
    const last = words[words.length - 1] as string
    const whole = words.slice(0, -1).map(w => this.postings.get(w) ?? new Set<string>())
    const prefixed = this.withPrefix(last)
    // Walk the smallest set, checking membership in the others.
    const candidates = [...whole, prefixed].sort((a, b) => a.size - b.size)
    const [smallest, ...rest] = candidates as [Set<string>, ...Array<Set<string>>]
    const hits: SearchHit[] = []
    for (const id of smallest) {
      if (!rest.every(s => s.has(id))) continue
      const e = this.entries.get(id) as Entry
      if (options.conversationId != null && e.conversationId !== options.conversationId) continue
      hits.push({ id, conversationId: e.conversationId, sentAt: e.sentAt })
    }
    return newest(hits, limit)
  }

  /** Ids of messages with a word starting with `prefix`. */
  private withPrefix (prefix: string): Set<string> {
    const exact = this.postings.get(prefix)
    const words = this.sortedWords ??= [...this.postings.keys()].sort()
    let lo = 0
    let hi = words.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((words[mid] as string) < prefix) lo = mid + 1
      else hi = mid
    }
    const out = new Set<string>(exact)
    for (let i = lo; i < words.length && (words[i] as string).startsWith(prefix); i++) {
      for (const id of this.postings.get(words[i] as string) ?? []) out.add(id)
    }
    return out
  }
}

const newerFirst = (a: SearchHit, b: SearchHit): number => b.sentAt - a.sentAt || (a.id < b.id ? -1 : 1)

/** The `limit` newest hits, newest first, without sorting all of them (a common word has many). */
function newest (hits: SearchHit[], limit: number): SearchHit[] {
  if (hits.length <= limit * 4) return hits.sort(newerFirst).slice(0, limit)
  const kept: SearchHit[] = []
  for (const h of hits) {
    if (kept.length === limit && newerFirst(h, kept[limit - 1] as SearchHit) >= 0) continue
    let at = kept.length
    while (at > 0 && newerFirst(h, kept[at - 1] as SearchHit) < 0) at--
    kept.splice(at, 0, h)
    if (kept.length > limit) kept.pop()
  }
  return kept
}
