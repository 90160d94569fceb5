SELECT setval('"public"."counter"'::regclass, (CASE WHEN is_called THEN least(greatest(last_value, 1), 10000) ELSE 100 END)::bigint, is_called AND last_value BETWEEN 1 AND 10000) FROM "public"."counter";
--> statement-breakpoint
ALTER SEQUENCE "public"."counter" AS bigint INCREMENT BY 5 MINVALUE 1 MAXVALUE 10000 START WITH 100 CACHE 1 CYCLE;
