import { describe, expect, it } from "vitest";
import { auditQuerySchema, csvHeader, csvRow, toFilter } from "./filter";

describe("audit filters and CSV", () => {
  it("parses the query string, treating empty fields as unset", () => {
    const q = auditQuerySchema.parse({ actor: "", action: "auth.", from: "2026-01-02", to: "2026-01-03", page: "2" });
    expect(q).toEqual({ actor: undefined, action: "auth.", from: new Date("2026-01-02"), to: new Date("2026-01-03"), page: 2 });
    expect(toFilter(q).to?.toISOString()).toBe("2026-01-03T23:59:59.999Z");
    expect(auditQuerySchema.safeParse({ from: "yesterday-ish" }).success).toBe(false);
  });

  it("quotes cells and defuses spreadsheet formulas", () => {
    expect(csvHeader()).toBe("id,at,actor_email,action,target,details,hash\r\n");
    const row = csvRow({ id: 7, at: new Date("2026-01-01T00:00:00Z"), actorEmail: "=cmd()", action: "user.create", target: 'a "b"', details: { k: 1 }, hash: "ff" });
    expect(row).toBe(`"7","2026-01-01T00:00:00.000Z","'=cmd()","user.create","a ""b""","{""k"":1}","ff"\r\n`);
  });
});
