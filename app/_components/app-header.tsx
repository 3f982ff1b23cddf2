import Link from "next/link";
import type { SessionUser } from "@/lib/auth/session";
import { navFor } from "./nav-items";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";

const ROLE_STYLE: Record<string, string> = {
  admin: "bg-purple-100 text-purple-800",
  reviewer: "bg-amber-100 text-amber-800",
  agent: "bg-sky-100 text-sky-800",
};

export function AppHeader({ user, badges = {} }: { user: SessionUser; badges?: Record<string, number> }) {
  return (
    <header className="h-14 border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-full max-w-7xl items-center gap-6 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          <span aria-hidden className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white">V</span>
          Vouch
        </Link>
        <nav aria-label="Main" className="flex flex-1 items-center gap-1">
          {navFor(user.role).map((item) => (
            <NavLink key={item.href} href={item.href} badge={badges[item.href]} section>{item.label}</NavLink>
          ))}
        </nav>
        <div className="flex items-center gap-3 text-sm">
          <Link href="/account" className="hidden rounded-md px-1 text-right hover:bg-slate-100 sm:block" title="Your account">
            <span className="block font-medium" data-testid="user-name">{user.name}</span>
            <span className="block text-xs text-slate-500">{user.email}</span>
          </Link>
          <span data-testid="user-role" className={`rounded-full px-2 py-0.5 text-xs font-medium ${ROLE_STYLE[user.role] ?? ""}`}>{user.role}</span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
