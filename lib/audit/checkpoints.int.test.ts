import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newestCheckpoint } from "@/db/audit-checkpoints";
import { currentAuditKey } from "@/db/audit-key";
import { matchesCheckpoint, recordAuditEvent } from "@/db/queries/audit";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { startAuditCheckpoints } from "./checkpoints";

let t: TestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-checkpoint-writer-"));
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("startAuditCheckpoints", () => {
  it("writes a checkpoint when the log has grown, none when it has not, and one more on stop", async () => {
    const file = path.join(dir, "checkpoints.jsonl");
    const writer = startAuditCheckpoints(t.db, file, { everyMs: 3_600_000, onError: (e) => { throw e; } });
    const first = await recordAuditEvent(t.db, { action: "test.one" });
    expect(await writer.write()).toBe(first.id);
    expect(await writer.write()).toBeUndefined();
    const second = await recordAuditEvent(t.db, { action: "test.two" });
    await writer.stop();
    const key = currentAuditKey()!;
    const { checkpoint } = newestCheckpoint(file, new Map([[key.id, key]]));
    expect(checkpoint).toMatchObject({ lastId: second.id, count: 2 });
    expect(await matchesCheckpoint(t.db, checkpoint!)).toBeUndefined();
  });
});
