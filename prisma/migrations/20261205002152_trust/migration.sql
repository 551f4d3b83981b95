-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "slackEnterpriseId" TEXT,
ADD COLUMN     "stoppedReason" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "slackVerifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ChangeRequest" ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "replacesId" TEXT;

-- CreateTable
CREATE TABLE "UserTokenUsage" (
    "workspaceId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UserTokenUsage_pkey" PRIMARY KEY ("workspaceId","slackUserId","date")
);

-- CreateTable
CREATE TABLE "TokenReservation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "tokens" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TokenReservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromolyState" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PromolyState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "TokenReservation_workspaceId_date_idx" ON "TokenReservation"("workspaceId", "date");

-- CreateIndex
CREATE INDEX "Workspace_slackEnterpriseId_idx" ON "Workspace"("slackEnterpriseId");

-- AddForeignKey
ALTER TABLE "ChangeRequest" ADD CONSTRAINT "ChangeRequest_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "ChangeRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;
