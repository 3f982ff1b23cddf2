CREATE TABLE "ingest_workers" (
	"id" text PRIMARY KEY NOT NULL,
	"host_key" text NOT NULL,
	"pid" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
