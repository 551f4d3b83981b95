import type { App } from '@slack/bolt'
import { type AfterAckQueue, createAfterAckQueue } from '../after-ack.ts'
import { BUDGET_CHOICE_ACTION_PREFIX } from '../blocks/budget-question.ts'
import { CHANGE_ACTIONS } from '../blocks/change-card.ts'
import { CLIENT_PICK } from '../blocks/client-settings-blocks.ts'
import { CLIENT_ACTIONS } from '../blocks/clients-message.ts'
import { CONNECT_ACCOUNTS_VIEW, CONNECT_TOKEN_VIEW } from '../blocks/connect-modals.ts'
import { CREATE_CAMPAIGN_VIEW } from '../blocks/create-campaign-modal.ts'
import { DID_YOU_MEAN_ACTION_PREFIX } from '../blocks/did-you-mean.ts'
import { DIGEST_SUBSCRIBE_VIEW } from '../blocks/digest-subscribe-modal.ts'
import { APPROVE_NOTE_VIEW, EDIT_CHANGE_VIEW } from '../blocks/edit-change-modal.ts'
import { METRICS_PERIOD_ACTION_PREFIX } from '../blocks/metrics-message.ts'
import { SETTINGS_VIEW } from '../blocks/settings-modal.ts'
import { SUGGESTION_DISMISS_ACTION } from '../blocks/suggestion-message.ts'
import type { SlackDeps } from '../deps.ts'
import { budgetChoiceClicked } from './actions/budget-choice-clicked.ts'
import {
  changeApproveClicked,
  changeApproveNoteClicked,
  changeEditClicked,
  changeRejectClicked,
  changeRetryClicked,
  changeUndoClicked,
} from './actions/change-decision.ts'
import { clientRemoveCancelled } from './actions/client-remove-cancelled.ts'
import { clientRemoveConfirmed } from './actions/client-remove-confirmed.ts'
import { didYouMeanClicked } from './actions/did-you-mean-clicked.ts'
import { metricsPeriodClicked } from './actions/metrics-period-clicked.ts'
import { settingsClientPicked } from './actions/settings-client-picked.ts'
import { suggestionDismissed } from './actions/suggestion-dismissed.ts'
import { promolyCommand } from './commands/promoly.ts'
import { appHomeOpened } from './events/app-home-opened.ts'
import { appMention } from './events/app-mention.ts'
import { appUninstalled } from './events/app-uninstalled.ts'
import { tokensRevoked } from './events/tokens-revoked.ts'
import { directMessage } from './messages/direct-message.ts'
import { threadFollowUp } from './messages/thread-follow-up.ts'
import { approveNoteSubmitted } from './views/approve-note-submitted.ts'
import { connectAccountsClosed, connectAccountsSubmitted } from './views/connect-accounts-submitted.ts'
import { connectTokenSubmitted } from './views/connect-token-submitted.ts'
import { createCampaignSubmitted } from './views/create-campaign-submitted.ts'
import { digestSubscribeSubmitted } from './views/digest-subscribe-submitted.ts'
import { editChangeSubmitted } from './views/edit-change-submitted.ts'
import { settingsSubmitted } from './views/settings-submitted.ts'

/** The routing table of the Slack surface: one handler per command, view and event. */
export function registerListeners(app: App, deps: SlackDeps, afterAck: AfterAckQueue = createAfterAckQueue()): void {
  app.command('/promoly', promolyCommand(deps, afterAck))
  app.action(new RegExp(`^${DID_YOU_MEAN_ACTION_PREFIX}\\d$`), didYouMeanClicked(deps, afterAck))
  app.view(CONNECT_TOKEN_VIEW, connectTokenSubmitted(deps))
  app.view(CONNECT_ACCOUNTS_VIEW, connectAccountsSubmitted(deps))
  app.view({ callback_id: CONNECT_ACCOUNTS_VIEW, type: 'view_closed' }, connectAccountsClosed(deps))
  app.view(CREATE_CAMPAIGN_VIEW, createCampaignSubmitted(deps))
  app.action(new RegExp(`^${METRICS_PERIOD_ACTION_PREFIX}`), metricsPeriodClicked(deps))
  app.action(new RegExp(`^${BUDGET_CHOICE_ACTION_PREFIX}`), budgetChoiceClicked(deps))
  app.action(CHANGE_ACTIONS.approve, changeApproveClicked(deps))
  app.action(CHANGE_ACTIONS.reject, changeRejectClicked(deps))
  app.action(CHANGE_ACTIONS.edit, changeEditClicked(deps))
  app.action(CHANGE_ACTIONS.approveNote, changeApproveNoteClicked(deps))
  app.action(CHANGE_ACTIONS.undo, changeUndoClicked(deps))
  // A group card has one Retry per failed part (change_retry_0, _1, …: action ids are unique within a block).
  app.action(new RegExp(`^${CHANGE_ACTIONS.retry}(_\\d+)?$`), changeRetryClicked(deps))
  app.view(EDIT_CHANGE_VIEW, editChangeSubmitted(deps))
  app.view(APPROVE_NOTE_VIEW, approveNoteSubmitted(deps))
  app.view(SETTINGS_VIEW, settingsSubmitted(deps))
  app.action(CLIENT_PICK.action, settingsClientPicked(deps))
  app.action(SUGGESTION_DISMISS_ACTION, suggestionDismissed(deps))
  app.action(CLIENT_ACTIONS.removeConfirm, clientRemoveConfirmed(deps))
  app.action(CLIENT_ACTIONS.removeCancel, clientRemoveCancelled())
  app.view(DIGEST_SUBSCRIBE_VIEW, digestSubscribeSubmitted(deps))
  app.event('app_mention', appMention(deps))
  app.event('app_home_opened', appHomeOpened(deps))
  app.event('app_uninstalled', appUninstalled(deps))
  app.event('tokens_revoked', tokensRevoked(deps))
  app.message(directMessage(deps))
  app.message(threadFollowUp(deps))
}
