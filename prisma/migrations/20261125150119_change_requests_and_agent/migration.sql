-- CreateEnum
CREATE TYPE "ChangeType" AS ENUM ('PAUSE', 'RESUME', 'SET_DAILY_BUDGET', 'SET_LIFETIME_BUDGET', 'CREATE_CAMPAIGN');

-- CreateEnum
CREATE TYPE "ChangeStatus" AS ENUM ('PROPOSED', 'APPROVED', 'APPLYING', 'APPLIED', 'FAILED', 'REJECTED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "ChangeSource" AS ENUM ('COMMAND', 'OPTIMIZER', 'AGENT', 'UNDO');

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "suggestionsChannelId" TEXT;

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "campaignId" TEXT,
    "type" "ChangeType" NOT NULL,
    "status" "ChangeStatus" NOT NULL DEFAULT 'PROPOSED',
    "source" "ChangeSource" NOT NULL,
    "requestedBySlackUserId" TEXT,
    "reason" TEXT,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "currentValue" JSONB NOT NULL DEFAULT '{}',
    "proposedValue" JSONB NOT NULL,
    "guardrails" JSONB NOT NULL DEFAULT '[]',
    "overrideReason" TEXT,
    "decidedBySlackUserId" TEXT,
    "decidedAt" TIMESTAMP(3),
    "appliedAt" TIMESTAMP(3),
    "outcome" JSONB,
    "failureReason" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "undoOfId" TEXT,
    "suggestionId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "cardChannelId" TEXT,
    "cardMessageTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeResult" (
    "id" TEXT NOT NULL,
    "changeRequestId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "before" DOUBLE PRECISION,
    "after" DOUBLE PRECISION,
    "days" INTEGER NOT NULL,
    "verdict" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "evaluatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Suggestion" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "adAccountId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "title" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "confidence" DOUBLE PRECISION NOT NULL,
    "notice" TEXT,
    "expectedEffect" JSONB NOT NULL DEFAULT '{}',
    "metricName" TEXT NOT NULL,
    "metricValue" DOUBLE PRECISION NOT NULL,
    "metricBaseline" DOUBLE PRECISION,
    "changeRequestId" TEXT,
    "postedChannelId" TEXT,
    "postedTs" TEXT,
    "rejectedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Suggestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentMessage" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "threadKey" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenUsage" (
    "workspaceId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TokenUsage_pkey" PRIMARY KEY ("workspaceId","date")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "eventId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChangeRequest_idempotencyKey_key" ON "ChangeRequest"("idempotencyKey");

-- CreateIndex
CREATE INDEX "ChangeRequest_workspaceId_status_idx" ON "ChangeRequest"("workspaceId", "status");

-- CreateIndex
CREATE INDEX "ChangeRequest_campaignId_appliedAt_idx" ON "ChangeRequest"("campaignId", "appliedAt");

-- CreateIndex
CREATE INDEX "ChangeRequest_adAccountId_appliedAt_idx" ON "ChangeRequest"("adAccountId", "appliedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeResult_changeRequestId_key" ON "ChangeResult"("changeRequestId");

-- CreateIndex
CREATE INDEX "Suggestion_workspaceId_status_idx" ON "Suggestion"("workspaceId", "status");

-- CreateIndex
CREATE INDEX "Suggestion_campaignId_kind_status_idx" ON "Suggestion"("campaignId", "kind", "status");

-- CreateIndex
CREATE INDEX "AgentMessage_workspaceId_threadKey_createdAt_idx" ON "AgentMessage"("workspaceId", "threadKey", "createdAt");

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_adAccountId_fkey" FOREIGN KEY ("adAccountId") REFERENCES "AdAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChangeResult" ADD CONSTRAINT "ChangeResult_changeRequestId_fkey" FOREIGN KEY ("changeRequestId") REFERENCES "ChangeRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Suggestion" ADD CONSTRAINT "Suggestion_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
