-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "slackEnterpriseId" TEXT;

-- CreateIndex
CREATE INDEX "Workspace_slackEnterpriseId_idx" ON "Workspace"("slackEnterpriseId");
