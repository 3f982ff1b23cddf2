/**
 * The role the app connects as, apart from the role that owns the tables and runs the
 * migrations: it may read and write the app's tables but only read and add to the audit log,
 * and as it owns nothing it cannot switch the audit log's append-only trigger off.
 */
import type postgres from "postgres";

export interface AppRole {
  user: string;
  /** Set for a role Vouch manages (the embedded database); absent for one a DBA made. */
  password?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const SAFE_PASSWORD = /^[A-Za-z0-9_-]+$/;

/** Creates or updates the role and grants exactly what the app needs; run as the owner after every migration. */
export async function grantAppRole(owner: postgres.Sql, role: AppRole, database: string): Promise<void> {
  // DDL takes no parameters: the names and password are checked to be plain instead.
  if (!IDENTIFIER.test(role.user) || (role.password !== undefined && !SAFE_PASSWORD.test(role.password)) || !/^[\w-]+$/.test(database)) {
    throw new Error("unexpected characters in the app role's settings");
  }
  if (role.password !== undefined) {
    const [exists] = await owner`select rolsuper from pg_roles where rolname = ${role.user}`;
    if (exists?.rolsuper) throw new Error(`the app's database role ${role.user} is a superuser; it must be an ordinary role (drop it, or name another)`);
    // Only a superuser may state the superuser attribute in ALTER ROLE; an owner role that merely has CREATEROLE may not.
    if (exists) await owner.unsafe(`alter role ${role.user} with login nocreatedb nocreaterole noinherit password '${role.password}'`);
    else await owner.unsafe(`create role ${role.user} with login nosuperuser nocreatedb nocreaterole noinherit password '${role.password}'`);
  }
  await owner.unsafe(`grant connect on database "${database}" to ${role.user}`);
  await owner.unsafe(`grant usage on schema public to ${role.user}`);
  await owner.unsafe(`grant select, insert, update, delete on all tables in schema public to ${role.user}`);
  await owner.unsafe(`revoke update, delete, truncate on audit_events from ${role.user}`);
  await owner.unsafe(`grant usage, select on all sequences in schema public to ${role.user}`);
}
