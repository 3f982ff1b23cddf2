import type { Metadata } from "next";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { withActiveEmbedding } from "@/lib/embeddings/active";
import { readActiveGeneration, withActiveGeneration } from "@/lib/llm/active";
import { addedManifestFile, readAddedModels } from "@/lib/models/added";
import { catalogueItems } from "@/lib/models/catalogue";
import type { ModelGateStatus } from "@/lib/models/model-gate";
import { getPullJobs } from "@/lib/models/pull-service";
import { readRecordedHashes, recordedHashesFile } from "@/lib/models/recorded-hashes";
import { Catalogue } from "./catalogue";
import { ConnectServer, type ConnectedModel } from "./connect-server";
import { EmbeddingModel } from "./embedding-model";
import { embeddingView } from "@/lib/models/embedding-switch-service";
import { modelsInUse } from "@/lib/models/in-use";
import { buildModelCards, licenseChoices } from "@/lib/models/model-cards";
import { getModelGate } from "@/lib/models/service";
import { ModelsTable } from "./models-table";
import { ModelPolicyEditor } from "./model-policy-editor";

export const metadata: Metadata = { title: "Models" };

const when = (iso: string) => iso.replace("T", " ").slice(0, 19) + " UTC";

export default async function ModelsPage() {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const gate = await getModelGate();
  const status = gate.status();
  const env = getEnv();
  const inUse = await modelsInUse(gate, withActiveEmbedding(withActiveGeneration(env)));
  const connected = connectedModels(status, env.dataDir);
  const catalogue = await catalogueItems(status.manifest, env.modelsDir, readRecordedHashes(recordedHashesFile(env.dataDir)));
  const pulls = (await getPullJobs()).list();
  const embedding = await embeddingView();
  const cards = buildModelCards(status);
  const enabled = cards.filter((c) => c.enabled);
  const disabled = cards.filter((c) => !c.enabled);

  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />

      <section aria-labelledby="roles-heading" className="mb-6 rounded-lg border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="roles-heading" className="text-lg font-semibold">Models in use</h2>
            <p className="text-sm text-slate-600">
              No model runs unless its license is on record, allowed by the policy, its files match their recorded hashes, and it is approved. A refused role stays refused: Vouch never falls back to another model.
            </p>
          </div>
          <a href="/api/models/bom" download className="shrink-0 rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">Download ML-BOM</a>
        </div>
        {status.manifestError && (
          <pre role="alert" className="mt-3 whitespace-pre-wrap rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{status.manifestError}</pre>
        )}
        <ul className="mt-3 grid items-start gap-2 sm:grid-cols-2" aria-label="Models this deployment uses">
          {inUse.map((m) => (
            <li key={m.role} data-testid={`in-use-${m.role}`}
              className={`rounded-md border px-3 py-2 text-sm ${m.allowed ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-900"}`}>
              <span className="font-medium capitalize">{m.role}</span>: {m.allowed ? "allowed" : "refused"} — {m.label}
              {m.message && <span role="alert" className="mt-1 block text-xs">{m.message}</span>}
            </li>
          ))}
        </ul>
        {inUse.map((m) => m.answers && <p key={m.role} className="mt-3 text-sm text-slate-700" data-testid="answer-mode">{m.answers}</p>)}
        <h3 className="mt-4 text-sm font-medium text-slate-600">Enabled in the manifest, by role</h3>
        <ul className="mt-2 grid gap-2 sm:grid-cols-2" aria-label="Roles">
          {status.roles.map((r) => (
            <li key={r.role} data-testid={`role-${r.role}`}
              className={`rounded-md border px-3 py-2 text-sm ${r.allowed ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-red-200 bg-red-50 text-red-900"}`}>
              <span className="font-medium capitalize">{r.role}</span>: {r.allowed ? "allowed" : "refused"} <span className="font-mono text-xs">({r.modelIds.join(", ")})</span>
            </li>
          ))}
          {status.roles.length === 0 && !status.manifestError && <li className="text-sm text-slate-500">No model is enabled in the manifest.</li>}
        </ul>
        <p className="mt-3 text-xs text-slate-500">
          Files verified {when(status.verifiedAt)}; manifest <span className="font-mono">{status.manifestFile}</span>.
        </p>
      </section>

      <Catalogue items={catalogue} from={env.MODELS_MIRROR ? `the mirror ${env.MODELS_MIRROR}` : "the model hub (huggingface.co)"} initialPulls={pulls} />

      <ConnectServer connected={connected} answeringId={readActiveGeneration(env.dataDir)?.modelId ?? null} />

      {/* Remounted when the choices change (a model connected, approved or enabled), so it never shows stale ones. */}
      <EmbeddingModel key={JSON.stringify(embedding.candidates)} initial={embedding} />

      <div className="mb-8">
        <ModelPolicyEditor policy={status.policy} version={status.policyVersion} licenseChoices={licenseChoices(status)} />
      </div>

      <section aria-labelledby="manifest-heading">
        <h2 id="manifest-heading" className="mb-1 text-lg font-semibold">Models in the manifest</h2>
        <p className="mb-3 text-sm text-slate-600">Enabled models first. Open a row for its license terms, files and model card; a model that is not approved yet is approved there, then enabled.</p>
        <ModelsTable cards={[...enabled, ...disabled]} />
      </section>
    </main>
  );
}

/** The generation models that can be chosen to write answers: those on connected servers, and the local GGUF ones enabled. */
function connectedModels(status: ModelGateStatus, dataDir: string): ConnectedModel[] {
  const remote = readAddedModels(addedManifestFile(dataDir)).filter((m) => m.role === "generation" && m.served);
  // A test model never writes answers (ANSWER_MODE=auto quotes instead), so it is not offered.
  const local = status.manifest?.models.filter((m) => m.role === "generation" && m.format === "gguf" && m.enabled && m.kind !== "test") ?? [];
  return [...remote, ...local].map((m) => {
    const decision = status.decisions.find((d) => d.modelId === m.id);
    const where = m.served ? { served: m.served.name, server: m.source } : { served: m.card.name, server: "the local model server" };
    return { id: m.id, ...where, allowed: decision?.allowed ?? false, ...(decision?.message ? { message: decision.message } : {}) };
  });
}
