// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A vertically virtualised list: only the rows near the viewport are in the DOM. Row heights are
 * estimated, then measured once rendered. It sticks to the bottom while the user is there (a chat),
 * and asks for older rows when scrolled to the top.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent, ReactNode, RefObject, UIEvent } from 'react'

/** Props of {@link VirtualList}. */
export interface VirtualListProps<T> {
  /** The rows, oldest first. */
  items: readonly T[]
  /** A stable key per row. */
  getKey: (item: T) => string
  /** Renders one row. */
  renderItem: (item: T) => ReactNode
  /** Height guessed for rows not yet measured, in px. */
  estimateHeight: (item: T) => number
  /** Called when the user scrolls to the top (load older rows). */
  onReachTop?: () => void
  /** Accessible name of the scroll region. */
  label: string
  /** Role of the scroll region; `log` for chats. */
  role?: string
  /** Extra pixels rendered above and below the viewport. */
  overscan?: number
  /** Scrolls the row with this key to the middle of the view, once it is one of the items. */
  revealKey?: string | undefined
}

/** Viewport height used before (or without) layout, e.g. in tests. */
const FALLBACK_VIEWPORT = 600

/** A rendered row and its offset from the top of the list. */
interface Anchor {
  /** The row's key. */
  key: string
  /** Its offset, in px. */
  offset: number
}

/** Each row's offset from the top (and the total last): measured heights, else scaled estimates. */
function rowOffsets<T> (items: readonly T[], getKey: (item: T) => string, estimateHeight: (item: T) => number, heights: ReadonlyMap<string, number>, scale: { measured: number, estimated: number }): number[] {
  const ratio = scale.estimated > 0 ? scale.measured / scale.estimated : 1
  const list = new Array<number>(items.length + 1)
  list[0] = 0
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    list[i + 1] = list[i]! + (heights.get(getKey(item)) ?? estimateHeight(item) * ratio)
  }
  return list
}

