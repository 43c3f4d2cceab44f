// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A vertically virtualised list: only the rows near the viewport are in the DOM. Row heights are
 * estimated, then measured once rendered. It sticks to the bottom while the user is there (a chat),
 * and asks for older rows when scrolled to the top.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { ReactNode, UIEvent } from 'react'

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
}

/** Viewport height used before (or without) layout, e.g. in tests. */
const FALLBACK_VIEWPORT = 600

/** A virtualised list. */
export function VirtualList<T> (props: VirtualListProps<T>): ReactNode {
  const { items, getKey, renderItem, estimateHeight, onReachTop, label, role, overscan = 400 } = props
  const container = useRef<HTMLDivElement>(null)
  const heights = useRef(new Map<string, number>())
  const rowRefs = useRef(new Map<string, HTMLDivElement>())
  const [measured, setMeasured] = useState(0)
  const [scrollTop, setScrollTop] = useState<number | undefined>(undefined)
  const atBottom = useRef(true)
  /** The first rendered row and its offset, to keep it in place when rows are added above. */
  const anchor = useRef<{ key: string, offset: number } | undefined>(undefined)

  const offsets = useMemo(() => {
    const list = new Array<number>(items.length + 1)
    list[0] = 0
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!
      list[i + 1] = list[i]! + (heights.current.get(getKey(item)) ?? estimateHeight(item))
    }
    return list
    // `measured` changes whenever a height in the ref changed.
  }, [items, getKey, estimateHeight, measured])

  const total = offsets[items.length]!
  const totalRef = useRef(total)
  totalRef.current = total
  const viewport = container.current?.clientHeight !== undefined && container.current.clientHeight > 0
    ? container.current.clientHeight
    : FALLBACK_VIEWPORT
  const top = scrollTop ?? Math.max(0, total - viewport)

  const findIndex = (y: number): number => {
    let lo = 0
    let hi = items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (offsets[mid + 1]! <= y) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const start = findIndex(Math.max(0, top - overscan))
  const end = Math.min(items.length, findIndex(top + viewport + overscan) + 1)

  useLayoutEffect(() => {
    let changed = false
    for (const [key, el] of rowRefs.current) {
      const h = el.offsetHeight
      if (h > 0 && heights.current.get(key) !== h) {
        heights.current.set(key, h)
        changed = true
      }
    }
    if (changed) setMeasured(m => m + 1)
  })

  // Follow the bottom while the user is there; otherwise keep the first visible row where it was
  // (older rows prepended above it must not move the view).
  useLayoutEffect(() => {
    const el = container.current
    let next: number | undefined
    if (atBottom.current) {
      next = Math.max(0, total - viewport)
    } else if (anchor.current != null) {
      const { key, offset } = anchor.current
      const index = items.findIndex(item => getKey(item) === key)
      if (index >= 0 && offsets[index] !== offset) next = (scrollTop ?? 0) + offsets[index]! - offset
    }
    if (next != null) {
      if (el != null) el.scrollTop = next
      if (next !== scrollTop) setScrollTop(next)
    }
    const first = items[start]
    anchor.current = first != null ? { key: getKey(first), offset: offsets[start]! } : undefined
  })

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget
    const y = el.scrollTop
    // The computed total, not scrollHeight: the spacers make them equal, and it needs no layout.
    atBottom.current = y + (el.clientHeight > 0 ? el.clientHeight : FALLBACK_VIEWPORT) >= totalRef.current - 32
    setScrollTop(y)
    if (y <= 0 && onReachTop != null) onReachTop()
  }, [onReachTop])

  const setRowRef = (key: string) => (el: HTMLDivElement | null): void => {
    if (el == null) rowRefs.current.delete(key)
    else rowRefs.current.set(key, el)
  }

  return (
    <div ref={container} className='virtual-list' role={role} aria-label={label} tabIndex={0} onScroll={onScroll}>
      <div style={{ height: offsets[start] }} aria-hidden='true' />
      {items.slice(start, end).map(item => {
        const key = getKey(item)
        return <div key={key} ref={setRowRef(key)} className='virtual-row'>{renderItem(item)}</div>
      })}
      <div style={{ height: total - offsets[end]! }} aria-hidden='true' />
    </div>
  )
}
