DROP INDEX "review_items_status_idx";--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "severity" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "review_items_queue_idx" ON "review_items" USING btree ("status","severity" DESC NULLS LAST,"created_at");--> statement-breakpoint
UPDATE "review_items" SET "severity" = CASE
  WHEN "reasons" @> '[{"kind":"topic"}]' OR "reasons" @> '[{"kind":"category"}]' OR "reasons" @> '[{"kind":"amount"}]' OR "reasons" @> '[{"kind":"injection"}]' THEN 3
  WHEN "reasons" @> '[{"kind":"pii"}]' THEN 2
  WHEN "reasons" @> '[{"kind":"grounding"}]' OR "reasons" @> '[{"kind":"citation"}]' THEN 1
  ELSE 0
END;
