// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A conversation: its messages (virtualised, with day separators and per-message delivery state),
 * the composer, and the conversation's controls: safety number, disappearing timer, block, delete.
 */
import { useCallback, useId, useState } from 'react'
import { useClient } from '../components/context.js'
import { disappearingLabel } from '../components/format.js'
import { PeerName } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import { ChatDialogs } from './chat-dialogs.js'
import { ChatHeader, useTimerChoice } from './chat-header.js'
import { Composer } from './chat-composer.js'
import { MessageList } from './chat-rows.js'
import { SearchBox } from './search-box.js'
import { useJumpTarget } from './message-extras.js'
import { useConversation } from './use-conversation.js'
import { useFileSender } from './use-file-sender.js'
import { UploadStatus, useFileDrop } from './file-drop.js'
import type { ReactNode } from 'react'
import type { ContactView, MessageView } from '../../shared/contract.js'
import type { ChatDialog } from './chat-header.js'

export { chatRows } from './chat-rows.js'
export type { ChatRow } from './chat-rows.js'
export { PAGE_SIZE } from './use-conversation.js'

/** Props of {@link Chat}. */
export interface ChatProps {
  /** The contact whose conversation this is. */
  contactId: string
  /** Called after the contact was deleted. */
  onDeleted: () => void
  /** A message to show once it is loaded (a search result). */
  jumpToId?: string
  /** The user sent a message (the conversation list shows it and moves the contact up). */
  onSent?: () => void
}

/** The chat screen. */
export function Chat ({ contactId, onDeleted, jumpToId, onSent }: ChatProps): ReactNode {
  const client = useClient()
  const titleId = useId()
  const { contact, setContact, messages, addMessage, loadError, loadOlder, changeMessage, typing } = useConversation(contactId)
  const [dialog, setDialog] = useState<ChatDialog | undefined>()
  // The main side pushes no event for the user's own messages: the list learns of them here.
  const sent = useCallback((message: MessageView) => { addMessage(message); onSent?.() }, [addMessage, onSent])
  const files = useFileSender(contactId, sent)
  const drop = useFileDrop(files.send, contact?.blocked !== false)
  const [replyTo, setReplyTo] = useState<MessageView>()
  // A message to show (a search result): older pages load until it is there, or none is left.
  const [target, setTarget] = useJumpTarget(messages, loadOlder, false, jumpToId)
  const update = useAction(async (fn: () => Promise<ContactView>) => { setContact(await fn()) })
  const timer = useTimerChoice(contactId, setContact)
  const remove = useAction(async () => {
    await client.deleteContact({ contactId })
    onDeleted()
  })

  if (loadError != null) return <section className='chat'><p role='alert' className='error'>{loadError}</p></section>
  if (contact == null) return <section className='chat' aria-busy='true'><p>Loading…</p></section>

  const error = update.error ?? timer.error
  return (
    <section className={drop.over ? 'chat dropping' : 'chat'} aria-labelledby={titleId} {...drop.props}>
      <ChatHeader contact={contact} titleId={titleId} timer={timer} onDialog={setDialog} onUnblock={() => { void update.run(() => client.unblock({ contactId })) }} />
      {contact.identityChanged && (
        <div className='banner warning' role='alert'>
          <p>The safety number with <PeerName name={contact.alias} /> changed. This happens when they reinstall Sotto, or when someone is in the middle. Compare the new number before you go on.</p>
          <button type='button' onClick={() => { setDialog('safety') }}>Show safety number</button>
          <button type='button' onClick={() => { void update.run(() => client.acceptKeyChange({ contactId })) }}>Accept the new key</button>
          <button type='button' onClick={() => { void update.run(() => client.keepKey({ contactId })) }}>Keep the old key</button>
          {!contact.blocked && <button type='button' onClick={() => { setDialog('block') }}>Block</button>}
        </div>
      )}
      {contact.disappearingSeconds > 0 && (
        <p className='banner info'>Messages disappear {disappearingLabel(contact.disappearingSeconds)} after they are read.</p>
      )}
      {error != null && <p role='alert' className='error'>{error}</p>}
      <SearchBox contactId={contactId} label='Search this conversation' onOpen={m => { setTarget(m.id) }} />
      <MessageList
        messages={messages}
        alias={contact.alias}
        contactId={contactId}
        onReply={setReplyTo}
        onChanged={changeMessage}
        onJump={setTarget}
        reveal={target}
        onReachTop={loadOlder}
      />
      {typing && <p className='typing' role='status'><PeerName name={contact.alias} /> is typing…</p>}
      <UploadStatus sender={files} />
      <Composer contactId={contactId} blocked={contact.blocked} onSent={sent} replyTo={replyTo} onCancelReply={() => { setReplyTo(undefined) }} onFiles={files.send} />
      <ChatDialogs
        dialog={dialog}
        contact={contact}
        busy={update.busy}
        onClose={() => { setDialog(undefined) }}
        onSetVerified={verified => { void update.run(() => client.setVerified({ contactId, verified })) }}
        onBlock={() => { void update.run(() => client.block({ contactId })) }}
        onDelete={() => { void remove.run() }}
      />
      {remove.error != null && <p role='alert' className='error'>{remove.error}</p>}
    </section>
  )
}
