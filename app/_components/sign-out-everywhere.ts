"use client";

import { signOut } from "next-auth/react";

/** Ends every session of this user on the server, then this browser's; false when the server refused. */
export async function signOutEverywhere(): Promise<boolean> {
  const res = await fetch("/api/account/sessions", { method: "DELETE" }).catch(() => undefined);
  if (!res?.ok) return false;
  await signOut({ callbackUrl: "/signin?reason=signed-out-everywhere" });
  return true;
}
