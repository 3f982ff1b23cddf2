import type { Role } from "@/db/schema";

export interface NavItem {
  href: string;
  label: string;
  roles: readonly Role[];
}

/** Sections a person can open, by role. A section is listed only once it is built. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/chat", label: "Chat", roles: ["agent", "reviewer", "admin"] },
  { href: "/review", label: "Review", roles: ["reviewer", "admin"] },
  // Admins reach it under Admin; reviewers read the results.
  { href: "/admin/evaluation", label: "Evaluation", roles: ["reviewer"] },
  { href: "/admin/users", label: "Admin", roles: ["admin"] },
];

export const ADMIN_TABS: { href: string; label: string }[] = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/kbs", label: "Knowledge bases" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/policy", label: "Review policy" },
  { href: "/admin/evaluation", label: "Evaluation" },
];

export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles.includes(role));
}
