ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_a_b_fkey" FOREIGN KEY ("a", "b") REFERENCES "public"."users" ("id", "email") DEFERRABLE INITIALLY DEFERRED;
