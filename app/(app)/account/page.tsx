import type { Metadata } from "next";
import { connection } from "next/server";
import { requirePageUser } from "@/lib/auth/session";
import { ChangePasswordForm } from "./change-password-form";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata: Metadata = { title: "Your account" };

/** The signed-in person's own account: password and sessions. */
export default async function AccountPage() {
  await connection();
  const user = await requirePageUser();
  return (
    <main className="mx-auto max-w-xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">{user.name} · {user.email} · {user.role}</p>
      </div>
      <ChangePasswordForm />
      <SignOutEverywhere />
    </main>
  );
}
