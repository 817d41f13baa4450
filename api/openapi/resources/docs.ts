/** Owns the API document's entry for itself: `GET /api/v1/openapi.json`, served without a key. */
import { z } from "zod";
import { operations } from "../spec.ts";

export const docsOperations = operations({ tag: "Documentation", auth: "none" }, [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document (OpenAPI 3.1)",
    description: "No API key needed. A reference page rendered from it is served at `/docs`.",
    responses: {
      200: { description: "The OpenAPI document.", schema: z.looseObject({ openapi: z.literal("3.1.0") }) },
    },
  },
]);
