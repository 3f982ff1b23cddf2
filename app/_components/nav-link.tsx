"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({ href, children, badge, section: matchSection }: { href: string; children: React.ReactNode; badge?: number; section?: boolean }) {
  const pathname = usePathname();
  const section = "/" + (href.split("/")[1] ?? "");
  const active = pathname === href || pathname.startsWith(href + "/") || (!!matchSection && (pathname === section || pathname.startsWith(section + "/")));
  return (
    <Link href={href} aria-current={active ? "page" : undefined}
      className={`flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100"}`}>
      {children}
      {badge ? <span className="rounded-full bg-indigo-600 px-1.5 text-xs text-white" aria-label={`${badge} pending`}>{badge}</span> : null}
    </Link>
  );
}
