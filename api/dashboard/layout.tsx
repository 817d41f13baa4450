/**
 * Owns the dashboard's page shell: the document, the navigation, the sandbox/live switch, the
 * signed-in operator with sign-out, and the CSRF field every form carries. Page modules render
 * their content inside `DashboardPage` and answer with `c.html(...)`; the security headers (strict
 * CSP: scripts and styles from our origin only, no inline code) are set by routes.ts.
 */
import type { Child } from "hono/jsx";
import type { DashboardContext } from "./env.ts";

export type NavItem =
  | "verifications"
  | "review"
  | "identities"
  | "workflows"
  | "lists"
  | "api-keys"
  | "webhooks"
  | "settings"
  | "audit"
  | "account"
  | "users";

interface NavLink {
  item: NavItem;
  label: string;
  href: string;
}

const NAV: (NavLink | { group: string; items: NavLink[] })[] = [
  { item: "verifications", label: "Verifications", href: "/dashboard/verifications" },
  { item: "review", label: "Review queue", href: "/dashboard/review" },
  { item: "identities", label: "Identities", href: "/dashboard/identities" },
  { item: "workflows", label: "Workflows", href: "/dashboard/workflows" },
  { item: "lists", label: "Lists", href: "/dashboard/lists" },
  {
    group: "Developers",
    items: [
      { item: "api-keys", label: "API keys", href: "/dashboard/developers/api-keys" },
      { item: "webhooks", label: "Webhooks", href: "/dashboard/developers/webhooks" },
    ],
  },
  { item: "settings", label: "Settings", href: "/dashboard/settings" },
  { item: "audit", label: "Audit log", href: "/dashboard/audit" },
];

/** The hidden input a form needs to pass the CSRF check. */
export function csrfField(c: DashboardContext) {
  return <input type="hidden" name="csrf_token" value={c.get("csrfToken")} />;
}

function NavLinkItem({ link, active }: { link: NavLink; active: NavItem }) {
  return (
    <li>
      <a href={link.href} aria-current={link.item === active ? "page" : undefined}>{link.label}</a>
    </li>
  );
}

export interface DashboardPageProps {
  c: DashboardContext;
  title: string;
  active: NavItem;
  children?: Child;
}

export function DashboardPage({ c, title, active, children }: DashboardPageProps) {
  const operator = c.get("operator");
  const token = c.get("csrfToken");
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* For the dashboard's scripts: JSON fetches send it as X-CSRF-Token. */}
        <meta name="csrf-token" content={token} />
        <title>{title} · Verifa</title>
        <link rel="icon" href="/dashboard/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/dashboard/static/dashboard.css" />
        <script type="module" src="/dashboard/static/dashboard.js"></script>
      </head>
      <body data-environment={operator.environment}>
        <header class="topbar">
          <a class="brand" href="/dashboard">Verifa</a>
          {operator.environment === "sandbox" ? <span class="badge sandbox">Sandbox data</span> : null}
          <form method="post" action="/dashboard/environment" class="environment-switch">
            {csrfField(c)}
            <label>
              Environment{" "}
              <select name="environment" data-action="switch-environment">
                <option value="sandbox" selected={operator.environment === "sandbox"}>Sandbox</option>
                <option value="live" selected={operator.environment === "live"}>Live</option>
              </select>
            </label>
            <button type="submit" class="secondary">Switch</button>
          </form>
          <a class="operator" href="/dashboard/account" data-operator-email={operator.email}>
            {operator.displayName} <span class="role">{operator.role}</span>
          </a>
          <form method="post" action="/dashboard/sign-out" class="sign-out">
            {csrfField(c)}
            <button type="submit" class="secondary">Sign out</button>
          </form>
        </header>
        <div class="frame">
          <nav class="sidebar" aria-label="Dashboard">
            <ul>
              {NAV.map((n) =>
                "group" in n
                  ? (
                    <li class="group" key={n.group}>
                      <span>{n.group}</span>
                      <ul>{n.items.map((link) => <NavLinkItem key={link.item} link={link} active={active} />)}</ul>
                    </li>
                  )
                  : <NavLinkItem key={n.item} link={n} active={active} />
              )}
              <li class="group">
                <span>Team</span>
                <ul>
                  <NavLinkItem
                    link={{ item: "account", label: "Your passkeys", href: "/dashboard/account" }}
                    active={active}
                  />
                  {operator.role === "admin"
                    ? <NavLinkItem link={{ item: "users", label: "Users", href: "/dashboard/users" }} active={active} />
                    : null}
                </ul>
              </li>
            </ul>
          </nav>
          <main>
            <h1>{title}</h1>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}

/** The shell of the pages shown before sign-in (sign-in, enrol): no navigation, no operator. */
export function SignedOutPage(
  { title, csrfToken, scripts = [], children }: {
    title: string;
    csrfToken: string;
    scripts?: string[];
    children?: Child;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={csrfToken} />
        <title>{title} · Verifa</title>
        <link rel="icon" href="/dashboard/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/dashboard/static/dashboard.css" />
        {scripts.map((src) => <script key={src} src={src} defer></script>)}
      </head>
      <body class="signed-out">
        <main class="card">
          <p class="brand">Verifa</p>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}
