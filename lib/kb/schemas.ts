/** Input shapes for knowledge-base administration. */
import { z } from "zod";

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "The slug needs at least 2 characters.")
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Use lowercase letters, digits and dashes for the slug.");

export function slugify(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "kb";
}

const settings = {
  name: z.string().trim().min(1, "Enter a name.").max(120),
  description: z.string().trim().max(2000).default(""),
  visibility: z.enum(["all", "restricted"]).default("all"),
  readerIds: z.array(z.string().uuid()).max(10_000).default([]),
  chunkTokens: z.number().int().min(32).max(2048).optional(),
  chunkOverlap: z.number().min(0).max(0.5).optional(),
  topK: z.number().int().min(1).max(50).optional(),
  minScore: z.number().min(0).max(1).optional(),
};

export const createKbSchema = z.object({ ...settings, slug: slugSchema.optional() });

export const updateKbSchema = z
  .object({
    name: settings.name.optional(),
    description: z.string().trim().max(2000).optional(),
    visibility: z.enum(["all", "restricted"]).optional(),
    readerIds: settings.readerIds.optional(),
    chunkTokens: settings.chunkTokens,
    chunkOverlap: settings.chunkOverlap,
    topK: settings.topK,
    minScore: settings.minScore,
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change.");

export const idSchema = z.string().uuid();
