// SPDX-License-Identifier: AGPL-3.0-only
/**
 * A group's conversation: its name and members, the disappearing timer, the group info, the
 * timeline (see group-rows.tsx) and the composer. A member who was removed, or left, sees why and
 * cannot send. A message is replied to, reacted to, edited and deleted as in a conversation, and
 * files are attached, dropped or pasted as in a one-to-one chat (use-file-sender.ts).
 */
import { useCallback, useId, useMemo, useState } from 'react'
import { useClient } from '../components/context.js'
import { DISAPPEARING_LABELS, disappearingLabel } from '../components/format.js'
import { PeerName } from '../components/peer-text.js'
import { useAction } from '../components/use-action.js'
import { Composer } from './chat-composer.js'
import { UploadStatus, useFileDrop } from './file-drop.js'
import { GroupInfo } from './group-info.js'
import { GroupTimeline, groupRows } from './group-rows.js'
import { useJumpTarget } from './message-extras.js'
import { useGroup } from './use-group.js'
import { useFileSender } from './use-file-sender.js'
import type { ReactNode } from 'react'
import type { GroupChangeEntry, GroupView, MessageView } from '../../shared/contract.js'
import type { GroupNames } from './group-rows.js'

/** Props of {@link GroupChat}. */
export interface GroupChatProps {
  /** The group id. */
  groupId: string
  /** The user's own id. */
  selfId: string
  /** The user sent a message (the conversation list moves the group up). */
  onSent?: () => void
}

/** Names of everyone a group's view or changes mention. */
function namesOf (group: GroupView | undefined, changes: readonly GroupChangeEntry[], selfId: string): GroupNames {
  const names = new Map<string, string>()
  for (const c of changes) {
    names.set(c.by, c.byName)
    if (c.member != null && c.memberName != null) names.set(c.member, c.memberName)
  }
  for (const m of group?.members ?? []) names.set(m.id, m.name)
  return { selfId, names }
}

/** Why the user is not a member, from the group's last change about them. */
function absence (changes: readonly GroupChangeEntry[], selfId: string): string {
  const last = [...changes].reverse().find(c => c.member === selfId || (c.type === 'left' && c.by === selfId))
  if (last?.type === 'removed') return 'You were removed from this group'
  if (last?.type === 'left') return 'You left this group'
  return 'You are not a member of this group yet'
}

/** The group chat screen. */
export function GroupChat ({ groupId, selfId, onSent }: GroupChatProps): ReactNode {
  const client = useClient()
  const titleId = useId()
  const timerId = useId()
  const { group, setGroup, changes, messages, complete, addMessage, loadError, loadOlder, changeMessage } = useGroup(groupId)
  const [info, setInfo] = useState(false)
  const [replyTo, setReplyTo] = useState<MessageView>()
  const [target, setTarget] = useJumpTarget(messages, loadOlder, complete)
  const sent = useCallback((message: MessageView) => { addMessage(message); onSent?.() }, [addMessage, onSent])
  const files = useFileSender(groupId, sent)
  const drop = useFileDrop(files.send, group?.member !== true)
  const names = useMemo(() => namesOf(group, changes, selfId), [group, changes, selfId])
  const rows = useMemo(() => groupRows(messages, changes, names, complete), [messages, changes, names, complete])
  const timer = useAction(async (seconds: number) => { setGroup(await client.setGroupDisappearing({ groupId, seconds })) })

  if (loadError != null) return <section className='chat'><p role='alert' className='error'>{loadError}</p></section>
  if (group == null) return <section className='chat' aria-busy='true'><p>Loading…</p></section>

  const others = group.members.filter(m => m.id !== selfId).map(m => m.name)
  return (
    <section className={drop.over ? 'chat group-chat dropping' : 'chat group-chat'} aria-labelledby={titleId} {...drop.props}>
      <header className='chat-header'>
        <div>
          <h2 id={titleId}><PeerName name={group.name} /></h2>
          <p className='chat-subtitle'>{group.members.length} {group.members.length === 1 ? 'member' : 'members'}{others.length > 0 && <>: <PeerName name={others.slice(0, 5).join(', ')} />{others.length > 5 ? '…' : ''}</>}</p>
        </div>
        <div className='chat-actions'>
          <button type='button' onClick={() => { setInfo(true) }}>Group info</button>
          {group.member && (
            <>
              <label htmlFor={timerId} className='visually-hidden'>Disappearing messages</label>
              <select id={timerId} value={group.disappearingSeconds} title='Disappearing messages' disabled={timer.busy} onChange={e => { void timer.run(Number(e.target.value)) }}>
                {DISAPPEARING_LABELS.map(([seconds, label]) => (
                  <option key={seconds} value={seconds}>{seconds === 0 ? 'Disappearing: off' : `Disappear after ${label}`}</option>
                ))}
              </select>
            </>
          )}
        </div>
      </header>
      {!group.member && <p className='banner warning' role='status'>{absence(changes, selfId)}</p>}
      {group.member && group.disappearingSeconds > 0 && (
        <p className='banner info'>Your messages disappear {disappearingLabel(group.disappearingSeconds)} after they are sent.</p>
      )}
      {timer.error != null && <p role='alert' className='error'>{timer.error}</p>}
      <GroupTimeline
        rows={rows}
        names={names}
        groupName={group.name}
        onReachTop={loadOlder}
        groupId={groupId}
        onReply={setReplyTo}
        onChanged={changeMessage}
        onJump={setTarget}
        reveal={target}
      />
      <UploadStatus sender={files} />
      <Composer
        contactId={groupId}
        blocked={!group.member}
        blockedHint={absence(changes, selfId)}
        onSent={sent}
        onFiles={files.send}
        replyTo={group.member ? replyTo : undefined}
        onCancelReply={() => { setReplyTo(undefined) }}
      />
      {info && <GroupInfo group={group} selfId={selfId} onGroup={setGroup} onClose={() => { setInfo(false) }} />}
    </section>
  )
}
