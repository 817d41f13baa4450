/**
 * Owns the page-level client the dashboard page tests use: an operator of a given org and role,
 * signed in through tests/helpers/dashboard.ts, who GETs pages and POSTs forms (CSRF included) and
 * reads back status, HTML and the redirect target.
 */
import type { TestWorld } from "./test_app.ts";
import { createOperator, dashboardRequest, signedInCookie, type TestOperator } from "./dashboard.ts";
import type { OperatorRoleName } from "../../core/operators/users.ts";

export interface PageResponse {
  status: number;
  html: string;
  headers: Headers;
  /** The Location of a redirect (these tests never follow one). */
  location: string | null;
}

export interface DashboardClient {
  /** The signed-in user (its id is the reviewer id on cases, `created_by` on list items, …). */
  operator: TestOperator;
  page(path: string): Promise<PageResponse>;
  post(path: string, form: Record<string, string | readonly string[]>): Promise<PageResponse>;
}

async function read(response: Response): Promise<PageResponse> {
  return {
    status: response.status,
    html: await response.text(),
    headers: response.headers,
    location: response.headers.get("location"),
  };
}

export async function signIn(
  world: TestWorld,
  orgId: string,
  role: OperatorRoleName,
  environment: "sandbox" | "live" = "sandbox",
): Promise<DashboardClient> {
  const operator = await createOperator(world, { role, orgId });
  const session = await signedInCookie(world, operator, { environment });
  return {
    operator,
    page: async (path) => await read(await dashboardRequest(world, session, "GET", path)),
    post: async (path, form) =>
      await read(
        await dashboardRequest(world, session, "POST", path, form as Record<string, string | string[]>),
      ),
  };
}
