/** Turns a file change seen by the periodic re-check into the audit records of "model.files_changed". */
import type { ModelFilesChangeRecord } from "@/db/queries/models";
import type { FilesChangedEvent } from "./model-gate";

/** One record per model whose files changed or disappeared, with its decision after the change. */
export function filesChangedRecords({ change, decisions }: FilesChangedEvent): ModelFilesChangeRecord[] {
  const touched = [...change.changed, ...change.removed];
  return [...new Set(touched.map((c) => c.modelId))].map((modelId) => {
    const decision = decisions.find((d) => d.modelId === modelId);
    return {
      modelId,
      files: touched
        .filter((c) => c.modelId === modelId)
        .map((c) => ({
          path: c.path,
          status: c.status,
          expectedSha256: c.expectedSha256,
          actualSha256: c.actualSha256,
          expectedSize: c.expectedSize,
          actualSize: c.actualSize,
        })),
      allowed: decision?.allowed ?? false,
      clause: decision?.clause,
      message: decision?.message,
    };
  });
}
