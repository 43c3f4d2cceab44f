// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A conversation: its messages (virtualised, with day separators and per-message delivery state),
 * the composer, and the conversation's controls: safety number, disappearing timer, block, delete.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { ConfirmDialog } from '../components/dialog.js'
import { useClient } from '../components/context.js'
import { DISAPPEARING_LABELS, dayKey, dayLabel, disappearingLabel, presenceLabel, stateLabel, timeLabel } from '../components/format.js'
import { PeerName, PeerText } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import { errorMessage } from '../client.js'
import { VirtualList } from '../components/virtual-list.js'
import { SafetyNumberDialog } from './safety-number-dialog.js'
import type { FormEvent, KeyboardEvent, ReactNode } from 'react'
import type { ContactView, MessageView } from '../../shared/contract.js'

/** Messages loaded per page. */
export const PAGE_SIZE = 100

/** A row of the message list. */
export type ChatRow =
  | { kind: 'day', key: string, at: number }
  | { kind: 'message', key: string, message: MessageView }

/** Interleaves day separators with messages (oldest first). */
export function chatRows (messages: readonly MessageView[]): ChatRow[] {
  const rows: ChatRow[] = []
  let day: string | undefined
  for (const message of messages) {
    const key = dayKey(message.sentAt)
    if (key !== day) {
      // Keyed by the message it heads: when older messages of the same day load, the day's
      // separator moves above them and becomes another row, so the list keeps its place.
      rows.push({ kind: 'day', key: `day:${key}:${message.id}`, at: message.sentAt })
      day = key
    }
    rows.push({ kind: 'message', key: `msg:${message.id}`, message })
  }
  return rows
}

function MessageRow ({ message, alias }: { message: MessageView, alias: string }): ReactNode {
  const out = message.direction === 'out'
  return (
    <div className={`message ${out ? 'message-out' : 'message-in'}`} data-state={message.state}>
      <span className='visually-hidden'>{out ? 'You' : <PeerName name={alias} />}: </span>
      <p className='message-text'><PeerText text={message.text} /></p>
      <p className='message-meta'>
        <time dateTime={new Date(message.sentAt).toISOString()}>{timeLabel(message.sentAt)}</time>
        {message.expiresAt != null && <span className='disappearing' title='Disappears'> · disappears {timeLabel(message.expiresAt)}</span>}
        {out && <span className={`delivery delivery-${message.state}`}> · {stateLabel(message.state, message.failure)}</span>}
      </p>
    </div>
  )
}

/** Props of {@link Chat}. */
export interface ChatProps {
  /** The contact whose conversation this is. */
  contactId: string
  /** Called after the contact was deleted. */
  onDeleted: () => void
}

