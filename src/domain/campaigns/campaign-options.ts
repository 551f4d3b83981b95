import { AppError, AppErrorCode } from '../../lib/errors.ts'

export const OBJECTIVES = [
  'OUTCOME_LEADS',
  'OUTCOME_SALES',
  'OUTCOME_TRAFFIC',
  'OUTCOME_AWARENESS',
  'OUTCOME_ENGAGEMENT',
  'OUTCOME_APP_PROMOTION',
] as const
export type Objective = (typeof OBJECTIVES)[number]

export const SPECIAL_AD_CATEGORIES = [
  'EMPLOYMENT',
  'HOUSING',
  'FINANCIAL_PRODUCTS_SERVICES',
  'ISSUES_ELECTIONS_POLITICS',
  'ONLINE_GAMBLING_AND_GAMING',
] as const

const OBJECTIVE_ALIASES: Record<string, Objective> = {
  leads: 'OUTCOME_LEADS',
  lead: 'OUTCOME_LEADS',
  sales: 'OUTCOME_SALES',
  sale: 'OUTCOME_SALES',
  conversions: 'OUTCOME_SALES',
  purchases: 'OUTCOME_SALES',
  traffic: 'OUTCOME_TRAFFIC',
  clicks: 'OUTCOME_TRAFFIC',
  awareness: 'OUTCOME_AWARENESS',
  reach: 'OUTCOME_AWARENESS',
  engagement: 'OUTCOME_ENGAGEMENT',
  app: 'OUTCOME_APP_PROMOTION',
  app_promotion: 'OUTCOME_APP_PROMOTION',
  installs: 'OUTCOME_APP_PROMOTION',
}

export function parseObjective(text: string): Objective {
  const t = text.trim()
  const upper = t.toUpperCase()
  if ((OBJECTIVES as readonly string[]).includes(upper)) return upper as Objective
  if ((OBJECTIVES as readonly string[]).includes(`OUTCOME_${upper}`)) return `OUTCOME_${upper}` as Objective
  const key = t.toLowerCase()
  const alias = Object.hasOwn(OBJECTIVE_ALIASES, key) ? OBJECTIVE_ALIASES[key] : undefined
  if (!alias)
    throw new AppError(
      AppErrorCode.BAD_INPUT,
      `Unknown objective "${text}". Use one of: leads, sales, traffic, awareness, engagement, app (or OUTCOME_…).`,
    )
  return alias
}
