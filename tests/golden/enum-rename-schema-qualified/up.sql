ALTER TYPE "app"."mood" RENAME TO "feeling";
