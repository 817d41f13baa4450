/**
 * Owns the module matrix of a QR code for a capture URL: one byte-mode segment, error correction
 * level M, mask 0 — the matrix `QRCode.create` makes for the same text and options, module for
 * module (tests/core/qr_matrix_test.ts compares them), in a fraction of its time.
 *
 * Why: `QRCode.create` rebuilds the symbol's fixed parts (finder, timing and alignment patterns,
 * format and version information) and the generator polynomial on every call, and divides with
 * freshly allocated arrays; it was two fifths of the QR's cost on create-session's path (issue
 * #17). Here each version's fixed parts, its data-module order and its block layout are built once,
 * from qrcode's own reference symbol and its own tables (the standard's), and a code costs its
 * Reed-Solomon remainders and one pass over the data modules.
 */
import QRCode from "qrcode";
import ECCode from "qrcode/lib/core/error-correction-code.js";
import ECLevel from "qrcode/lib/core/error-correction-level.js";
import Mode from "qrcode/lib/core/mode.js";
import Utils from "qrcode/lib/core/utils.js";
import Version from "qrcode/lib/core/version.js";

export interface QrMatrix {
  /** Modules per side. */
  size: number;
  /** Row-major, 1 = dark. */
  data: Uint8Array;
}

/** What every code of one version shares. */
interface VersionPlan {
  size: number;
  /** The fixed modules as drawn, and every data module's mask value (what a 0 bit shows). */
  template: Uint8Array;
  /** The data modules' indexes in placement order (the standard's two-column zigzag). */
  order: Int32Array;
  countBits: number;
  dataCodewords: number;
  /** Data codewords per block, in block order; every block gets `ecCount` EC codewords. */
  blockSizes: number[];
  ecCount: number;
  /** The generator polynomial's coefficients after the leading 1, as GF(256) logarithms. */
  generatorLogs: Uint8Array;
}

const MAX_VERSION = 40;

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1; EXP doubled so a sum of two
// logarithms needs no modulo.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}

function multiply(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (a[i] && b[j]) out[i + j] ^= EXP[LOG[a[i]] + LOG[b[j]]];
    }
  }
  return out;
}

/** The product of (x - α^i) for i below `degree`, as logarithms of all but the leading 1. */
function generatorLogs(degree: number): Uint8Array {
  let poly: Uint8Array = new Uint8Array([1]);
  for (let i = 0; i < degree; i++) poly = multiply(poly, new Uint8Array([1, EXP[i]]));
  return poly.subarray(1).map((coefficient) => LOG[coefficient]);
}

const plans = new Map<number, VersionPlan>();

function planFor(version: number): VersionPlan {
  const known = plans.get(version);
  if (known) return known;
  // The reference symbol: what qrcode draws for this version with mask 0. Its reserved modules are
  // the same for every text (format information depends on the level and mask only).
  const reference = QRCode.create([{ data: "", mode: "byte" }], {
    version,
    errorCorrectionLevel: "M",
    maskPattern: 0,
  }).modules;
  const size: number = reference.size;
  const reserved: Uint8Array = reference.reservedBit;
  const template = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      template[i] = reserved[i] ? reference.data[i] : (row + col) % 2 === 0 ? 1 : 0;
    }
  }
  const order: number[] = [];
  let upward = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--; // the vertical timing pattern's column is skipped
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (const c of [col, col - 1]) if (!reserved[row * size + c]) order.push(row * size + c);
    }
    upward = !upward;
  }
  const totalCodewords: number = Utils.getSymbolTotalCodewords(version);
  const dataCodewords = totalCodewords - ECCode.getTotalCodewordsCount(version, ECLevel.M);
  const blocks: number = ECCode.getBlocksCount(version, ECLevel.M);
  const longBlocks = totalCodewords % blocks;
  const shortData = Math.floor(dataCodewords / blocks);
  const ecCount = Math.floor(totalCodewords / blocks) - shortData;
  const plan: VersionPlan = {
    size,
    template,
    order: Int32Array.from(order),
    countBits: Mode.getCharCountIndicator(Mode.BYTE, version),
    dataCodewords,
    blockSizes: Array.from({ length: blocks }, (_, b) => b < blocks - longBlocks ? shortData : shortData + 1),
    ecCount,
    generatorLogs: generatorLogs(ecCount),
  };
  plans.set(version, plan);
  return plan;
}

