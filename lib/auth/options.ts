import "server-only";
/** next-auth configuration: credentials sign-in, JWT cookies naming a server-side session row. */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { loadAuthSecret } from "./secret";
import { checkCredentials, credentialsSchema } from "./signin";
import { createSession, revokeSession } from "@/db/queries/sessions";
import { recordAuditEvent } from "@/db/queries/audit";

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= build();
  return options;
}

function build(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: loadAuthSecret(env),
    session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const forwarded = req.headers?.["x-forwarded-for"];
          const ip = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
          const db = await getDb();
          const user = await checkCredentials(db, { ...parsed.data, ip });
          if (!user) return null;
          return { ...user, sid: await createSession(db, { userId: user.id, maxAgeMs: env.SESSION_MAX_AGE_HOURS * 3_600_000 }) };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          const u = user as unknown as { id: string; role: string; name: string; sid: string };
          token.uid = u.id;
          token.role = u.role;
          token.name = u.name;
          token.sid = u.sid;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, role: token.role, sid: token.sid } };
      },
    },
    events: {
      // Signing out ends the session on the server too, so a copy of the cookie stops working.
      async signOut({ token }) {
        const { sid, uid, email } = (token ?? {}) as { sid?: string; uid?: string; email?: string };
        if (!sid) return;
        const db = await getDb();
        await revokeSession(db, { sessionId: sid, reason: "sign-out" });
        await recordAuditEvent(db, { actorId: uid ?? null, actorEmail: email ?? null, action: "auth.signout", target: email ?? null, details: {} });
      },
    },
  };
}
