import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getSessionState } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  deactivated: "Your account has been deactivated. Contact an administrator.",
  "signed-out": "You have been signed out.",
  "signed-out-everywhere": "You have been signed out on every browser and device.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  await connection();
  const state = await getSessionState();
  if (state.user) redirect("/");
  const { reason } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-indigo-50 to-slate-50 p-6">
      <div className="w-full max-w-sm rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 flex items-center gap-2">
          <span aria-hidden className="grid size-9 place-items-center rounded-lg bg-indigo-600 font-bold text-white">V</span>
          <div>
            <h1 className="text-xl font-semibold">Sign in to Vouch</h1>
            <p className="text-sm text-slate-500">Answers your team can vouch for</p>
          </div>
        </div>
        {reason && NOTICES[reason] && (
          <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{NOTICES[reason]}</p>
        )}
        <SignInForm />
      </div>
    </main>
  );
}
