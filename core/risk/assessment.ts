/**
 * Owns the fraud-risk assessment of a session: client signals the capture client submitted,
 * server-side signals (velocity of sessions per applicant IP and per external_ref), and signals
 * the verification recorded, scored into the notes' bands.
 */
import type { CoreDeps } from "../deps.ts";
import type { SessionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { findResult, findResults } from "../sessions/repository.ts";
import { sessionFieldContext } from "../sessions/service.ts";
import { getOrgSettings } from "../orgs/organizations.ts";

export type RiskLevel = "low" | "medium" | "high" | "critical";

export interface RiskSignal {
  signal: string;
  category: "behavioral" | "device" | "network" | "integrity" | "velocity" | "identity" | "document" | "biometric";
  weight: number;
  detail: string;
}

/** Signals whose presence alone makes the session critical, whatever the score. */
export const HARD_BLOCK_SIGNALS: ReadonlySet<string> = new Set([
  "bot_detected",
  "virtual_camera",
  "camera_injection_detected",
  "integrity_checksum_mismatch",
]);

/** Client flags → signal name, category and weight (weights from the notes where they give one). */
const FLAG_SIGNALS: {
  path: [string, string];
  signal: string;
  category: RiskSignal["category"];
  weight: number;
  detail: string;
}[] = [
  {
    path: ["behavioral", "copy_paste_name"],
    signal: "copy_paste_name",
    category: "behavioral",
    weight: 15,
    detail: "Name was pasted",
  },
  {
    path: ["behavioral", "mouse_bot_pattern"],
    signal: "mouse_bot_pattern",
    category: "behavioral",
    weight: 25,
    detail: "Scripted mouse movement",
  },
  {
    path: ["behavioral", "keystroke_bot_pattern"],
    signal: "keystroke_bot_pattern",
    category: "behavioral",
    weight: 25,
    detail: "Scripted typing",
  },
  {
    path: ["behavioral", "autofill_then_edit"],
    signal: "autofill_then_edit",
    category: "behavioral",
    weight: 10,
    detail: "Autofilled then edited",
  },
  {
    path: ["behavioral", "screen_sharing"],
    signal: "screen_sharing_detected",
    category: "behavioral",
    weight: 15,
    detail: "Screen was shared",
  },
  {
    path: ["device", "bot_detected"],
    signal: "bot_detected",
    category: "device",
    weight: 50,
    detail: "Automation detected",
  },
  {
    path: ["device", "webdriver"],
    signal: "webdriver_evasion_detected",
    category: "device",
    weight: 40,
    detail: "WebDriver present",
  },
  {
    path: ["device", "devtools_open"],
    signal: "devtools_open",
    category: "device",
    weight: 30,
    detail: "Developer tools open",
  },
  {
    path: ["device", "virtual_camera"],
    signal: "virtual_camera",
    category: "device",
    weight: 50,
    detail: "Virtual camera in use",
  },
  {
    path: ["device", "camera_injection"],
    signal: "camera_injection_detected",
    category: "device",
    weight: 50,
    detail: "Camera stream injection",
  },
  {
    path: ["device", "webgl_vm"],
    signal: "webgl_vm_detected",
    category: "device",
    weight: 30,
    detail: "Virtual machine renderer",
  },
  {
    path: ["device", "incognito"],
    signal: "incognito_detected",
    category: "device",
    weight: 10,
    detail: "Private browsing",
  },
  { path: ["network", "vpn"], signal: "vpn_detected", category: "network", weight: 10, detail: "VPN or proxy" },
  { path: ["network", "tor"], signal: "tor_detected", category: "network", weight: 30, detail: "Tor exit node" },
  {
    path: ["integrity", "checksum_mismatch"],
    signal: "integrity_checksum_mismatch",
    category: "integrity",
    weight: 50,
    detail: "Capture client was modified",
  },
];

/**
 * Every signal this module raises (client flags, the computed client signals and velocity), so an
 * organisation's risk_signal_actions can be checked against names that exist.
 */
export const KNOWN_RISK_SIGNALS: readonly string[] = [
  ...FLAG_SIGNALS.map((flag) => flag.signal),
  "completion_too_fast",
  "completion_too_slow",
  "high_hesitation",
  "high_distraction",
  "ip_velocity",
  "external_ref_velocity",
];

/** More sessions than this from one IP or for one external_ref within 24 h is a velocity signal. */
const VELOCITY_THRESHOLD = 3;

export function riskLevel(score: number): RiskLevel {
  if (score <= 20) return "low";
  if (score <= 50) return "medium";
  if (score <= 80) return "high";
  return "critical";
}

function numberAt(signals: Record<string, unknown>, group: string, key: string): number | null {
  const value = (signals[group] as Record<string, unknown> | undefined)?.[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function clientRiskSignals(client: Record<string, unknown> | null): RiskSignal[] {
  if (!client) return [];
  const found: RiskSignal[] = [];
  for (const flag of FLAG_SIGNALS) {
    if ((client[flag.path[0]] as Record<string, unknown> | undefined)?.[flag.path[1]] === true) {
      found.push({ signal: flag.signal, category: flag.category, weight: flag.weight, detail: flag.detail });
    }
  }
  const seconds = numberAt(client, "behavioral", "completion_seconds");
  if (seconds !== null && seconds < 15) {
    found.push({
      signal: "completion_too_fast",
      category: "behavioral",
      weight: 20,
      detail: `Completed in ${seconds} s`,
    });
  }
  if (seconds !== null && seconds > 900) {
    found.push({
      signal: "completion_too_slow",
      category: "behavioral",
      weight: 5,
      detail: `Completed in ${seconds} s`,
    });
  }
  const idle = numberAt(client, "behavioral", "idle_ratio");
  if (idle !== null && idle > 0.75) {
    found.push({
      signal: "high_hesitation",
      category: "behavioral",
      weight: 10,
      detail: `Idle ${Math.round(idle * 100)} %`,
    });
  }
  const switches = numberAt(client, "behavioral", "tab_switches");
  if (switches !== null && switches > 5) {
    found.push({ signal: "high_distraction", category: "behavioral", weight: 5, detail: `${switches} tab switches` });
  }
  return found;
}

/** The velocity window: sessions created in the last 24 h count. */
function velocitySince(deps: CoreDeps): Date {
  return new Date(deps.clock().getTime() - 24 * 3600_000);
}

/** Velocity signals from the counts of sessions sharing the session's IP and its external_ref. */
function velocityFromCounts(ipCount: number, refCount: number): RiskSignal[] {
  const signal = (name: string, count: number, weight: number, what: string): RiskSignal[] =>
    count > VELOCITY_THRESHOLD
      ? [{ signal: name, category: "velocity", weight, detail: `${count} sessions ${what} in 24 h` }]
      : [];
  return [
    ...signal("ip_velocity", ipCount, 15, "from this IP"),
    ...signal("external_ref_velocity", refCount, 10, "for this external_ref"),
  ];
}

/** Sessions per value of `column` among `values` in the velocity window (one grouped query). */
async function countByValue(
  deps: CoreDeps,
  scope: Scope,
  column: "consent_ip_bidx" | "external_ref",
  values: string[],
): Promise<Map<string, number>> {
  if (values.length === 0) return new Map();
  const rows = await deps.db.selectFrom("sessions")
    .select((eb) => [eb.ref(column).as("value"), eb.fn.countAll<number>().as("n")])
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where(column, "in", [...new Set(values)]).where("created_at", ">=", velocitySince(deps))
    .groupBy(column).execute();
  return new Map(rows.map((row) => [row.value as string, Number(row.n)]));
}

/** Velocity signals of several sessions at once: two grouped queries, whatever their number. */
async function velocitySignalsOf(deps: CoreDeps, scope: Scope, sessions: SessionRow[]) {
  const [byIp, byRef] = await Promise.all([
    countByValue(deps, scope, "consent_ip_bidx", sessions.flatMap((s) => s.consent_ip_bidx ? [s.consent_ip_bidx] : [])),
    countByValue(deps, scope, "external_ref", sessions.flatMap((s) => s.external_ref ? [s.external_ref] : [])),
  ]);
  return new Map(sessions.map((s) => [
    s.id,
    velocityFromCounts(
      s.consent_ip_bidx ? byIp.get(s.consent_ip_bidx) ?? 0 : 0,
      s.external_ref ? byRef.get(s.external_ref) ?? 0 : 0,
    ),
  ]));
}

export async function velocitySignals(deps: CoreDeps, scope: Scope, session: SessionRow): Promise<RiskSignal[]> {
  return (await velocitySignalsOf(deps, scope, [session])).get(session.id)!;
}

/** What an organisation does with a signal: leave it out of the score, count it, or block on it. */
export type SignalAction = "ignore" | "flag" | "block";
export const SIGNAL_ACTIONS: readonly SignalAction[] = ["ignore", "flag", "block"];

export interface RiskScore {
  risk_score: number;
  risk_level: RiskLevel;
  /** Signals counted (ignored ones are left out). */
  signals: RiskSignal[];
  /** Present signals whose action is `block`. */
  blocked_by: string[];
}

/**
 * Scores signals under the organisation's per-signal actions. The hard-block signals default to
 * `block` (when `blockHardSignals`), every other signal to `flag`; a blocked signal makes the
 * level critical whatever the score.
 */
export function scoreSignals(
  signals: RiskSignal[],
  actions: Readonly<Record<string, SignalAction>>,
  blockHardSignals = true,
): RiskScore {
  const actionOf = (signal: string): SignalAction =>
    actions[signal] ?? (blockHardSignals && HARD_BLOCK_SIGNALS.has(signal) ? "block" : "flag");
  const counted = signals.filter((s) => actionOf(s.signal) !== "ignore");
  const blocked = [...new Set(counted.filter((s) => actionOf(s.signal) === "block").map((s) => s.signal))];
  const score = Math.min(100, counted.reduce((sum, s) => sum + (s.weight ?? 0), 0));
  return {
    risk_score: score,
    risk_level: blocked.length ? "critical" : riskLevel(score),
    signals: counted,
    blocked_by: blocked,
  };
}

/**
 * The verification recorded its full assessment; client and velocity signals are added only when
 * new, then everything is scored under the organisation's actions.
 */
function scoreSession(
  session: SessionRow,
  recordedSignals: unknown[] | null | undefined,
  velocity: RiskSignal[],
  actions: Readonly<Record<string, SignalAction>>,
): RiskScore {
  const recorded = ((recordedSignals ?? []) as RiskSignal[]).filter((s) => typeof s?.signal === "string");
  const own = new Set(recorded.map((s) => s.signal));
  const signals = [
    ...recorded,
    ...[...clientRiskSignals(session.client_signals), ...velocity].filter((s) => !own.has(s.signal)),
  ];
  return scoreSignals(signals, actions);
}

export async function assessRisk(deps: CoreDeps, scope: Scope, session: SessionRow) {
  const [velocity, result, settings] = await Promise.all([
    velocitySignals(deps, scope, session),
    findResult(deps.db, scope, session.id),
    getOrgSettings(deps.db, scope.orgId),
  ]);
  const scored = scoreSession(
    session,
    result?.risk_signals as unknown[] | undefined,
    velocity,
    settings.risk_signal_actions,
  );
  return {
    session_id: session.id,
    risk_score: scored.risk_score,
    risk_level: scored.risk_level,
    signals: scored.signals,
    blocked_by: scored.blocked_by,
    ip_address: session.consent_ip_enc
      ? deps.keyRing.decryptJson<string>(session.consent_ip_enc, sessionFieldContext(session.id, "consent_ip_enc"))
      : null,
    client_signals: session.client_signals,
    assessed_at: deps.clock().toISOString(),
  };
}

/** The risk level of each listed session, scored exactly as assessRisk scores one, in four queries. */
export async function assessRiskLevels(
  deps: CoreDeps,
  scope: Scope,
  sessions: SessionRow[],
): Promise<Map<string, RiskLevel>> {
  const [velocity, results, settings] = await Promise.all([
    velocitySignalsOf(deps, scope, sessions),
    findResults(deps.db, scope, sessions.map((s) => s.id)),
    getOrgSettings(deps.db, scope.orgId),
  ]);
  return new Map(sessions.map((session) => [
    session.id,
    scoreSession(
      session,
      results.get(session.id)?.risk_signals as unknown[] | undefined,
      velocity.get(session.id) ?? [],
      settings.risk_signal_actions,
    ).risk_level,
  ]));
}