/** The index of the row at height `y`, by binary search over the rows' offsets. */
function rowAt (offsets: readonly number[], count: number, y: number): number {
  let lo = 0
  let hi = count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (offsets[mid + 1]! <= y) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Measures the rendered rows; true when a height changed. */
function measureRows<T> (rendered: readonly T[], ctx: {
  getKey: (item: T) => string
  estimateHeight: (item: T) => number
  rows: Map<string, HTMLDivElement>
  heights: Map<string, number>
  scale: { measured: number, estimated: number }
}): boolean {
  let changed = false
  for (const item of rendered) {
    const key = ctx.getKey(item)
    // Fractional, as laid out: whole pixels would add up to a drift over many rows.
    const h = ctx.rows.get(key)?.getBoundingClientRect().height ?? 0
    const before = ctx.heights.get(key)
    if (h > 0 && before !== h) {
      ctx.heights.set(key, h)
      ctx.scale.measured += h - (before ?? 0)
      if (before == null) ctx.scale.estimated += ctx.estimateHeight(item)
      changed = true
    }
  }
  return changed
}

/** The first anchor row still in the list, with its new offset, when that offset changed. */
function movedAnchor<T> (anchors: readonly Anchor[], items: readonly T[], getKey: (item: T) => string, offsets: readonly number[]): (Anchor & { was: number }) | undefined {
  for (const { key, offset } of anchors) {
    const index = items.findIndex(item => getKey(item) === key)
    if (index < 0) continue
    return offsets[index] !== offset ? { key, offset: offsets[index]!, was: offset } : undefined
  }
  return undefined
}

/**
 * Home and End jump at once: the browser's animated scroll aims at a height that changes as the
 * rows it passes are measured, and stops short of the end. Returns the new scroll position, or
 * undefined when the key is not one of them.
 */
function edgeJump (event: KeyboardEvent<HTMLDivElement>, onReachTop: (() => void) | undefined): number | undefined {
  if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined
  if (event.key !== 'End' && event.key !== 'Home') return undefined
  event.preventDefault()
  const el = event.currentTarget
  const y = event.key === 'End' ? Math.max(0, el.scrollHeight - el.clientHeight) : 0
  const was = el.scrollTop
  el.scrollTop = y
  // Already at the top, no scroll event follows: ask for older rows here.
  if (event.key === 'Home' && was <= 0 && onReachTop != null) onReachTop()
  return y
}

/**
 * Scrolls the row with key `revealKey` to the middle of the view once it is among `items`; only
 * when the key or the rows change, not at every measurement.
 */
function useReveal<T> (
  revealKey: string | undefined,
  items: readonly T[],
  getKey: (item: T) => string,
  offsets: readonly number[],
  list: { container: RefObject<HTMLDivElement | null>, atBottom: RefObject<boolean>, setScrollTop: (y: number) => void }
): void {
  useLayoutEffect(() => {
    const index = revealKey == null ? -1 : items.findIndex(item => getKey(item) === revealKey)
    const el = list.container.current
    if (index < 0 || el == null) return
    list.atBottom.current = false
    const y = Math.max(0, offsets[index]! - (el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT) / 2)
    el.scrollTop = y
    list.setScrollTop(y)
  }, [revealKey, items, getKey])
}

/** A virtualised list. */
export function VirtualList<T> (props: VirtualListProps<T>): ReactNode {
  const { items, getKey, renderItem, estimateHeight, onReachTop, label, role, overscan = 400, revealKey } = props
  const container = useRef<HTMLDivElement>(null)
  const heights = useRef(new Map<string, number>())
  const rowRefs = useRef(new Map<string, HTMLDivElement>())
  const [measured, setMeasured] = useState(0)
  const [scrollTop, setScrollTop] = useState<number | undefined>(undefined)
  const atBottom = useRef(true)
  /**
   * The rendered rows and their offsets: when rows are added above, the first of them that is
   * still in the list keeps its place (a row can go away meanwhile, such as a header that now
   * sits above the added rows under a new key).
   */
  const anchor = useRef<Anchor[]>([])
  /**
   * Measured heights against the estimates of the same rows: unmeasured rows are estimated at
   * this scale, so the list's height stays close to the truth and a jump to the end lands there.
   */
  const scale = useRef({ measured: 0, estimated: 0 })

  // `measured` changes whenever a height in the ref changed.
  const offsets = useMemo(() => rowOffsets(items, getKey, estimateHeight, heights.current, scale.current), [items, getKey, estimateHeight, measured])

  const total = offsets[items.length]!
  const totalRef = useRef(total)
  totalRef.current = total
  const viewport = container.current?.clientHeight !== undefined && container.current.clientHeight > 0
    ? container.current.clientHeight
    : FALLBACK_VIEWPORT
  const top = scrollTop ?? Math.max(0, total - viewport)

  const start = rowAt(offsets, items.length, Math.max(0, top - overscan))
  const end = Math.min(items.length, rowAt(offsets, items.length, top + viewport + overscan) + 1)

  useLayoutEffect(() => {
    if (measureRows(items.slice(start, end), { getKey, estimateHeight, rows: rowRefs.current, heights: heights.current, scale: scale.current })) {
      setMeasured(m => m + 1)
    }
  })

  // Follow the bottom while the user is there; otherwise keep the first visible row where it was
  // (older rows prepended above it must not move the view).
  useLayoutEffect(() => {
    const el = container.current
    let next: number | undefined
    let kept: (Anchor & { was: number }) | undefined
    if (atBottom.current) {
      // The browser's own bottom where there is layout: the list's padding is not in `total`.
      next = el != null && el.scrollHeight > 0 ? Math.max(0, el.scrollHeight - el.clientHeight) : Math.max(0, total - viewport)
    } else {
      kept = movedAnchor(anchor.current, items, getKey, offsets)
      if (kept != null) next = (scrollTop ?? 0) + kept.offset - kept.was
    }
    if (next != null) {
      if (el != null) el.scrollTop = next
      if (next !== scrollTop) setScrollTop(next)
    }
    // After a jump this render drew the rows of the old position: keep holding the same row until
    // the list has drawn (and measured) the rows around it.
    anchor.current = kept != null
      ? [{ key: kept.key, offset: kept.offset }]
      : items.slice(start, end).map((item, i) => ({ key: getKey(item), offset: offsets[start + i]! }))
  })

  useReveal(revealKey, items, getKey, offsets, { container, atBottom, setScrollTop })

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget
    const y = el.scrollTop
    // The computed total, not scrollHeight: the spacers make them equal, and it needs no layout.
    atBottom.current = y + (el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT) >= totalRef.current - 32
    setScrollTop(y)
    if (y <= 0 && onReachTop != null) onReachTop()
  }, [onReachTop])

  const onKeyDown = useCallback((event: KeyboardEvent<HTMLDivElement>) => {
    const y = edgeJump(event, onReachTop)
    if (y == null) return
    atBottom.current = event.key === 'End'
    setScrollTop(y)
  }, [onReachTop])

  const setRowRef = (key: string) => (el: HTMLDivElement | null): void => {
    if (el == null) rowRefs.current.delete(key)
    else rowRefs.current.set(key, el)
  }

  return (
    <div ref={container} className='virtual-list' role={role} aria-label={label} tabIndex={0} onScroll={onScroll} onKeyDown={onKeyDown}>
      <div style={{ height: offsets[start] }} aria-hidden='true' />
      {items.slice(start, end).map(item => {
        const key = getKey(item)
        return <div key={key} ref={setRowRef(key)} className='virtual-row'>{renderItem(item)}</div>
      })}
      <div style={{ height: total - offsets[end]! }} aria-hidden='true' />
    </div>
  )
}
