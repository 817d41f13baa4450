/**
 * Owns zxing-wasm's reader, instantiated from the wasm file inside the installed package, that
 * decodes the PDF417 on the back of a North American driver's licence; and the AAMVA DL/ID card
 * design standard parser that turns its text into fields.
 */
import { prepareZXingModule, readBarcodes, type ReadResult, ZXING_CPP_COMMIT } from "zxing-wasm/reader";
import { openImage, type PixelBox, type Region, toRaw } from "./engine_image.ts";
import { installedPackage, packageFile } from "./npm_package.ts";
import type { EngineVersions } from "./versions.ts";

export interface Pdf417Read {
  /** Decoded text with its control characters (AAMVA separates elements with LF, subfiles with CR). */
  text: string;
  /** Error-correction level as zxing reports it. */
  ecLevel: string;
  /** Bounding box of the symbol, in pixels of the oriented image. */
  box: PixelBox;
}

export interface BarcodeEngine {
  /** The largest PDF417 in the image (or `region`), or null when none decodes. */
  readPdf417(imageBytes: Uint8Array, region?: Region): Promise<Pdf417Read | null>;
  readonly versions: EngineVersions;
}

/**
 * Decoding runs on at most this many pixels on the long side: a licence back photographed at 12 MP
 * still has PDF417 modules several pixels wide at this size, and zxing's time grows with area.
 */
export const BARCODE_MAX_SIDE = 2000;

let shared: Promise<BarcodeEngine> | undefined;

