import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt'
import { getMetricsReport } from '../../../domain/metrics/get-metrics-report.ts'
import { parsePeriod } from '../../../domain/metrics/periods.ts'
import { type MetricsPeriodValue, metricsMessage } from '../../blocks/metrics-message.ts'
import type { SlackDeps } from '../../deps.ts'
import { requireWorkspace } from '../../middleware/workspace-context.ts'
import { replyError } from '../../reply-error.ts'

/** A period button on a metrics card: the same card, recomputed for that period, in place. */
export function metricsPeriodClicked(deps: SlackDeps) {
  return async ({ ack, action, body, client, respond, context }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>) => {
    await ack()
    try {
      const value = JSON.parse(action.value ?? '{}') as Partial<MetricsPeriodValue>
      const workspace = requireWorkspace(context)
      if (typeof value.target !== 'string') throw new Error('metrics button without a target')
      const report = await getMetricsReport(deps.domain.prisma, {
        workspaceId: workspace.id,
        target: value.target,
        period: parsePeriod(value.period),
        now: deps.domain.now(),
      })
      await respond({ replace_original: true, ...metricsMessage(report, deps.domain.now()) })
    } catch (err) {
      await replyError({ client, userId: body.user.id, respond }, err, { logger: deps.logger, what: 'metrics period button' })
    }
  }
}
