/**
 * Owns Strict-Transport-Security: when the public URL is https, every response tells the browser
 * to reach this host over https only for a year, so a later http:// link or a network attacker's
 * downgrade cannot carry the dashboard cookie or a capture token in clear text. Over http (local
 * development, `deno task start`) it is never sent: a browser would then refuse the plain-http
 * origin for a year. The other headers every response carries are set in request_context.ts.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http.ts";

/** One year, the value HSTS preload lists ask for; subdomains of the public host are ours too. */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

export function transportSecurity(publicUrl: string): MiddlewareHandler<AppEnv> {
  const https = new URL(publicUrl).protocol === "https:";
  return async (c, next) => {
    await next();
    if (https) c.header("Strict-Transport-Security", HSTS_VALUE);
  };
}
