/** Owns the age_verification check: the age on the document's date of birth against `minimum_age`. */
import { ageOn, type CheckModule, isoDay, reason, skipped } from "../check.ts";

export const ageVerification: CheckModule<{ date_of_birth: string | null; today: string }> = {
  policy: "age_verification",
  version: 1,
  async gather({ evidence }) {
    const extraction = await evidence.extraction();
    return {
      inputs: { date_of_birth: extraction.data.date_of_birth ?? null, today: isoDay(evidence.now) },
      versions: extraction.versions,
    };
  },
  decide({ date_of_birth, today }, options) {
    if (!date_of_birth) {
      return skipped("date_of_birth_unread", "The date of birth could not be read from the document.");
    }
    const age = ageOn(date_of_birth, today);
    const minimum = options.minimum_age as number;
    return {
      status: age >= minimum ? "passed" : "failed",
      score: null,
      reasons: age >= minimum
        ? []
        : [reason("underage", `The applicant is ${age}, under the minimum age of ${minimum}.`)],
      outputs: { age, minimum_age: minimum },
    };
  },
};
