/** Owns the shape in which an engine reports what it ran, for the immutable attempt rows of each check. */

export interface EngineVersions {
  engine: "face" | "ocr" | "barcode";
  /** The npm package that does the work, `name@version` as installed. */
  library: string;
  /** Other packages and settings that change results (runtime, backend, language data). */
  runtime: Record<string, string>;
  /** Model or data files loaded from inside the packages. */
  models: string[];
}
