import { afterAll, describe, expect, it } from "vitest";
import { IngestError } from "./errors";
import { bytesOf, makeDocx, makeLargePdf, makePdf } from "./fixtures/make";
import { createParsePool } from "./pool";
import { parseDocument } from "./registry";

describe("createParsePool", () => {
  const pool = createParsePool({ size: 2 });
  afterAll(() => pool.close());

  it("parses on worker threads exactly as parseDocument does, pages reported", async () => {
    const files = [
      { fileName: "h.pdf", bytes: await makePdf([["# Refunds", "Within 14 days."], ["# Shipping", "Worldwide."]], "Handbook") },
      { fileName: "d.docx", bytes: await makeDocx() },
      { fileName: "p.html", bytes: bytesOf("<html><body><nav>menu</nav><main><h1>Billing</h1><p>Invoices go out monthly to every customer.</p></main></body></html>") },
      { fileName: "n.md", bytes: bytesOf("# Title\n\nSome text.") },
    ];
    const pages: string[] = [];
    const pooled = await Promise.all(files.map((f) => pool.parse(f, { onPage: (n, total) => pages.push(`${f.fileName} ${n}/${total}`) })));
    const inline = await Promise.all(files.map((f) => parseDocument(f)));
    expect(pooled).toEqual(inline);
    // The thread reports the first page and always the last one.
    expect(pages.filter((p) => p.startsWith("h.pdf"))).toEqual(["h.pdf 1/2", "h.pdf 2/2"]);
  });

  it("keeps the IngestError code and message across the thread boundary", async () => {
    const error = await pool.parse({ fileName: "x.pdf", bytes: bytesOf("%PDF-1.4 not really") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: "corrupt_file", message: expect.stringContaining('"x.pdf" is a corrupt or unreadable PDF') });
    await expect(pool.parse({ fileName: "empty.txt", bytes: new Uint8Array() })).rejects.toMatchObject({ code: "empty_file" });
  });

  it("leaves the caller's bytes intact (the thread gets a copy)", async () => {
    const bytes = bytesOf("# Kept\n\nThe caller still owns these bytes.");
    await pool.parse({ fileName: "k.md", bytes });
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(new TextDecoder().decode(bytes)).toBe("# Kept\n\nThe caller still owns these bytes.");
  });

  it("aborts a parse in progress and goes on serving", async () => {
    const bytes = await makeLargePdf(400);
    const controller = new AbortController();
    const reason = new Error("stop now");
    const parsing = pool.parse({ fileName: "big.pdf", bytes }, { signal: controller.signal, onPage: () => controller.abort(reason) });
    await expect(parsing).rejects.toBe(reason);
    await expect(pool.parse({ fileName: "after.md", bytes: bytesOf("# After\n\nStill works.") })).resolves.toMatchObject({ type: "markdown", pages: 1 });
  });

  it("refuses work after close", async () => {
    const closing = createParsePool({ size: 1 });
    await closing.close();
    await expect(closing.parse({ fileName: "a.md", bytes: bytesOf("# A") })).rejects.toThrow("closed");
  });
});
