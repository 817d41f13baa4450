/**
 * Owns the check_against_list check's place in the engine. The organisation's own allow/block
 * lists are their own resource (issue #7); until they exist no list id can name one, so the check
 * reports itself skipped with that reason instead of pretending to have matched nothing.
 */
import { type CheckModule, skipped } from "../check.ts";

export const checkAgainstList: CheckModule<{ list_ids: string[] }> = {
  policy: "check_against_list",
  version: 1,
  gather({ options }) {
    return Promise.resolve({ inputs: { list_ids: options.list_ids as string[] }, versions: [] });
  },
  decide({ list_ids }) {
    return skipped(
      "lists_unavailable",
      `Custom lists are not available on this installation yet (${list_ids.join(", ")}).`,
    );
  },
};
