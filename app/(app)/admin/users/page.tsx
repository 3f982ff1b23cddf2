import type { Metadata } from "next";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { listUsers } from "@/db/queries/users";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { publicUser } from "@/lib/users/admin";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  await connection();
  const me = await requirePageUser(ADMIN_ROLES);
  const users = (await listUsers(await getDb())).map(publicUser);
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <UsersTable initialUsers={users} currentUserId={me.id} />
    </main>
  );
}
