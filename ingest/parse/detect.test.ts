import { describe, expect, it } from "vitest";
import { detectFile, detectType } from "./detect";
import { bytesOf, makeDocx, makePdf, makeZip } from "./fixtures/make";

describe("detectType", () => {
  it("recognises PDF and DOCX by their bytes whatever the extension", async () => {
    expect(detectType(await makePdf([["hi"]]), "notes.txt")).toBe("pdf");
    expect(detectType(await makeDocx(), "report.bin")).toBe("docx");
  });

  it("tells a plain zip and Office siblings apart from DOCX", () => {
    expect(detectType(makeZip([{ name: "a.txt", data: bytesOf("x") }]), "a.docx")).toBe("zip");
    expect(detectFile(makeZip([{ name: "xl/workbook.xml", data: bytesOf("<x/>") }]), "a.xlsx")).toEqual({
      type: "unsupported",
      mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (xlsx)",
    });
  });

  it("sniffs HTML from the content, not the extension", () => {
    expect(detectType(bytesOf("\n<!DOCTYPE html><html><body>x</body></html>"), "page.txt")).toBe("html");
    expect(detectType(bytesOf("<!-- c --><html lang=en>"), "x.md")).toBe("html");
    expect(detectType(bytesOf("<p>fragment</p>"), "frag.htm")).toBe("html");
    expect(detectType(bytesOf("a < b and c > d"), "math.html")).toBe("text");
    expect(detectType(bytesOf('<p align="center">logo</p>\n\n# Readme'), "README.md")).toBe("markdown");
  });

  it("uses the extension only to choose among text types", () => {
    expect(detectType(bytesOf("# Title"), "a.md")).toBe("markdown");
    expect(detectType(bytesOf("a,b\n1,2"), "a.CSV")).toBe("csv");
    expect(detectType(bytesOf("a\tb\n1\t2"), "a.tsv")).toBe("csv");
    expect(detectType(bytesOf("just words"), "a.log")).toBe("text");
    expect(detectType(bytesOf("just words"), "noextension")).toBe("text");
  });

  it("names binary types it will not parse", () => {
    expect(detectFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "photo.pdf")).toEqual({ type: "unsupported", mime: "image/png" });
    expect(detectFile(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), "x.md").mime).toBe("image/jpeg");
    expect(detectFile(new Uint8Array([1, 2, 0, 4, 5]), "x.txt")).toEqual({ type: "unsupported", mime: "application/octet-stream (binary data)" });
  });

  it("treats Windows-1252 and UTF-16 text as text", () => {
    expect(detectType(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), "cafe.txt")).toBe("text");
    expect(detectType(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]), "utf16.txt")).toBe("text");
  });
});
