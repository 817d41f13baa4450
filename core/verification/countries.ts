/**
 * Owns turning the country codes documents carry into the ISO 3166-1 alpha-2 codes the API uses:
 * MRZs use alpha-3 plus ICAO's own codes (Germany's "D", the UN's "UNO"…), licences their country.
 */
import countries from "i18n-iso-countries";

/** ICAO 9303 codes that are not ISO alpha-3. */
const ICAO_CODES: Record<string, string> = {
  D: "DE",
  "D<<": "DE",
  GBD: "GB",
  GBN: "GB",
  GBO: "GB",
  GBS: "GB",
  GBP: "GB",
};

export function alpha2Country(code: string | null | undefined): string | null {
  if (!code) return null;
  const trimmed = code.replace(/</g, " ").trim().toUpperCase();
  if (ICAO_CODES[trimmed]) return ICAO_CODES[trimmed];
  if (/^[A-Z]{2}$/.test(trimmed)) return countries.isValid(trimmed) ? trimmed : null;
  if (/^[A-Z]{3}$/.test(trimmed)) return countries.alpha3ToAlpha2(trimmed) ?? null;
  return null;
}
