CREATE TABLE "routing_classifiers" (
	"sha256" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"training" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "routing_classifiers" ADD CONSTRAINT "routing_classifiers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;