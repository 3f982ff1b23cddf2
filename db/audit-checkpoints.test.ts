import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditKey } from "./audit-chain";
import { appendCheckpoint, newestCheckpoint } from "./audit-checkpoints";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-checkpoint-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const key = auditKey("kept outside the database");
const keys = new Map([[key.id, key]]);

describe("audit checkpoints", () => {
  it("appends MAC'd checkpoints to a private file and reads back the newest", () => {
    const file = path.join(dir, "a", "checkpoints.jsonl");
    expect(newestCheckpoint(file, keys)).toEqual({ rejected: 0 });
    appendCheckpoint(file, { lastId: 10, count: 10, hash: "h10" }, key);
    appendCheckpoint(file, { lastId: 14, count: 14, hash: "h14" }, key);
    expect(newestCheckpoint(file, keys)).toMatchObject({ checkpoint: { lastId: 14, count: 14, hash: "h14", keyId: key.id }, rejected: 0 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("does not trust a line that was changed or written without the key", () => {
    const file = path.join(dir, "b.jsonl");
    appendCheckpoint(file, { lastId: 10, count: 10, hash: "h10" }, key);
    const line = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.appendFileSync(file, `${JSON.stringify({ ...line, lastId: 3, count: 3 })}\nnot json\n`);
    expect(newestCheckpoint(file, keys)).toMatchObject({ checkpoint: { lastId: 10 }, rejected: 2 });
    expect(newestCheckpoint(file, new Map())).toEqual({ checkpoint: undefined, rejected: 3 });
  });
});
