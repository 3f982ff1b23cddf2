import Link from "next/link";
import { connection } from "next/server";
import { AppHeader } from "@/app/_components/app-header";
import { countPendingReviews } from "@/db/queries/review";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  await connection();
  // Each page checks its own role too: a layout does not re-run on every navigation.
  const user = await requirePageUser();
  const pending = user.role === "agent" ? 0 : await countPendingReviews(await getDb());
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader user={user} badges={{ "/review": pending }} />
      <div className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">{children}</div>
      {/* A fixed 2.5rem, so full-height pages (the chat) can leave room for it and the header (3.5rem). */}
      <footer className="h-10 border-t border-slate-200 bg-white">
        <div className="mx-auto flex h-full max-w-7xl items-center justify-between px-4 text-xs text-slate-500">
          <span>Vouch</span>
          <Link href="/about" className="hover:text-slate-700 hover:underline">About Vouch, models and licenses</Link>
        </div>
      </footer>
    </div>
  );
}