/** The chat screen. */
export function Chat ({ contactId, onDeleted }: ChatProps): ReactNode {
  const client = useClient()
  const timerId = useId()
  const composerId = useId()
  const [contact, setContact] = useState<ContactView>()
  const [messages, setMessages] = useState<MessageView[]>([])
  const [complete, setComplete] = useState(false)
  const [loadError, setLoadError] = useState<string>()
  const [text, setText] = useState('')
  const [dialog, setDialog] = useState<'safety' | 'block' | 'delete' | undefined>()
  const loadingOlder = useRef(false)
  const timer = useRef(0)
  timer.current = contact?.disappearingSeconds ?? 0

  useEffect(() => {
    let live = true
    /** Marks the conversation read; reading starts disappearing timers, so then shows when each message goes. */
    const read = (): void => {
      void client.markRead({ contactId })
        .then(async () => {
          if (timer.current === 0 || !live) return
          const latest = new Map((await client.history({ contactId, limit: PAGE_SIZE })).map(m => [m.id, m]))
          if (!live) return
          setMessages(list => list.map(m => {
            const l = latest.get(m.id)
            return l?.expiresAt != null && m.expiresAt == null ? { ...m, ...l } : m
          }))
        })
        .catch(() => {})
    }
    setContact(undefined)
    setMessages([])
    setComplete(false)
    setLoadError(undefined)
    Promise.all([client.contact({ contactId }), client.history({ contactId, limit: PAGE_SIZE })])
      .then(([c, history]) => {
        if (!live) return
        setContact(c)
        setMessages(history)
        setComplete(history.length < PAGE_SIZE)
        timer.current = c.disappearingSeconds
        if (c.unread > 0) read()
      })
      .catch(err => { if (live) setLoadError((err as Error).message) })

    const offs = [
      client.bridge.onMessage(message => {
        if (message.contactId !== contactId) return
        setMessages(list => list.some(m => m.id === message.id) ? list : [...list, message])
        if (message.direction === 'in') read()
      }),
      client.bridge.onStatus(s => {
        if (s.contactId !== contactId) return
        setMessages(list => list.map(m => {
          if (m.id !== s.id) return m
          const next: MessageView = { ...m, state: s.state }
          if (s.failure != null) next.failure = s.failure
          return next
        }))
      }),
      client.bridge.onExpired(e => {
        if (e.contactId !== contactId) return
        const gone = new Set(e.ids)
        setMessages(list => list.filter(m => !gone.has(m.id)))
      }),
      client.bridge.onContact(c => { if (c.id === contactId) setContact(c) }),
      client.bridge.onConnection(c => {
        if (c.contactId === contactId) setContact(prev => prev != null ? { ...prev, presence: c.presence } : prev)
      })
    ]
    return () => {
      live = false
      for (const off of offs) off()
    }
  }, [client, contactId])

  const loadOlder = useCallback(() => {
    if (complete || loadingOlder.current || messages.length === 0) return
    loadingOlder.current = true
    client.history({ contactId, before: messages[0]!.id, limit: PAGE_SIZE })
      .then(older => {
        setMessages(list => [...older.filter(o => !list.some(m => m.id === o.id)), ...list])
        if (older.length < PAGE_SIZE) setComplete(true)
      })
      .catch(() => {})
      .finally(() => { loadingOlder.current = false })
  }, [client, complete, contactId, messages])

  const [sendError, setSendError] = useState<string>()
  /** Sends what the composer holds and empties it at once, so the next message can be typed meanwhile. */
  const send = (): void => {
    const body = text
    if (body.trim() === '' || contact?.blocked === true) return
    setText('')
    setSendError(undefined)
    client.send({ contactId, text: body })
      .then(message => { setMessages(list => list.some(m => m.id === message.id) ? list : [...list, message]) })
      .catch(err => {
        setSendError(errorMessage(err))
        // Give the text back unless something new was typed meanwhile.
        setText(current => current === '' ? body : current)
      })
  }
  const update = useAction(async (fn: () => Promise<ContactView>) => { setContact(await fn()) })

  // The timer follows the control at once, and only the last choice of a quick run (arrow keys
  // step through the options, one change each) is still sent once the one in flight is done.
  const [timerChoice, setTimerChoice] = useState<number>()
  const [timerError, setTimerError] = useState<string>()
  const wantedTimer = useRef<number | undefined>(undefined)
  const applyingTimer = useRef(false)
  const chooseTimer = (seconds: number): void => {
    wantedTimer.current = seconds
    setTimerChoice(seconds)
    if (applyingTimer.current) return
    applyingTimer.current = true
    setTimerError(undefined)
    void (async () => {
      try {
        for (let next = wantedTimer.current; next != null; next = wantedTimer.current) {
          wantedTimer.current = undefined
          setContact(await client.setDisappearing({ contactId, seconds: next }))
        }
      } catch (err) {
        wantedTimer.current = undefined
        setTimerError(errorMessage(err))
      } finally {
        applyingTimer.current = false
        setTimerChoice(undefined)
      }
    })()
  }
  const remove = useAction(async () => {
    await client.deleteContact({ contactId })
    onDeleted()
  })

  const rows = useMemo(() => chatRows(messages), [messages])
  const getKey = useCallback((row: ChatRow) => row.key, [])
  const estimate = useCallback((row: ChatRow) => row.kind === 'day' ? 36 : 24 + 20 * Math.ceil(row.message.text.length / 60), [])
  const alias = contact?.alias ?? ''
  const renderRow = useCallback((row: ChatRow) => row.kind === 'day'
    ? <h3 className='day-separator'>{dayLabel(row.at)}</h3>
    : <MessageRow message={row.message} alias={alias} />, [alias])

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    send()
  }
  const onComposerKey = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
  }

  if (loadError != null) return <section className='chat'><p role='alert' className='error'>{loadError}</p></section>
  if (contact == null) return <section className='chat' aria-busy='true'><p>Loading…</p></section>

  return (
    <section className='chat' aria-labelledby={`${timerId}-title`}>
      <header className='chat-header'>
        <div>
          <h2 id={`${timerId}-title`}><PeerName name={contact.alias} /></h2>
          <p className='chat-subtitle'>
            <span className={`presence presence-${contact.presence}`} aria-hidden='true' /> {presenceLabel(contact.presence)}
            {contact.verified && <span className='badge verified'>Verified</span>}
            {contact.blocked && <span className='badge'>Blocked</span>}
          </p>
        </div>
        <div className='chat-actions'>
          <button type='button' onClick={() => { setDialog('safety') }}>Safety number</button>
          <label htmlFor={timerId} className='visually-hidden'>Disappearing messages</label>
          <select
            id={timerId}
            value={timerChoice ?? contact.disappearingSeconds}
            title='Disappearing messages'
            onChange={e => { chooseTimer(Number(e.target.value)) }}
          >
            {DISAPPEARING_LABELS.map(([seconds, label]) => (
              <option key={seconds} value={seconds}>{seconds === 0 ? 'Disappearing: off' : `Disappear after ${label}`}</option>
            ))}
          </select>
          {contact.blocked
            ? <button type='button' onClick={() => { void update.run(() => client.unblock({ contactId })) }}>Unblock</button>
            : <button type='button' onClick={() => { setDialog('block') }}>Block</button>}
          <button type='button' className='danger' onClick={() => { setDialog('delete') }}>Delete</button>
        </div>
      </header>

      {contact.identityChanged && (
        <div className='banner warning' role='alert'>
          <p>The safety number with <PeerName name={contact.alias} /> changed. This happens when they reinstall Sotto, or when someone is in the middle. Compare the new number before you go on.</p>
          <button type='button' onClick={() => { setDialog('safety') }}>Show safety number</button>
          <button type='button' onClick={() => { void update.run(() => client.acceptKeyChange({ contactId })) }}>Accept the new key</button>
        </div>
      )}
      {contact.disappearingSeconds > 0 && (
        <p className='banner info'>Messages disappear {disappearingLabel(contact.disappearingSeconds)} after they are read.</p>
      )}
      {(update.error ?? timerError) != null && <p role='alert' className='error'>{update.error ?? timerError}</p>}

      {messages.length === 0
        ? <p className='empty'>No messages yet. Say hello.</p>
        : <VirtualList items={rows} getKey={getKey} renderItem={renderRow} estimateHeight={estimate} onReachTop={loadOlder} label={`Messages with ${contact.alias}`} role='log' />}

      <form className='composer' onSubmit={submit} aria-label='Write a message'>
        <label htmlFor={composerId} className='visually-hidden'>Message</label>
        <textarea
          id={composerId}
          value={text}
          onChange={e => { setText(e.target.value) }}
          onKeyDown={onComposerKey}
          placeholder={contact.blocked ? 'Unblock to send messages' : 'Message'}
          disabled={contact.blocked}
          maxLength={8000}
          rows={2}
        />
        <button type='submit' className='primary' disabled={contact.blocked || text.trim() === ''}>Send</button>
      </form>
      {sendError != null && <p role='alert' className='error'>{sendError}</p>}

      {dialog === 'safety' && (
        <SafetyNumberDialog
          contact={contact}
          busy={update.busy}
          onClose={() => { setDialog(undefined) }}
          onSetVerified={verified => { void update.run(() => client.setVerified({ contactId, verified })) }}
        />
      )}
      {dialog === 'block' && (
        <ConfirmDialog
          title='Block this contact?'
          confirmLabel='Block'
          onCancel={() => { setDialog(undefined) }}
          onConfirm={() => {
            setDialog(undefined)
            void update.run(() => client.block({ contactId }))
          }}
        >
          <p><PeerName name={contact.alias} /> will no longer be able to send you messages, and nothing will be sent to them.</p>
        </ConfirmDialog>
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title='Delete this conversation?'
          confirmLabel='Delete'
          onCancel={() => { setDialog(undefined) }}
          onConfirm={() => {
            setDialog(undefined)
            void remove.run()
          }}
        >
          <p>The contact and every message with <PeerName name={contact.alias} /> are deleted from this device.</p>
        </ConfirmDialog>
      )}
      {remove.error != null && <p role='alert' className='error'>{remove.error}</p>}
    </section>
  )
}
