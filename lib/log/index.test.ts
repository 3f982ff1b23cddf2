import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./index";

describe("logs", () => {
  it("write JSON lines and never a password, token, secret or key", () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const log = createLogger({ level: "info", destination: sink }).child({ requestId: "r-1" });
    log.info({ email: "a@x.test", password: "hunter2-hunter2", user: { passwordHash: "$argon2id$..." }, token: "tok", apiKey: "sk-1", req: { headers: { cookie: "session=abc", authorization: "Bearer xyz" } } }, "sign-in");
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ msg: "sign-in", requestId: "r-1", email: "a@x.test", password: "[redacted]", token: "[redacted]", apiKey: "[redacted]", user: { passwordHash: "[redacted]" } });
    expect(lines[0]).not.toMatch(/hunter2|argon2id|tok"|sk-1|session=abc|Bearer xyz/);
  });
});
