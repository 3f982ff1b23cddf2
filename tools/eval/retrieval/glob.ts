/**
 * A shell-style pattern ("*.html", "vhosts/*.html", "**\/*.md"): `*` stays
 * within a folder, `**` crosses folders. A pattern without "/" tests the base name.
 */
export function globMatcher(pattern: string): (relativePath: string) => boolean {
  const source = pattern
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => (part === "**" || part === "**/" ? ".*" : part === "*" ? "[^/]*" : part === "?" ? "[^/]" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const re = new RegExp(`^${source}$`, "i");
  return (relativePath) => re.test(pattern.includes("/") ? relativePath : (relativePath.split("/").pop() ?? ""));
}
