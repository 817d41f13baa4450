/**
 * Owns the generated camera inputs of the browser tests: Y4M videos (YUV4MPEG2, 4:2:0) that
 * Chromium's fake camera plays (`--use-file-for-fake-video-capture`), of an ID card on a dark
 * desk and of a face, plus still images of the same drawings for the upload paths. Everything is
 * drawn here from SVG with sharp, so no binary fixture is committed.
 *
 * Each video starts with a short drift (the hand settling, with motion blur) and then holds
 * still, so an "auto capture when steady and sharp" detector has something to wait for. Chromium
 * loops the file, so the drift comes back at every loop (every `seconds`).
 */
import sharp from "sharp";

export interface FakeVideoOptions {
  /** Even numbers (4:2:0 halves both). Default 1280×720, as a phone's camera stream. */
  width?: number;
  height?: number;
  /** Default 15: enough for a detector sampling a few times a second, half the bytes of 30. */
  fps?: number;
  /** Length of one loop. Default 2.4 s. */
  seconds?: number;
  /** How long the subject drifts at the start of each loop. Default 0.6 s; 0 holds still throughout. */
  motionSeconds?: number;
}

/** What is printed on the generated card (and encoded in its MRZ, with real ICAO check digits). */
export interface IdCardHolder {
  surname: string;
  givenNames: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  /** YYYY-MM-DD */
  expiryDate: string;
  /** Up to 9 characters, A-Z and 0-9. */
  documentNumber: string;
  sex: "M" | "F" | "X";
  /** ICAO code; UTO (Utopia) is the code ICAO uses on specimens. */
  country: string;
}

export const DEFAULT_HOLDER: IdCardHolder = {
  surname: "SPECIMEN",
  givenNames: "ALEX JORDAN",
  dateOfBirth: "1990-04-12",
  expiryDate: "2031-04-11",
  documentNumber: "L898902C3",
  sex: "X",
  country: "UTO",
};

export interface IdCardOptions extends FakeVideoOptions {
  holder?: Partial<IdCardHolder>;
}

/** Pixel rectangle in the frame. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeVideo {
  path: string;
  width: number;
  height: number;
  fps: number;
  /** Frames in one loop. */
  frameCount: number;
  /** The first `motionFrames` frames drift; the rest are identical to `still`. */
  motionFrames: number;
  /** Where the subject (card, or face and shoulders) sits once steady. */
  subject: Rect;
  /** The steady frame as PNG: what a test compares camera pixels against, or uploads instead. */
  still: Uint8Array;
}

interface Scene {
  width: number;
  height: number;
  subject: Rect;
  /** The whole frame as SVG with the subject shifted by (dx, dy). */
  svg(dx: number, dy: number): string;
}

const DEFAULTS = { width: 1280, height: 720, fps: 15, seconds: 2.4, motionSeconds: 0.6 };

/** An ID card (ISO ID-1 proportions) on a dark desk: photo box, name, dates, a three-line TD1 MRZ. */
export async function writeIdCardVideo(path: string, options: IdCardOptions = {}): Promise<FakeVideo> {
  return await writeY4m(path, idCardScene(options), options);
}

/** A selfie: a drawn face (hair, eyes, brows, nose, mouth) and shoulders in front of a light wall. */
export async function writeFaceVideo(path: string, options: FakeVideoOptions = {}): Promise<FakeVideo> {
  return await writeY4m(path, faceScene(options), options);
}

/** The card scene's steady frame as an image file, for the upload paths. */
export async function idCardImage(
  options: IdCardOptions & { format?: "png" | "jpeg" } = {},
): Promise<Uint8Array> {
  return await encode(idCardScene(options), options.format ?? "jpeg");
}

/** The face scene's steady frame as an image file, for the upload paths. */
export async function faceImage(options: FakeVideoOptions & { format?: "png" | "jpeg" } = {}): Promise<Uint8Array> {
  return await encode(faceScene(options), options.format ?? "jpeg");
}

