// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A search box over the messages the user can see: across conversations, or within one. Each
 * word typed must appear, the last may be the start of one; results come newest first.
 */
import { useEffect, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { timeLabel } from '../components/format.js'
import { PeerText } from '../components/peer-text.js'
import { errorMessage } from '../client.js'
import type { ReactNode } from 'react'
import type { MessageView } from '../../shared/contract.js'

/** Props of {@link SearchBox}. */
export interface SearchBoxProps {
  /** Only this conversation; every conversation when absent. */
  contactId?: string
  /** The accessible name of the search field. */
  label: string
  /** The user chose a result. */
  onOpen: (message: MessageView) => void
  /** Names a conversation in results across conversations. */
  nameOf?: (contactId: string) => string
}

/** The search box and its results. */
export function SearchBox ({ contactId, label, onOpen, nameOf }: SearchBoxProps): ReactNode {
  const client = useClient()
  const inputId = useId()
  const [query, setQuery] = useState('')
  const [results, setResults] = useState<MessageView[]>([])
  const [error, setError] = useState<string>()

  useEffect(() => {
    let live = true
    if (query.trim() === '') {
      setResults([])
      return
    }
    client.search({ query, ...(contactId != null ? { contactId } : {}) })
      .then(found => { if (live) { setResults(found); setError(undefined) } })
      .catch(err => { if (live) setError(errorMessage(err)) })
    return () => { live = false }
  }, [client, contactId, query])

  return (
    <div role='search' className='search-box'>
      <label htmlFor={inputId} className='visually-hidden'>{label}</label>
      <input id={inputId} type='search' value={query} placeholder={label} maxLength={256} onChange={e => { setQuery(e.target.value) }} />
      {error != null && <p role='alert' className='error'>{error}</p>}
      {query.trim() !== '' && (
        <ul className='search-results' aria-label='Search results'>
          {results.length === 0 && <li className='empty'>Nothing found</li>}
          {results.map(m => (
            <li key={m.id}>
              <button type='button' onClick={() => { onOpen(m) }}>
                {nameOf != null && <strong>{nameOf(m.contactId)}: </strong>}
                <PeerText text={m.text.slice(0, 140)} />
                <time dateTime={new Date(m.sentAt).toISOString()}> · {timeLabel(m.sentAt)}</time>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
