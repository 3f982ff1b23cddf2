/**
 * Renders a handbook source as a realistic help-centre page: site navigation,
 * a sidebar, analytics scripts and a footer around the article, so the HTML
 * parser's main-content extraction has something to remove.
 */
import { marked } from "marked";

export interface HtmlPageLink {
  title: string;
  href: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function renderHtml(markdown: string, title: string, links: HtmlPageLink[]): string {
  const article = marked.parse(markdown, { async: false, gfm: true });
  const nav = links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.title)}</a></li>`).join("\n          ");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title)} | Halyard Support Center</title>
  <link rel="stylesheet" href="/assets/help.css">
  <style>
    body { font-family: system-ui, sans-serif; margin: 0; color: #1d2530; }
    .layout { display: grid; grid-template-columns: 260px 1fr; gap: 2rem; max-width: 1100px; margin: 0 auto; }
    table { border-collapse: collapse; } td, th { border: 1px solid #ccd; padding: 4px 8px; }
  </style>
  <script>
    window.dataLayer = window.dataLayer || [];
    function track(event) { window.dataLayer.push({ event: event, page: location.pathname }); }
    track("help_article_view");
  </script>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">Halyard Support Center</a>
    <nav class="top-nav" aria-label="Main">
      <a href="/products">Products</a> <a href="/pricing">Pricing</a> <a href="/status">System status</a> <a href="/contact">Contact us</a> <a href="/login">Sign in</a>
    </nav>
    <form class="search" action="/search"><input name="q" placeholder="Search the help center"><button>Search</button></form>
  </header>
  <div class="layout">
    <aside class="sidebar">
      <nav aria-label="Handbook">
        <h2>Support handbook</h2>
        <ul>
          ${nav}
        </ul>
      </nav>
    </aside>
    <main>
      <article class="help-article">
${article}
        <p class="last-reviewed">Last reviewed on 1 September 2025 by the Halyard Support Operations team.</p>
      </article>
      <section class="feedback">
        <button onclick="track('helpful_yes')">Yes, this helped</button> <button onclick="track('helpful_no')">No</button>
      </section>
    </main>
  </div>
  <footer class="site-footer">
    <p>&copy; 2025 Halyard Systems, Inc. &middot; <a href="/privacy">Privacy</a> &middot; <a href="/terms">Terms</a> &middot; <a href="/cookies">Cookie settings</a></p>
  </footer>
  <script>
    document.querySelectorAll("a").forEach(function (a) { a.addEventListener("click", function () { track("link_click"); }); });
  </script>
</body>
</html>
`;
}