async function encode(scene: Scene, format: "png" | "jpeg"): Promise<Uint8Array> {
  const image = sharp(new TextEncoder().encode(scene.svg(0, 0)));
  const out = format === "png" ? await image.png().toBuffer() : await image.jpeg({ quality: 90 }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function sizeOf(options: FakeVideoOptions) {
  const width = options.width ?? DEFAULTS.width;
  const height = options.height ?? DEFAULTS.height;
  if (width % 2 || height % 2 || width < 64 || height < 64) {
    throw new Error(`fake camera frames must be even-sized and at least 64×64, not ${width}×${height}`);
  }
  return { width, height };
}

/** ICAO 9303 check digit: weights 7, 3, 1 over digits, letters A=10…Z=35 and filler < = 0. */
export function mrzCheckDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    const value = c === "<" ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += value * [7, 3, 1][i % 3];
  }
  return String(sum % 10);
}

/** The three 30-character lines of a TD1 (ID card) machine-readable zone. */
export function td1Mrz(holder: IdCardHolder): [string, string, string] {
  const pad = (s: string, n: number) => (s + "<".repeat(n)).slice(0, n);
  const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]+/g, "<");
  const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  const number = pad(clean(holder.documentNumber), 9);
  const line1 = pad(`I<${pad(holder.country, 3)}${number}${mrzCheckDigit(number)}`, 30);
  const dob = yymmdd(holder.dateOfBirth);
  const expiry = yymmdd(holder.expiryDate);
  const head = `${dob}${mrzCheckDigit(dob)}${holder.sex}${expiry}${mrzCheckDigit(expiry)}${pad(holder.country, 3)}`;
  const body = pad(head, 29);
  // The composite digit covers line 1 from the document number on, and dob, expiry with their digits.
  const composite = line1.slice(5, 30) + dob + mrzCheckDigit(dob) + expiry + mrzCheckDigit(expiry) + body.slice(18, 29);
  const line2 = body + mrzCheckDigit(composite);
  const line3 = pad(`${clean(holder.surname)}<<${clean(holder.givenNames)}`, 30);
  return [line1, line2, line3];
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function idCardScene(options: IdCardOptions): Scene {
  const { width, height } = sizeOf(options);
  const holder = { ...DEFAULT_HOLDER, ...options.holder };
  const [l1, l2, l3] = td1Mrz(holder);
  // The card fills about 60% of the frame's width, like a document frame guide on a phone.
  const cardWidth = Math.round(Math.min(width * 0.6, height * 0.8 * 1.586));
  const cardHeight = Math.round(cardWidth / 1.586);
  const subject = {
    x: Math.round((width - cardWidth) / 2),
    y: Math.round((height - cardHeight) / 2),
    width: cardWidth,
    height: cardHeight,
  };
  const sans = "DejaVu Sans, Liberation Sans, sans-serif";
  const mono = "DejaVu Sans Mono, Liberation Mono, monospace";
  // Drawn in an 856×540 box (the card in tenths of a millimetre) and scaled onto the frame.
  const card = `
    <rect x="0" y="0" width="856" height="540" rx="32" fill="#eef2f5" stroke="#c3ccd4" stroke-width="3"/>
    <path d="M32 0 H824 A32 32 0 0 1 856 32 V92 H0 V32 A32 32 0 0 1 32 0 Z" fill="#1f4e79"/>
    <text x="40" y="58" font-family="${sans}" font-size="36" font-weight="bold" fill="#ffffff">${
    xml(`REPUBLIC OF ${holder.country}`)
  }</text>
    <text x="816" y="58" font-family="${sans}" font-size="24" fill="#cfe0f1" text-anchor="end">IDENTITY CARD</text>
    <rect x="40" y="118" width="210" height="262" rx="6" fill="#b7c2cc"/>
    <circle cx="145" cy="220" r="58" fill="#65717c"/>
    <path d="M52 380 C60 300 100 282 145 282 C190 282 230 300 238 380 Z" fill="#65717c"/>
    <g font-family="${sans}" fill="#111820">
      <text x="285" y="140" font-size="18" fill="#5b6772">Surname</text>
      <text x="285" y="172" font-size="30" font-weight="bold">${xml(holder.surname)}</text>
      <text x="285" y="208" font-size="18" fill="#5b6772">Given names</text>
      <text x="285" y="240" font-size="30" font-weight="bold">${xml(holder.givenNames)}</text>
      <text x="285" y="276" font-size="18" fill="#5b6772">Date of birth</text>
      <text x="285" y="306" font-size="28">${xml(holder.dateOfBirth)}</text>
      <text x="560" y="276" font-size="18" fill="#5b6772">Sex</text>
      <text x="560" y="306" font-size="28">${xml(holder.sex)}</text>
      <text x="285" y="342" font-size="18" fill="#5b6772">Document no.</text>
      <text x="285" y="372" font-size="28">${xml(holder.documentNumber)}</text>
      <text x="560" y="342" font-size="18" fill="#5b6772">Date of expiry</text>
      <text x="560" y="372" font-size="28">${xml(holder.expiryDate)}</text>
    </g>
    <path d="M0 404 H856 V508 A32 32 0 0 1 824 540 H32 A32 32 0 0 1 0 508 Z" fill="#f8fafb"/>
    <g font-family="${mono}" font-size="38" fill="#0b0f14">
      <text x="48" y="445">${xml(l1)}</text>
      <text x="48" y="487">${xml(l2)}</text>
      <text x="48" y="529">${xml(l3)}</text>
    </g>
    <rect x="0" y="0" width="856" height="540" rx="32" fill="none" stroke="#c3ccd4" stroke-width="3"/>`;
  const scale = cardWidth / 856;
  return {
    width,
    height,
    subject,
    svg: (dx, dy) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><radialGradient id="desk" cx="50%" cy="45%" r="75%">
        <stop offset="0" stop-color="#2b3138"/><stop offset="1" stop-color="#12161a"/>
      </radialGradient></defs>
      <rect width="${width}" height="${height}" fill="url(#desk)"/>
      <g transform="translate(${subject.x + dx} ${subject.y + dy}) scale(${scale})">${card}</g>
    </svg>`,
  };
}

function faceScene(options: FakeVideoOptions): Scene {
  const { width, height } = sizeOf(options);
  // The head is about half the frame's height, as inside a selfie screen's face oval.
  const unit = height / 720;
  const cx = width / 2;
  const cy = height * 0.44;
  const subject = {
    x: Math.round(cx - 300 * unit),
    y: Math.round(cy - 230 * unit),
    width: Math.round(600 * unit),
    height: Math.round(height - (cy - 230 * unit)),
  };
  // Drawn around (0, 0) = the face's centre, in units of a 720-pixel-high frame.
  const person = `
    <path d="M-300 400 C-290 260 -170 215 -60 205 L60 205 C170 215 290 260 300 400 Z" fill="#34597d"/>
    <rect x="-45" y="120" width="90" height="100" fill="#d7a27a"/>
    <ellipse cx="0" cy="-40" rx="150" ry="185" fill="#3a2a1e"/>
    <ellipse cx="-132" cy="10" rx="22" ry="40" fill="#d39c73"/>
    <ellipse cx="132" cy="10" rx="22" ry="40" fill="#d39c73"/>
    <ellipse cx="0" cy="10" rx="130" ry="170" fill="url(#skin)"/>
    <path d="M-130 -55 C-125 -175 125 -175 130 -55 C95 -130 -95 -130 -130 -55 Z" fill="#3a2a1e"/>
    <path d="M-85 -38 Q-55 -56 -25 -40" stroke="#3a2a1e" stroke-width="9" fill="none" stroke-linecap="round"/>
    <path d="M25 -40 Q55 -56 85 -38" stroke="#3a2a1e" stroke-width="9" fill="none" stroke-linecap="round"/>
    <ellipse cx="-55" cy="-5" rx="24" ry="13" fill="#ffffff"/>
    <ellipse cx="55" cy="-5" rx="24" ry="13" fill="#ffffff"/>
    <circle cx="-55" cy="-5" r="10" fill="#4a3324"/><circle cx="55" cy="-5" r="10" fill="#4a3324"/>
    <circle cx="-55" cy="-5" r="4.5" fill="#000000"/><circle cx="55" cy="-5" r="4.5" fill="#000000"/>
    <path d="M0 5 L-14 62 Q0 72 16 62" stroke="#a86f4c" stroke-width="5" fill="none" stroke-linejoin="round"/>
    <path d="M-48 102 Q0 132 48 102 Q0 116 -48 102 Z" fill="#a5504b" stroke="#8c3f3b" stroke-width="4"/>`;
  return {
    width,
    height,
    subject,
    svg: (dx, dy) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs>
        <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color="#dfe5ea"/><stop offset="1" stop-color="#b9c3cb"/>
        </linearGradient>
        <radialGradient id="skin" cx="45%" cy="40%" r="65%">
          <stop offset="0" stop-color="#f0c7a2"/><stop offset="1" stop-color="#cf966c"/>
        </radialGradient>
      </defs>
      <rect width="${width}" height="${height}" fill="url(#wall)"/>
      <g transform="translate(${cx + dx} ${cy + dy}) scale(${unit})">${person}</g>
    </svg>`,
  };
}

