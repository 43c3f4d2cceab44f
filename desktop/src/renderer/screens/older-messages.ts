// SPDX-License-Identifier: AGPL-3.0-only
/**
 * Paging a conversation back (a contact's or a group's): the page before the oldest message
 * shown, one request at a time, until a short page says there is no more.
 */
import { useCallback, useRef } from 'react'
import type { Dispatch, SetStateAction } from 'react'
import type { SottoClient } from '../client.js'
import type { MessageView } from '../../shared/contract.js'

/** Messages loaded per page. */
export const PAGE_SIZE = 100

/** What {@link useOlderMessages} pages. */
export interface OlderMessages {
  client: SottoClient
  /** The conversation: a contact's id, or a group's. */
  contactId: string
  /** The messages shown, oldest first. */
  messages: readonly MessageView[]
  setMessages: Dispatch<SetStateAction<MessageView[]>>
  /** Every message back to the first is loaded. */
  complete: boolean
  setComplete: (complete: boolean) => void
}

/** Loads the page of messages before the oldest one shown (nothing while one loads, or once complete). */
export function useOlderMessages ({ client, contactId, messages, setMessages, complete, setComplete }: OlderMessages): () => void {
  const loading = useRef(false)
  return useCallback(() => {
    if (complete || loading.current || messages.length === 0) return
    loading.current = true
    client.history({ contactId, before: messages[0]!.id, limit: PAGE_SIZE })
      .then(older => {
        setMessages(list => [...older.filter(o => !list.some(m => m.id === o.id)), ...list])
        if (older.length < PAGE_SIZE) setComplete(true)
      })
      .catch(() => {})
      .finally(() => { loading.current = false })
  }, [client, complete, contactId, messages, setMessages, setComplete])
}
