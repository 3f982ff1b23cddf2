"use client";

import { useState } from "react";
import { signOutEverywhere } from "@/app/_components/sign-out-everywhere";

/** Ends every session of this user on the server, this one included. */
export function SignOutEverywhere() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function everywhere() {
    setBusy(true);
    const ok = await signOutEverywhere();
    setBusy(false);
    if (!ok) setError("Could not sign out the other devices. Try again.");
  }
  return (
    <section aria-labelledby="sessions-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="sessions-heading" className="text-lg font-semibold">Sessions</h2>
      <p className="text-sm text-slate-600">Signed in somewhere you no longer use, or on a computer someone else can reach? End every session, this one too.</p>
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
      <button type="button" disabled={busy} onClick={everywhere} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100 disabled:opacity-50">
        Sign out everywhere
      </button>
    </section>
  );
}
