-- CreateEnum
CREATE TYPE "ItemStatus" AS ENUM ('ACTIVE', 'ARCHIVED');

-- AlterTable
ALTER TABLE "items" ADD COLUMN "status" "ItemStatus" NOT NULL DEFAULT 'ACTIVE';
