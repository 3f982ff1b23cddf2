/** Input shapes for user administration, shared by the API and its tests. */
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

export const roleSchema = z.enum(["agent", "reviewer", "admin"]);

const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`).max(1024);

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(320),
  name: z.string().trim().min(1, "Enter a name.").max(200),
  role: roleSchema,
  password: passwordSchema,
});

export const updateUserSchema = z
  .object({
    role: roleSchema.optional(),
    active: z.boolean().optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => v.role !== undefined || v.active !== undefined || v.name !== undefined, "Nothing to change.");

/** An admin's new password for another user. */
export const setPasswordSchema = z.strictObject({ password: passwordSchema });