/**
 * Renders the scene's frames and writes them as YUV4MPEG2 4:2:0. The file is written beside
 * `path` and renamed over it, so a camera opened while it is being replaced (a test swapping the
 * card for a face between two steps) reads either the old video or the new one, never half.
 */
async function writeY4m(path: string, scene: Scene, options: FakeVideoOptions): Promise<FakeVideo> {
  const { width, height } = scene;
  const fps = options.fps ?? DEFAULTS.fps;
  const frameCount = Math.max(1, Math.round((options.seconds ?? DEFAULTS.seconds) * fps));
  const motionFrames = Math.min(frameCount - 1, Math.round((options.motionSeconds ?? DEFAULTS.motionSeconds) * fps));
  const amplitude = Math.round(width * 0.03);

  const render = async (dx: number, dy: number, blur: number) => {
    let image = sharp(new TextEncoder().encode(scene.svg(dx, dy))).removeAlpha();
    if (blur >= 0.3) image = image.blur(blur);
    return rgbToI420(new Uint8Array(await image.raw().toBuffer()), width, height);
  };
  // A decaying wobble: the card swings by ~3% of the width and settles; blur follows the speed.
  const offset = (i: number) => {
    const t = i / Math.max(1, motionFrames);
    const damp = (1 - t) * (1 - t);
    return {
      dx: Math.round(amplitude * damp * Math.cos(t * Math.PI * 3)),
      dy: Math.round(amplitude * 0.6 * damp * Math.sin(t * Math.PI * 3)),
    };
  };

  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameMarker = new TextEncoder().encode("FRAME\n");
  const steady = await render(0, 0, 0);
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
  try {
    await writeAll(file, header);
    for (let i = 0; i < frameCount; i++) {
      let frame = steady;
      if (i < motionFrames) {
        const now = offset(i);
        const next = offset(i + 1);
        const speed = Math.hypot(next.dx - now.dx, next.dy - now.dy);
        frame = await render(now.dx, now.dy, speed / 3);
      }
      await writeAll(file, frameMarker);
      await writeAll(file, frame);
    }
  } finally {
    file.close();
  }
  await Deno.rename(temporary, path);

  const still = await sharp(new TextEncoder().encode(scene.svg(0, 0))).removeAlpha().png().toBuffer();
  return {
    path,
    width,
    height,
    fps,
    frameCount,
    motionFrames,
    subject: scene.subject,
    still: new Uint8Array(still.buffer, still.byteOffset, still.byteLength),
  };
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}

/**
 * Packed RGB → planar I420 with BT.601 studio-range coefficients (Y 16–235, Cb/Cr 16–240), the
 * colour space Chromium assumes for camera frames; chroma is the mean of each 2×2 block.
 */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3 / 2);
  const uAt = width * height;
  const vAt = uAt + (width / 2) * (height / 2);
  for (let i = 0, p = 0; i < width * height; i++, p += 3) {
    out[i] = Math.round(16 + (65.481 * rgb[p] + 128.553 * rgb[p + 1] + 24.966 * rgb[p + 2]) / 255);
  }
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let r = 0, g = 0, b = 0;
      for (const [ox, oy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((y + oy) * width + x + ox) * 3;
        r += rgb[p];
        g += rgb[p + 1];
        b += rgb[p + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const c = (y / 2) * (width / 2) + x / 2;
      out[uAt + c] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[vAt + c] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}
