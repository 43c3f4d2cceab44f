// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A modal dialog: labelled, focus moved in on open and back on close, Escape closes, Tab stays
 * inside.
 */
import { useEffect, useId, useRef } from 'react'
import type { KeyboardEvent, ReactNode } from 'react'

/** Props of {@link Dialog}. */
export interface DialogProps {
  /** The dialog's title (its accessible name). */
  title: string
  /** Called on Escape or a close button. */
  onClose: () => void
  /** Content. */
  children: ReactNode
}

/** A modal dialog. */
export function Dialog ({ title, onClose, children }: DialogProps): ReactNode {
  const id = useId()
  const box = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const first = box.current?.querySelector<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')
    first?.focus()
    // Escape closes even when the focused control inside went away (focus then sits on <body>).
    const onEscape = (event: globalThis.KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.stopPropagation()
        close.current()
      }
    }
    document.addEventListener('keydown', onEscape)
    return () => {
      document.removeEventListener('keydown', onEscape)
      previous?.focus?.()
    }
  }, [])
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key !== 'Tab' || box.current == null) return
    const focusable = [...box.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    if (focusable.length === 0) return
    const first = focusable[0]!
    const last = focusable[focusable.length - 1]!
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus() }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus() }
  }
  return (
    <div className='dialog-backdrop'>
      <div ref={box} className='dialog' role='dialog' aria-modal='true' aria-labelledby={id} onKeyDown={onKeyDown}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  )
}

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  /** Title. */
  title: string
  /** What will happen. */
  children: ReactNode
  /** Label of the confirming button. */
  confirmLabel: string
  /** Confirmed. */
  onConfirm: () => void
  /** Cancelled. */
  onCancel: () => void
}

/** Asks before something that cannot be undone. Cancel has the focus first. */
export function ConfirmDialog ({ title, children, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps): ReactNode {
  return (
    <Dialog title={title} onClose={onCancel}>
      <div className='dialog-body'>{children}</div>
      <div className='dialog-actions'>
        <button type='button' onClick={onCancel}>Cancel</button>
        <button type='button' className='danger' onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </Dialog>
  )
}
