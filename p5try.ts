import { readFileSync } from "node:fs";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
const pdf = await pdfjs.getDocument({ data: new Uint8Array(readFileSync("ingest/sample-kb/files/refunds-and-returns.pdf")), verbosity: 0 }).promise;
const page = await pdf.getPage(2); const tc = await page.getTextContent();
for (const i of tc.items.slice(0, 400)) if ("str" in i && /Condition|Restocking|Sealed|None|Customer|^\s*$/.test(i.str)) console.log(JSON.stringify({ s: i.str, x: i.transform[4], y: i.transform[5], w: i.width, eol: i.hasEOL }));
