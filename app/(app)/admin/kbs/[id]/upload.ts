/** Browser-side upload helpers: walking dropped folders, and one XHR per file for real upload progress. */

export interface PendingFile {
  key: string;
  file: File;
  path: string;
}

type Entry = { isFile: boolean; isDirectory: boolean; fullPath: string; file?(cb: (f: File) => void, err: (e: unknown) => void): void; createReader?(): { readEntries(cb: (e: Entry[]) => void, err: (e: unknown) => void): void } };

async function walk(entry: Entry, out: PendingFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
    const path = entry.fullPath.replace(/^\//, "");
    out.push({ key: `${path}:${file.size}:${Math.random()}`, file, path });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns at most ~100 entries per call: keep reading until it returns none.
    for (;;) {
      const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

/** Files from a drop, with folder paths kept ("handbook/billing.md"). */
export async function filesFromDrop(data: DataTransfer): Promise<PendingFile[]> {
  const out: PendingFile[] = [];
  // webkitGetAsEntry must be called during the drop event, before any await.
  const entries = Array.from(data.items)
    .map((item) => item.webkitGetAsEntry?.() as unknown as Entry | null | undefined)
    .filter((e): e is Entry => !!e);
  if (entries.length) for (const e of entries) await walk(e, out);
  else for (const file of Array.from(data.files)) out.push({ key: `${file.name}:${Math.random()}`, file, path: file.name });
  return out;
}

export function filesFromInput(list: FileList | null): PendingFile[] {
  return Array.from(list ?? []).map((file) => {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    return { key: `${path}:${file.size}:${Math.random()}`, file, path };
  });
}

export interface UploadOutcome {
  fileName: string;
  outcome: "queued" | "new-version" | "duplicate" | "rejected";
  documentId?: string;
  error?: string;
}

export function uploadFile(url: string, pending: PendingFile, onProgress: (fraction: number) => void): Promise<UploadOutcome[]> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const body = new FormData();
    body.append("file", pending.file, pending.path);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const data = (() => {
        try {
          return JSON.parse(xhr.responseText);
        } catch {
          return {};
        }
      })();
      if (xhr.status >= 200 && xhr.status < 300) resolve(data.results ?? []);
      else reject(new Error(data.message ?? `Upload failed (${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The connection dropped during the upload."));
    xhr.open("POST", url);
    xhr.send(body);
  });
}
