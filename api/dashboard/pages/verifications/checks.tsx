/**
 * Owns grouping a result's check_results by the policy catalogue's categories, and rendering the
 * groups, for the session and case pages. Only each check's status, score and reason codes are
 * shown: a check's other outputs may carry extracted personal data.
 */
import { policySpec } from "../../../../core/workflows/policies.ts";

const CATEGORY_LABELS: Record<string, string> = {
  document: "Document Scan",
  extraction: "Data Extraction",
  biometric: "Facial Recognition",
  decisioning: "Age Verification & Decisioning",
  fraud: "Fraud",
  compliance: "Compliance",
  other: "Other",
};
const CATEGORY_ORDER = Object.keys(CATEGORY_LABELS);

export interface CheckLine {
  name: string;
  label: string;
  status: string;
  score: number | null;
  reasons: string[];
}

export interface CheckCategory {
  category: string;
  label: string;
  checks: CheckLine[];
}

export function checkLabel(name: string): string {
  const words = name.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function checksByCategory(checkResults: Record<string, unknown> | null | undefined): CheckCategory[] {
  const groups = new Map<string, CheckLine[]>();
  for (const [name, raw] of Object.entries(checkResults ?? {})) {
    const entry = (typeof raw === "object" && raw !== null ? raw : { status: raw }) as Record<string, unknown>;
    const category = policySpec(name)?.category ?? "other";
    const line: CheckLine = {
      name,
      label: checkLabel(name),
      status: typeof entry.status === "string" ? entry.status : "unknown",
      score: typeof entry.score === "number" ? entry.score : null,
      reasons: Array.isArray(entry.reasons) ? entry.reasons.filter((r): r is string => typeof r === "string") : [],
    };
    groups.set(category, [...(groups.get(category) ?? []), line]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b))
    .map(([category, checks]) => ({ category, label: CATEGORY_LABELS[category] ?? category, checks }));
}

/** The checks of a result under a heading per category; "No checks recorded." when there are none. */
export function CheckGroups({ checkResults }: { checkResults: Record<string, unknown> | null | undefined }) {
  const groups = checksByCategory(checkResults);
  if (groups.length === 0) return <p>No checks recorded.</p>;
  return (
    <>
      {groups.map((group) => (
        <div class="check-category" data-category={group.category}>
          <h3>{group.label}</h3>
          <ul>
            {group.checks.map((check) => (
              <li data-check={check.name} data-check-status={check.status}>
                {check.label}: <span class={`badge check-${check.status}`}>{check.status}</span>
                {check.score === null ? null : ` score ${check.score}`}
                {check.reasons.length ? ` (${check.reasons.join(", ")})` : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
