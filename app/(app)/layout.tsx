import { connection } from "next/server";
import { AppHeader } from "@/app/_components/app-header";
import { requirePageUser } from "@/lib/auth/session";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  await connection();
  // Each page checks its own role too: a layout does not re-run on every navigation.
  const user = await requirePageUser();
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader user={user} />
      <div className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">{children}</div>
    </div>
  );
}
