// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Runs an async action from a button or form, tracking busy state and the error to show.
 */
import { useCallback, useRef, useState } from 'react'
import { errorMessage } from '../client.js'

/** What {@link useAction} returns. */
export interface Action<A extends unknown[]> {
  /** Runs the action (ignored while it runs). */
  run: (...args: A) => Promise<void>
  /** Running now. */
  busy: boolean
  /** The last error's message. */
  error: string | undefined
  /** Clears the error. */
  clear: () => void
}

/** Wraps `fn`. */
export function useAction<A extends unknown[]> (fn: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const running = useRef(false)
  const run = useCallback(async (...args: A) => {
    if (running.current) return
    running.current = true
    setBusy(true)
    setError(undefined)
    try {
      await fn(...args)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      running.current = false
      setBusy(false)
    }
  }, [fn])
  return { run, busy, error, clear: () => { setError(undefined) } }
}
