import pkg from "@/package.json";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getModelGate } from "@/lib/models/service";
import { route } from "@/lib/http/route";
import { buildMlBom } from "@/lib/models/bom";

/** The model manifest as a CycloneDX 1.6 ML-BOM, with approvals and file verification as of the last check. */
export const GET = route(async () => {
  await requireApiUser(ADMIN_ROLES);
  const status = (await getModelGate()).status();
  if (!status.approvedManifest) throw new AppError("unavailable:models", status.manifestError ?? "The model manifest could not be loaded.");
  const bom = buildMlBom(status.approvedManifest, status.checks, { appVersion: pkg.version });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(`${JSON.stringify(bom, null, 2)}\n`, {
    headers: {
      "content-type": "application/vnd.cyclonedx+json; version=1.6",
      "content-disposition": `attachment; filename="vouch-ml-bom-${day}.cdx.json"`,
      "cache-control": "no-store",
    },
  });
});
