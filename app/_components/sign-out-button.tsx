"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { signOutEverywhere } from "./sign-out-everywhere";

const button = "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50";

/** Sign out here, or on every device (ends every session of this user on the server first). */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  async function everywhere() {
    setBusy(true);
    const ok = await signOutEverywhere();
    setBusy(false);
    if (!ok) window.alert("Could not sign out the other devices. Try again.");
  }
  return (
    <div className="flex items-center gap-1">
      <button type="button" onClick={() => signOut({ callbackUrl: "/signin?reason=signed-out" })} className={`${button} whitespace-nowrap`}>
        Sign out
      </button>
      <details className="relative">
        <summary aria-label="More sign-out options" className="cursor-pointer list-none rounded-md px-1.5 py-1.5 text-slate-500 hover:bg-slate-100">▾</summary>
        <div className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          <button type="button" disabled={busy} onClick={everywhere} className={`${button} w-full text-left`}>
            Sign out everywhere
          </button>
          <p className="mt-1 px-1 text-xs text-slate-500">Ends your sessions on every browser and device.</p>
          <Link href="/account" className="mt-2 block rounded px-1 py-1 text-sm text-indigo-700 hover:bg-slate-50">Your account and password</Link>
        </div>
      </details>
    </div>
  );
}
