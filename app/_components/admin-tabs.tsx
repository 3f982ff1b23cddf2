import { ADMIN_TABS } from "./nav-items";
import { NavLink } from "./nav-link";

export function AdminTabs() {
  return (
    <nav aria-label="Admin sections" className="mb-6 flex gap-1 border-b border-slate-200 pb-2">
      {ADMIN_TABS.map((tab) => <NavLink key={tab.href} href={tab.href}>{tab.label}</NavLink>)}
    </nav>
  );
}
