import "server-only";
/**
 * The signed-in user, checked against the database on every request: a
 * session that was signed out (here or everywhere) or whose user was
 * deactivated ends at its next request, and a role change takes effect at once.
 */
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { getSession } from "@/db/queries/sessions";
import type { Role } from "@/db/schema";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authOptions } from "./options";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The server-side session this request belongs to. */
  sessionId?: string;
}

export type SessionState = { user: SessionUser } | { user: null; reason: "signed-out" | "deactivated" };

export async function getSessionState(): Promise<SessionState> {
  const session = await getServerSession(authOptions());
  const { id, sid } = (session?.user ?? {}) as { id?: string; sid?: string };
  // A cookie from before sessions were recorded names none: its holder signs in again.
  if (!id || !sid) return { user: null, reason: "signed-out" };
  const found = await getSession(await getDb(), { sessionId: sid, userId: id });
  if (!found) return { user: null, reason: "signed-out" };
  const { user, state } = found;
  if (state === "deactivated" || !user.active) return { user: null, reason: "deactivated" };
  if (state !== "live") return { user: null, reason: "signed-out" };
  return { user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: sid } };
}

/** For pages: the user with one of `roles`, else a redirect to sign-in or the 403 page. */
export async function requirePageUser(roles?: readonly Role[]): Promise<SessionUser> {
  const state = await getSessionState();
  if (!state.user) redirect(state.reason === "deactivated" ? "/signout?reason=deactivated" : "/signin");
  if (roles && !roles.includes(state.user.role)) forbidden();
  return state.user;
}

/** For route handlers and server actions: the user with one of `roles`, else an AppError (401/403). */
export async function requireApiUser(roles?: readonly Role[]): Promise<SessionUser> {
  const state = await getSessionState();
  if (!state.user) {
    throw new AppError("unauthorized:auth", state.reason === "deactivated" ? "Your account has been deactivated." : "Sign in first.");
  }
  if (roles && !roles.includes(state.user.role)) {
    throw new AppError("forbidden:auth", `This needs the ${roles.join(" or ")} role; you are signed in as ${state.user.role}.`);
  }
  return state.user;
}

export const ALL_ROLES: readonly Role[] = ["agent", "reviewer", "admin"];
export const REVIEW_ROLES: readonly Role[] = ["reviewer", "admin"];
export const ADMIN_ROLES: readonly Role[] = ["admin"];
