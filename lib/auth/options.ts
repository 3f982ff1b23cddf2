import "server-only";
/** next-auth configuration: credentials sign-in, JWT sessions carrying the role. */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { loadAuthSecret } from "./secret";
import { checkCredentials, credentialsSchema } from "./signin";

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
          return checkCredentials(await getDb(), { ...parsed.data, ip });
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          const u = user as unknown as { id: string; role: string; name: string };
          token.uid = u.id;
          token.role = u.role;
          token.name = u.name;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, role: token.role } };
      },
    },
  };
}
