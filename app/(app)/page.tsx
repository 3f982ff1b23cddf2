import { redirect } from "next/navigation";
import { connection } from "next/server";
import { navFor } from "@/app/_components/nav-items";
import { requirePageUser } from "@/lib/auth/session";

/** Home sends each person to the first section their role opens. */
export default async function Home() {
  await connection();
  const user = await requirePageUser();
  const first = navFor(user.role)[0];
  if (first) redirect(first.href);
  return (
    <section className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
      <p className="mt-2 text-slate-600">You are signed in as {user.role}. No section is open to your role on this installation yet.</p>
    </section>
  );
}
