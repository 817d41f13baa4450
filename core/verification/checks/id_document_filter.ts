/** Owns the id_document_filter check: the allow/reject matrix of issuing country × document type. */
import { type CheckModule, reason, skipped } from "../check.ts";

interface FilterInputs {
  country: string | null;
  document_type: string | null;
}

function listed(matrix: Record<string, string[]>, country: string, type: string): boolean {
  return (matrix[country] ?? []).includes(type) || (matrix["*"] ?? []).includes(type);
}

export const idDocumentFilter: CheckModule<FilterInputs> = {
  policy: "id_document_filter",
  version: 1,
  async gather({ evidence }) {
    const extraction = await evidence.extraction();
    const session = evidence.session;
    return {
      // What the document says wins over what the applicant chose at capture.
      inputs: {
        country: extraction.data.document_issuing_country ?? session.document_country ?? session.country ?? null,
        document_type: extraction.data.document_type ?? session.document_type ?? null,
      },
      versions: extraction.versions,
    };
  },
  decide({ country, document_type }, options) {
    if (!country || !document_type) {
      return skipped("document_unknown", "The document's country or type is unknown.", { country, document_type });
    }
    const outputs = { country, document_type };
    if (listed(options.rejected as Record<string, string[]>, country, document_type)) {
      return {
        status: "failed",
        score: null,
        reasons: [reason("document_rejected", `${document_type} from ${country} is not accepted.`)],
        outputs,
      };
    }
    if (!listed(options.allowed as Record<string, string[]>, country, document_type)) {
      return {
        status: "failed",
        score: null,
        reasons: [reason("document_not_allowed", `${document_type} from ${country} is not on the allowed list.`)],
        outputs,
      };
    }
    return { status: "passed", score: null, reasons: [], outputs };
  },
};
