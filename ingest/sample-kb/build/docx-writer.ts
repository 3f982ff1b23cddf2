/** Renders a handbook document as DOCX with real Word heading styles and list numbering. */
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import JSZip from "jszip";
import { inflateEntry, readZipDirectory } from "@/ingest/safety/zip";
import type { HandbookDoc, Run } from "./model";

const FIXED_DATE = new Date("2025-09-01T00:00:00Z");
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];

const textRuns = (runs: Run[]) => runs.map((r) => new TextRun({ text: r.text, bold: Boolean(r.bold) }));

/** Render to DOCX bytes; timestamps inside and around the package are pinned. */
export async function renderDocx(doc: HandbookDoc): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  let listInstance = 0;
  for (const node of doc.nodes) {
    if (node.kind === "heading") {
      children.push(new Paragraph({ text: node.text, heading: HEADINGS[node.level - 1] ?? HeadingLevel.HEADING_4 }));
    } else if (node.kind === "paragraph") {
      children.push(new Paragraph({ children: textRuns(node.runs), spacing: { after: 120 } }));
    } else if (node.kind === "list") {
      listInstance++;
      for (const item of node.items) {
        children.push(
          node.ordered
            ? new Paragraph({ children: textRuns(item), numbering: { reference: "steps", level: 0, instance: listInstance } })
            : new Paragraph({ children: textRuns(item), bullet: { level: 0 } }),
        );
      }
    } else {
      const row = (cells: string[], bold: boolean) =>
        new TableRow({ children: cells.map((c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold })] })] })) });
      children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(node.header, true), ...node.rows.map((r) => row(r, false))] }));
      children.push(new Paragraph({ text: "" }));
    }
  }
  const document = new Document({
    title: doc.title,
    creator: "Halyard Systems Support",
    lastModifiedBy: "Halyard Systems Support",
    revision: 1,
    numbering: {
      config: [{ reference: "steps", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START }] }],
    },
    sections: [{ children }],
  });
  return pinDates(new Uint8Array(await Packer.toBuffer(document)));
}

/** Re-pack with fixed entry times and fixed core-property dates, so builds are byte-identical. */
async function pinDates(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new JSZip();
  const iso = FIXED_DATE.toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const entry of readZipDirectory(bytes)) {
    if (entry.isDirectory) continue;
    let data: Uint8Array | string = inflateEntry(bytes, entry);
    if (entry.name === "docProps/core.xml") {
      data = new TextDecoder()
        .decode(data)
        .replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${iso}$3`);
    }
    out.file(entry.name, data, { date: FIXED_DATE, createFolders: false });
  }
  return out.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 } });
}
