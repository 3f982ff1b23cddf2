import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { makeLargePdf, makePdf } from "./fixtures/make";
import { pdfParser } from "./pdf";

/** A forced GC makes heap samples comparable; it is only a measuring aid. */
function getGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}

const MB = 1024 * 1024;

describe("a 5,000-page PDF", () => {
  it("is processed page by page with bounded heap growth", async () => {
    const bytes = await makeLargePdf(5000);
    // Warm up so pdf.js's own code and tables are in the baseline, not counted as growth.
    await pdfParser.parse({ bytes: await makePdf([["warm up"]]), fileName: "warm.pdf" }, {});
    const gc = getGc();
    gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let atThousand = 0;
    let calls = 0;
    const doc = await pdfParser.parse(
      { bytes, fileName: "manual.pdf" },
      {
        onPage(n, total) {
          calls++;
          expect(total).toBe(5000);
          if (n % 100 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
          if (n === 1000) {
            gc?.();
            atThousand = process.memoryUsage().heapUsed;
          }
        },
      },
    );
    gc?.();
    const atEnd = process.memoryUsage().heapUsed;
    const figures = { peakMB: Math.round(peak / MB), growthAfterPage1000MB: Math.round((atEnd - atThousand) / MB) };
    console.log("5,000-page PDF heap:", figures);

    expect(doc.pages).toBe(5000);
    expect(calls).toBe(5000);
    expect(doc.blocks.at(-1)).toMatchObject({ page: 5000, text: "Page 5000 of 5000." });
    expect(new Set(doc.blocks.map((b) => b.page)).size).toBe(5000);
    // Generous bounds: the whole file's text is ~0.4 MB; holding every page object would cost far more.
    expect(peak).toBeLessThan(256 * MB);
    if (gc) expect(atEnd - atThousand).toBeLessThan(64 * MB);
  });
});
