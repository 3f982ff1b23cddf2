/** Request bodies of the Admin › Models API, validated at the edge. */
import { z } from "zod";
import { canonicalSpdxId, isKnownLicenseId } from "@/lib/models/spdx";

const licenseId = z
  .string()
  .trim()
  .min(1, "a license id must not be empty")
  .superRefine((id, ctx) => {
    if (!isKnownLicenseId(id)) {
      ctx.addIssue({ code: "custom", message: `"${id}" is not an SPDX license id or "LicenseRef-…" (letters, digits, "." and "-")` });
    }
  })
  .transform((id) => canonicalSpdxId(id) ?? id);

/** A policy as the editor sends it; license ids are spelt canonically and listed once. */
export const policyInputSchema = z.strictObject({
  use: z.enum(["commercial", "internal", "research"], { error: 'use must be "commercial", "internal" or "research"' }),
  allowedLicenses: z
    .array(licenseId)
    .max(500)
    .transform((ids) => ids.filter((id, i) => ids.findIndex((other) => other.toLowerCase() === id.toLowerCase()) === i)),
  locality: z.enum(["on-premises", "any"], { error: 'locality must be "on-premises" or "any"' }),
});

export const previewPolicyBodySchema = z.strictObject({ policy: policyInputSchema });

export const savePolicyBodySchema = z.strictObject({
  policy: policyInputSchema,
  /** The version the editor was opened on; a save on top of someone else's is refused. */
  baseVersion: z.number().int().min(0),
  /** Ids of the models the admin saw the change would block; any other blocked model refuses the save. */
  confirmBlocked: z.array(z.string().max(200)).max(500).default([]),
});

export const approveModelBodySchema = z.strictObject({
  /** modelFingerprint() of the entry the admin reviewed. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "fingerprint must be 64 hex digits"),
});

export const modelIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).max(200);