/** One instantiated wasm module per process, shared. */
export function createBarcodeEngine(): Promise<BarcodeEngine> {
  shared ??= load().catch((error) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function load(): Promise<BarcodeEngine> {
  const pkg = installedPackage("zxing-wasm");
  const wasmFile = packageFile(pkg, "dist/reader/zxing_reader.wasm");
  const bytes = await Deno.readFile(wasmFile);
  const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  // Both set: wasmBinary means the module never fetches, and locateFile (its default points at
  // fastly.jsdelivr.net) could only name the local copy if it ever did.
  await prepareZXingModule({
    overrides: { wasmBinary, locateFile: (name: string) => `${pkg.dir}/dist/reader/${name}` },
    fireImmediately: true,
  });

  return {
    versions: {
      engine: "barcode",
      library: `zxing-wasm@${pkg.version}`,
      runtime: { "zxing-cpp": ZXING_CPP_COMMIT.slice(0, 12) },
      models: ["dist/reader/zxing_reader.wasm"],
    },
    async readPdf417(imageBytes, region) {
      const { pipeline, crop } = await openImage(imageBytes, region);
      const rgba = await toRaw(
        pipeline
          .resize({ width: BARCODE_MAX_SIDE, height: BARCODE_MAX_SIDE, fit: "inside", withoutEnlargement: true })
          .toColourspace("srgb")
          .ensureAlpha(),
      );
      const scale = crop.width / rgba.width;
      // zxing-wasm accepts any { data, width, height } as ImageData (it only reads those fields).
      const imageData = { data: rgba.data, width: rgba.width, height: rgba.height, colorSpace: "srgb" };
      const results = await readBarcodes(imageData as unknown as ImageData, {
        formats: ["PDF417"],
        tryHarder: true,
        tryRotate: true,
        tryInvert: false,
        // Plain: the bytes as text, control characters kept; HRI would reformat them.
        textMode: "Plain",
        maxNumberOfSymbols: 4,
      });
      const best = results.filter((r) => r.isValid).sort((a, b) => area(b) - area(a))[0];
      if (!best) return null;
      const xs = [
        best.position.topLeft.x,
        best.position.topRight.x,
        best.position.bottomLeft.x,
        best.position.bottomRight.x,
      ];
      const ys = [
        best.position.topLeft.y,
        best.position.topRight.y,
        best.position.bottomLeft.y,
        best.position.bottomRight.y,
      ];
      return {
        text: best.text,
        ecLevel: best.ecLevel,
        box: {
          x: Math.round(crop.x + Math.min(...xs) * scale),
          y: Math.round(crop.y + Math.min(...ys) * scale),
          width: Math.round((Math.max(...xs) - Math.min(...xs)) * scale),
          height: Math.round((Math.max(...ys) - Math.min(...ys)) * scale),
        },
      };
    },
  };
}

function area(result: ReadResult): number {
  const { topLeft, topRight, bottomLeft } = result.position;
  return Math.hypot(topRight.x - topLeft.x, topRight.y - topLeft.y) *
    Math.hypot(bottomLeft.x - topLeft.x, bottomLeft.y - topLeft.y);
}

// ---------------------------------------------------------------------------------------------
// AAMVA DL/ID card design standard (versions 01–10)

export interface AamvaAddress {
  street: string | null;
  street2: string | null;
  city: string | null;
  /** Jurisdiction of residence (DAJ), two letters. */
  state: string | null;
  /** "94103" or "94103-1234" (US), "K1A0B1" (Canada). */
  postalCode: string | null;
  country: string | null;
}

export interface AamvaData {
  /** AAMVA version from the header (1 = DL/ID-2000 … 10 = 2020), null for a malformed header. */
  version: number | null;
  jurisdictionVersion: number | null;
  /** Issuer identification number: names the issuing jurisdiction. */
  iin: string | null;
  /** Two-letter code of the issuer from the IIN; the residence state (DAJ) when the IIN is unknown. */
  issuingState: string | null;
  issuingCountry: "USA" | "CAN" | "MEX" | null;
  /** DL (driver's licence) or ID (identification card) subfile. */
  documentType: "DL" | "ID" | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  suffix: string | null;
  /** ISO 8601 dates. */
  dateOfBirth: string | null;
  expirationDate: string | null;
  issueDate: string | null;
  documentNumber: string | null;
  sex: "M" | "F" | "X" | null;
  address: AamvaAddress;
  /** Every element of the DL/ID subfile by its three-letter code, values trimmed. */
  elements: Record<string, string>;
}

/** AAMVA issuer identification numbers (aamva.org IIN list) → [jurisdiction, country]. */
const IIN: Record<string, [string, "USA" | "CAN" | "MEX"]> = {
  "636000": ["VA", "USA"],
  "636001": ["NY", "USA"],
  "636002": ["MA", "USA"],
  "636003": ["MD", "USA"],
  "636004": ["NC", "USA"],
  "636005": ["SC", "USA"],
  "636006": ["CT", "USA"],
  "636007": ["LA", "USA"],
  "636008": ["MT", "USA"],
  "636009": ["NM", "USA"],
  "636010": ["FL", "USA"],
  "636011": ["DE", "USA"],
  "636012": ["ON", "CAN"],
  "636013": ["NS", "CAN"],
  "636014": ["CA", "USA"],
  "636015": ["TX", "USA"],
  "636016": ["NL", "CAN"],
  "636017": ["NB", "CAN"],
  "636018": ["IA", "USA"],
  "636019": ["GU", "USA"],
  "636020": ["CO", "USA"],
  "636021": ["AR", "USA"],
  "636022": ["KS", "USA"],
  "636023": ["OH", "USA"],
  "636024": ["VT", "USA"],
  "636025": ["PA", "USA"],
  "636026": ["AZ", "USA"],
  "636028": ["BC", "CAN"],
  "636029": ["OR", "USA"],
  "636030": ["MO", "USA"],
  "636031": ["WI", "USA"],
  "636032": ["MI", "USA"],
  "636033": ["AL", "USA"],
  "636034": ["ND", "USA"],
  "636035": ["IL", "USA"],
  "636036": ["NJ", "USA"],
  "636037": ["IN", "USA"],
  "636038": ["MN", "USA"],
  "636039": ["NH", "USA"],
  "636040": ["UT", "USA"],
  "636041": ["ME", "USA"],
  "636042": ["SD", "USA"],
  "636043": ["DC", "USA"],
  "636044": ["SK", "CAN"],
  "636045": ["WA", "USA"],
  "636046": ["KY", "USA"],
  "636047": ["HI", "USA"],
  "636048": ["MB", "CAN"],
  "636049": ["NV", "USA"],
  "636050": ["ID", "USA"],
  "636051": ["MS", "USA"],
  "636052": ["RI", "USA"],
  "636053": ["TN", "USA"],
  "636054": ["NE", "USA"],
  "636055": ["GA", "USA"],
  "636056": ["COA", "MEX"],
  "636057": ["HID", "MEX"],
  "636058": ["OK", "USA"],
  "636059": ["AK", "USA"],
  "636060": ["WY", "USA"],
  "636061": ["WV", "USA"],
  "636062": ["VI", "USA"],
  "604426": ["PE", "CAN"],
  "604427": ["AS", "USA"],
  "604428": ["QC", "CAN"],
  "604429": ["YT", "CAN"],
  "604430": ["MP", "USA"],
  "604431": ["PR", "USA"],
  "604432": ["AB", "CAN"],
  "604433": ["NU", "CAN"],
  "990876": ["AB", "CAN"],
};

// The compliance indicator and separators are control characters (LF, RS, CR) by the standard.
// deno-lint-ignore no-control-regex
const HEADER = /^@\n?\x1e?\r?(?:ANSI |AAMVA)(\d{6})(\d{2})(\d{2})?(\d{2})?/;

/**
 * Parses the text of an AAMVA PDF417. Lenient where real cards are (separators, header offsets
 * that do not match, versions 01–10); returns null when no DL/ID subfile is found.
 */
export function parseAamva(text: string): AamvaData | null {
  const header = HEADER.exec(text);
  const iin = header?.[1] ?? null;
  const version = header ? Number(header[2]) : null;
  // Version 01 has no jurisdiction version field: its next two digits are the entry count.
  const jurisdictionVersion = header && version !== 1 && header[3] ? Number(header[3]) : null;

  // Element codes are three letters starting with D (Z… are jurisdiction-specific subfiles); the
  // subfile body begins with its two-letter type right before the first element, e.g. "DLDAQ".
  const headerEnd = header ? header[0].length : 0;
  const start = /(DL|ID)(?=D[A-Z]{2})/.exec(text.slice(headerEnd));
  if (!start) return null;
  const documentType = start[1] as "DL" | "ID";
  const body = text.slice(headerEnd + start.index + 2);
  const subfile = body.split("\r")[0];
  const elements: Record<string, string> = {};
  for (const raw of subfile.split(/\n/)) {
    // Some encoders repeat the record (RS) or group (GS) separator before an element.
    // deno-lint-ignore no-control-regex
    const m = /^([A-Z]{3})(.*)$/.exec(raw.replace(/^[\x1e\x1d]+/, ""));
    if (m && !(m[1] in elements)) elements[m[1]] = m[2].trim();
  }
  const get = (code: string) => (elements[code] ? elements[code] : null);

  const issuer = iin ? IIN[iin] : undefined;
  const country = issuer?.[1] ?? (get("DCG") === "CAN" ? "CAN" : get("DCG") === "USA" ? "USA" : null);
  // Version 01 and Canadian cards write CCYYMMDD; later US cards MMDDCCYY.
  const yearFirst = version === 1 || country === "CAN";
  const date = (code: string) => aamvaDate(get(code), yearFirst);

  let lastName = get("DCS") ?? get("DAB");
  let firstName = get("DAC") ?? get("DCT");
  let middleName = get("DAD");
  // Version 01 (and some 02) carry the whole name in DAA, "LAST,FIRST,MIDDLE" (or spaces), and
  // version 02–03 the given names together in DCT.
  const full = get("DAA");
  if (full && (!lastName || !firstName)) {
    const parts = full.split(/,|\s+/).filter(Boolean);
    lastName ??= parts[0] ?? null;
    firstName ??= parts[1] ?? null;
    middleName ??= parts.slice(2).join(" ") || null;
  }
  if (firstName && !get("DAC") && get("DCT")) {
    const parts = firstName.split(/,|\s+/).filter(Boolean);
    firstName = parts[0] ?? null;
    middleName ??= parts.slice(1).join(" ") || null;
  }

  return {
    version,
    jurisdictionVersion,
    iin,
    issuingState: issuer?.[0] ?? get("DAJ"),
    issuingCountry: country,
    documentType,
    firstName: nameOrNull(firstName),
    middleName: nameOrNull(middleName),
    lastName: nameOrNull(lastName),
    suffix: get("DCU"),
    dateOfBirth: date("DBB"),
    expirationDate: date("DBA"),
    issueDate: date("DBD"),
    documentNumber: get("DAQ"),
    sex: aamvaSex(get("DBC")),
    address: {
      street: get("DAG"),
      street2: get("DAH"),
      city: get("DAI"),
      state: get("DAJ"),
      postalCode: postalCode(get("DAK"), country),
      country: get("DCG") ?? country,
    },
    elements,
  };
}

/** "NONE" and "unavl" are how cards say a name part is absent (AAMVA 2016 D.12.5). */
function nameOrNull(value: string | null): string | null {
  if (!value || /^(NONE|UNAVL)$/i.test(value)) return null;
  return value;
}

function aamvaDate(value: string | null, yearFirst: boolean): string | null {
  if (!value || !/^\d{8}$/.test(value)) return null;
  const asYearFirst = [value.slice(0, 4), value.slice(4, 6), value.slice(6, 8)];
  const asMonthFirst = [value.slice(4, 8), value.slice(0, 2), value.slice(2, 4)];
  // The declared order first; the other only when the declared one is not a date at all.
  for (const [y, m, d] of yearFirst ? [asYearFirst, asMonthFirst] : [asMonthFirst, asYearFirst]) {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (Number(y) >= 1900 && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d)) {
      return `${y}-${m}-${d}`;
    }
  }
  return null;
}

function aamvaSex(value: string | null): "M" | "F" | "X" | null {
  switch (value?.toUpperCase()) {
    case "1":
    case "M":
      return "M";
    case "2":
    case "F":
      return "F";
    case "9":
    case "X":
      return "X";
    default:
      return null;
  }
}

/** DAK is 11 characters padded with spaces or zeros: "941030000  " is ZIP 94103 with no ZIP+4. */
function postalCode(value: string | null, country: string | null): string | null {
  if (!value) return null;
  const compact = value.replace(/\s+/g, "");
  if (country !== "CAN" && /^\d{5,9}$/.test(compact)) {
    const zip4 = compact.slice(5, 9);
    return zip4 && !/^0+$/.test(zip4) ? `${compact.slice(0, 5)}-${zip4}` : compact.slice(0, 5);
  }
  return compact || null;
}