const capacities = Array.from(
  { length: MAX_VERSION + 1 },
  (_, v) => v === 0 ? -1 : Version.getCapacity(v, ECLevel.M, Mode.BYTE) as number,
);

/** The data codewords: mode, count, bytes, terminator, bit padding, then the pad bytes. */
function dataCodewords(bytes: Uint8Array, plan: VersionPlan): Uint8Array {
  const out = new Uint8Array(plan.dataCodewords);
  let bitLength = 0;
  const put = (value: number, bits: number) => {
    for (let i = bits - 1; i >= 0; i--, bitLength++) {
      if ((value >>> i) & 1) out[bitLength >> 3] |= 0x80 >> (bitLength & 7);
    }
  };
  put(Mode.BYTE.bit, 4);
  put(bytes.length, plan.countBits);
  for (const byte of bytes) put(byte, 8);
  const capacityBits = plan.dataCodewords * 8;
  if (bitLength + 4 <= capacityBits) bitLength += 4; // the terminator's four zero bits
  for (let i = Math.ceil(bitLength / 8), pad = 0; i < plan.dataCodewords; i++, pad++) out[i] = pad % 2 ? 0x11 : 0xec;
  return out;
}

/** A block's EC codewords: the remainder of its data times x^n divided by the generator. */
function remainder(data: Uint8Array, logs: Uint8Array): Uint8Array {
  const n = logs.length;
  const ec = new Uint8Array(n);
  for (const byte of data) {
    const factor = byte ^ ec[0];
    ec.copyWithin(0, 1);
    ec[n - 1] = 0;
    if (factor === 0) continue;
    const factorLog = LOG[factor];
    for (let i = 0; i < n; i++) ec[i] ^= EXP[logs[i] + factorLog];
  }
  return ec;
}

export function qrMatrix(text: string): QrMatrix {
  const bytes = new TextEncoder().encode(text);
  const version = capacities.findIndex((capacity) => capacity >= bytes.length);
  if (version < 1) throw new RangeError(`a QR code holds at most ${capacities[MAX_VERSION]} bytes at level M`);
  const plan = planFor(version);
  const data = dataCodewords(bytes, plan);

  // Blocks, then interleaved: the i-th data codeword of every block, then the i-th EC codeword.
  const blocks: Uint8Array[] = [];
  const ecs: Uint8Array[] = [];
  let offset = 0;
  for (const blockSize of plan.blockSizes) {
    const block = data.subarray(offset, offset + blockSize);
    blocks.push(block);
    ecs.push(remainder(block, plan.generatorLogs));
    offset += blockSize;
  }
  const codewords = new Uint8Array(plan.dataCodewords + plan.ecCount * blocks.length);
  let k = 0;
  const longest = plan.blockSizes[plan.blockSizes.length - 1];
  for (let i = 0; i < longest; i++) for (const block of blocks) if (i < block.length) codewords[k++] = block[i];
  for (let i = 0; i < plan.ecCount; i++) for (const ec of ecs) codewords[k++] = ec[i];

  // Each 1 bit flips its module from the mask value; remainder bits past the codewords stay 0.
  const modules = plan.template.slice();
  const bits = Math.min(plan.order.length, codewords.length * 8);
  for (let bit = 0; bit < bits; bit++) {
    if ((codewords[bit >> 3] >>> (7 - (bit & 7))) & 1) modules[plan.order[bit]] ^= 1;
  }
  return { size: plan.size, data: modules };
}
