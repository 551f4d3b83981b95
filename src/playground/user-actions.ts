import { randomUUID } from 'node:crypto'
import { validateView } from './block-kit-validator.ts'
import { APP_ID, BOT_ID, BOT_USER_ID, type PgChannel, type PgMessage, type PgView, TEAM, YOU } from './model.ts'
import { type DeliveryResult, deliverSigned, formBody, interactivityBody } from './signed-delivery.ts'
import type { WorkspaceState } from './workspace-state.ts'

export interface DeliveryTarget {
  /** Promoly's Request URL, e.g. http://127.0.0.1:3000/slack/events */
  requestUrl: string
  signingSecret: string
  /** Base URL of this emulator (response_urls point here). */
  selfUrl: () => string
}

type Ok = { ok: true } | { ok: false; error: string }

const userRef = (state: WorkspaceState, id: string) => {
  const u = state.user(id)
  return { id, username: u?.name ?? id, name: u?.name ?? id, team_id: u?.teamId ?? TEAM.id }
}

function richTextBlocks(text: string) {
  return [
    {
      type: 'rich_text',
      block_id: randomUUID().slice(0, 5),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ]
}

/**
 * What a person does in the Slack client, turned into what Slack sends the app: slash commands,
 * Events API callbacks and interactivity payloads, each a signed HTTP request with Slack's shapes.
 */
export function createUserActions(state: WorkspaceState, target: DeliveryTarget) {
  async function deliverEvent(event: Record<string, unknown>): Promise<DeliveryResult> {
    const envelope = {
      token: 'playground-verification-token',
      team_id: TEAM.id,
      context_team_id: TEAM.id,
      context_enterprise_id: null,
      api_app_id: APP_ID,
      event,
      type: 'event_callback',
      event_id: `Ev${state.id('').slice(0, 10)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomUUID()}`,
    }
    const r = await deliverSigned({
      url: target.requestUrl,
      signingSecret: target.signingSecret,
      body: JSON.stringify(envelope),
      contentType: 'application/json',
    })
    if (r.error)
      state.emit({
        type: 'toast',
        data: { level: 'error', text: `Promoly did not accept the ${String(event.type)} event (${r.error}, HTTP ${r.status}).` },
      })
    return r
  }

  async function deliverInteraction(payload: Record<string, unknown>): Promise<DeliveryResult> {
    const r = await deliverSigned({
      url: target.requestUrl,
      signingSecret: target.signingSecret,
      body: interactivityBody(payload),
      contentType: 'application/x-www-form-urlencoded',
    })
    if (r.error)
      state.emit({
        type: 'toast',
        data: { level: 'error', text: `Promoly did not answer the ${String(payload.type)} in time (${r.error}).` },
      })
    return r
  }

  async function slashCommand(channel: PgChannel, text: string, user: string): Promise<Ok> {
    const channelId = channel.id
    const trimmed = text.trim()
    const command = trimmed.split(/\s/, 1)[0] ?? ''
    const args = trimmed.slice(command.length).trim()
    const responseId = state.newResponseUrl({ channel: channelId, user })
    const triggerId = state.newTrigger(user)
    const body = formBody({
      token: 'playground-verification-token',
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: channelId,
      channel_name: channel.kind === 'im' ? 'directmessage' : channel.name,
      user_id: user,
      user_name: state.user(user)?.name ?? user,
      command,
      text: args,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: `${target.selfUrl()}/response/${responseId}`,
      trigger_id: triggerId,
    })
    if (command !== '/promoly') {
      state.slackbotNotice(
        channelId,
        `${command} is not a valid command. In Slack, all messages that start with "/" are interpreted as commands.`,
      )
      return { ok: true }
    }
    const r = await deliverSigned({
      url: target.requestUrl,
      signingSecret: target.signingSecret,
      body,
      contentType: 'application/x-www-form-urlencoded',
    })
    if (r.error) {
      state.slackbotNotice(channelId, `/promoly failed with the error "${r.error}"`)
      return { ok: true }
    }
    // The ack body is an immediate response (ephemeral unless in_channel).
    const ack = r.json as Record<string, unknown> | undefined
    if (ack && (ack.text || ack.blocks)) postResponse({ channel: channelId, user }, ack)
    else if (r.body && !r.json) state.botMessage(channelId, { text: r.body, visibleTo: user })
    return { ok: true }
  }

  /** A response_url answer: Slack's rules for response_type, replace_original and delete_original. */
  function postResponse(
    t: { channel: string; user: string; messageTs?: string; messageEphemeral?: boolean; threadTs?: string },
    body: Record<string, unknown>,
  ): { ok: boolean; error?: string } {
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined
    if (body.delete_original === true || body.delete_original === 'true') {
      if (t.messageTs) state.deleteMessage(t.channel, t.messageTs)
      return { ok: true }
    }
    if ((body.replace_original === true || body.replace_original === 'true') && t.messageTs) {
      state.updateMessage(t.channel, t.messageTs, { text: String(body.text ?? ''), blocks })
      return { ok: true }
    }
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : t.threadTs
    if (body.response_type === 'in_channel') state.botMessage(t.channel, { text: String(body.text ?? ''), blocks, threadTs })
    else state.botMessage(t.channel, { text: String(body.text ?? ''), blocks, threadTs, visibleTo: t.user })
    return { ok: true }
  }

  async function send(input: { channel: string; text: string; threadTs?: string; user?: string }): Promise<Ok> {
    const user = input.user ?? YOU
    const channel = state.channel(input.channel)
    if (!channel) return { ok: false, error: 'channel_not_found' }
    const text = input.text.trim()
    if (!text) return { ok: false, error: 'no_text' }
    if (text.startsWith('/')) return slashCommand(channel, text, user)
    // "@Promoly" typed in the composer becomes a real mention, as Slack's autocomplete does.
    const wireText = text.replace(/@promoly\b/gi, `<@${BOT_USER_ID}>`)
    const m = state.addMessage({ channel: channel.id, user, text: wireText, threadTs: input.threadTs })
    const base = {
      user,
      text: wireText,
      ts: m.ts,
      team: TEAM.id,
      blocks: richTextBlocks(wireText),
      client_msg_id: randomUUID(),
      event_ts: m.ts,
      channel: channel.id,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    }
    if (channel.kind === 'im') await deliverEvent({ type: 'message', ...base, channel_type: 'im' })
    else {
      // message.channels: every message in a channel Promoly is in; app_mention when addressed.
      await deliverEvent({ type: 'message', ...base, channel_type: 'channel' })
      if (wireText.includes(`<@${BOT_USER_ID}>`)) await deliverEvent({ type: 'app_mention', ...base })
    }
    return { ok: true }
  }

  function messagePayload(m: PgMessage) {
    return {
      type: 'message',
      user: m.user,
      bot_id: m.botId,
      app_id: m.botId ? APP_ID : undefined,
      text: m.text,
      ts: m.ts,
      thread_ts: m.threadTs,
      blocks: m.blocks,
      team: TEAM.id,
    }
  }

  async function action(input: {
    container: { type: 'message'; channel: string; ts: string } | { type: 'view'; viewId: string }
    blockId?: string
    action: Record<string, unknown>
    user?: string
  }): Promise<Ok> {
    const user = input.user ?? YOU
    const act = { ...input.action, block_id: input.action.block_id ?? input.blockId, action_ts: state.nextTs() }
    const common = {
      type: 'block_actions',
      user: userRef(state, user),
      api_app_id: APP_ID,
      token: 'playground-verification-token',
      trigger_id: state.newTrigger(user),
      team: { id: TEAM.id, domain: TEAM.domain },
      enterprise: null,
      is_enterprise_install: false,
      actions: [act],
    }
    if (input.container.type === 'message') {
      const { channel, ts } = input.container
      const m = state.findMessage(channel, ts)
      if (!m) return { ok: false, error: 'message_not_found' }
      const ch = state.channel(channel)
      if (!ch) return { ok: false, error: 'channel_not_found' }
      const responseId = state.newResponseUrl({ channel, user, messageTs: ts, messageEphemeral: m.ephemeral, threadTs: m.threadTs })
      await deliverInteraction({
        ...common,
        container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: Boolean(m.ephemeral) },
        channel: { id: channel, name: ch.kind === 'im' ? 'directmessage' : ch.name },
        ...(m.ephemeral ? {} : { message: messagePayload(m) }),
        state: { values: {} },
        response_url: `${target.selfUrl()}/response/${responseId}`,
      })
      return { ok: true }
    }
    const view = state.views.find((v) => v.id === (input.container as { viewId: string }).viewId)
    if (!view) return { ok: false, error: 'view_not_found' }
    await deliverInteraction({ ...common, container: { type: 'view', view_id: view.id }, view: view.view, state: view.view.state })
    return { ok: true }
  }

  async function submitView(input: { viewId: string; values: Record<string, unknown>; user?: string }): Promise<Ok> {
    const user = input.user ?? YOU
    const current = state.views.find((v) => v.id === input.viewId && v.user === user)
    if (!current) return { ok: false, error: 'view_not_found' }
    const view = { ...current.view, state: { values: input.values } }
    const r = await deliverInteraction({
      type: 'view_submission',
      team: { id: TEAM.id, domain: TEAM.domain },
      user: userRef(state, user),
      api_app_id: APP_ID,
      token: 'playground-verification-token',
      trigger_id: state.newTrigger(user),
      view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    })
    if (r.error) return { ok: false, error: r.error }
    applyViewResponse(current, view, (r.json ?? {}) as Record<string, unknown>)
    return { ok: true }
  }

  /** Slack's view_submission response_action semantics. */
  function applyViewResponse(current: PgView, submitted: Record<string, unknown>, ack: Record<string, unknown>) {
    const stack = state.views
    if ((ack.response_action === 'update' || ack.response_action === 'push') && validateView(ack.view).length > 0) {
      state.emit({
        type: 'toast',
        data: {
          level: 'error',
          text: `Promoly answered the submission with an invalid view (invalid_blocks): ${validateView(ack.view).slice(0, 3).join('; ')}`,
        },
      })
      return
    }
    const others = stack.filter((v) => v.user !== current.user)
    const mine = stack.filter((v) => v.user === current.user)
    switch (ack.response_action) {
      case 'errors':
        state.setViews(
          stack.map((v) => (v.id === current.id ? { ...v, view: submitted, errors: (ack.errors ?? {}) as Record<string, string> } : v)),
        )
        return
      case 'update': {
        const next = ack.view as Record<string, unknown>
        state.setViews(
          stack.map((v) =>
            v.id === current.id
              ? {
                  id: v.id,
                  user: v.user,
                  view: {
                    ...next,
                    id: v.id,
                    hash: `${Date.now()}`,
                    state: { values: {} },
                    private_metadata: next.private_metadata ?? '',
                    callback_id: next.callback_id ?? '',
                    bot_id: BOT_ID,
                  },
                }
              : v,
          ),
        )
        return
      }
      case 'push': {
        const next = ack.view as Record<string, unknown>
        const id = state.id('V')
        state.setViews([
          ...stack,
          {
            id,
            user: current.user,
            view: {
              ...next,
              id,
              hash: `${Date.now()}`,
              state: { values: {} },
              private_metadata: next.private_metadata ?? '',
              callback_id: next.callback_id ?? '',
            },
          },
        ])
        return
      }
      case 'clear':
        state.setViews(others)
        return
      default:
        state.setViews([...others, ...mine.filter((v) => v.id !== current.id)])
    }
  }

  async function closeView(input: { viewId: string; user?: string }): Promise<Ok> {
    const user = input.user ?? YOU
    const current = state.views.find((v) => v.id === input.viewId && v.user === user)
    if (!current) return { ok: false, error: 'view_not_found' }
    state.setViews(state.views.filter((v) => v.id !== current.id))
    if (current.view.notify_on_close) {
      await deliverInteraction({
        type: 'view_closed',
        team: { id: TEAM.id, domain: TEAM.domain },
        user: userRef(state, user),
        api_app_id: APP_ID,
        token: 'playground-verification-token',
        view: current.view,
        is_cleared: false,
        is_enterprise_install: false,
        enterprise: null,
      })
    }
    return { ok: true }
  }

  /** The messages tab of the app opened (agent experience). */
  async function openAppHome(user = YOU): Promise<Ok> {
    const dm = state.resolveChannel(user)
    if (!dm) return { ok: false, error: 'user_not_found' }
    await deliverEvent({ type: 'app_home_opened', user, channel: dm.id, tab: 'messages', event_ts: state.nextTs() })
    return { ok: true }
  }

  return { send, action, submitView, closeView, openAppHome, postResponse, deliverEvent }
}

export type UserActions = ReturnType<typeof createUserActions>
