/**
 * Owns how the engines decode a stored image: the upload pipeline's pixel limit and a time budget,
 * EXIF orientation, and an optional region given as fractions of the oriented image.
 */
import sharp, { type Sharp } from "sharp";
import { AppError } from "../errors.ts";
import { MAX_PIXELS } from "../images/image_pipeline.ts";

/** A rectangle as fractions (0–1) of the oriented image, so a document layout is resolution-free. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Pixel rectangle in the oriented input image. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const DECODE_TIMEOUT_SECONDS = 5;
const INPUT = { limitInputPixels: MAX_PIXELS, failOn: "error" } as const;

export interface OpenedImage {
  /** Oriented and cropped to the region; add operations, then call `.raw()` or an encoder. */
  pipeline: Sharp;
  /** Where the pipeline's first pixel sits in the oriented image, and its size there. */
  crop: PixelBox;
}

/**
 * Reads the header (no pixel decoded yet), applies EXIF orientation and crops to `region`.
 * Throws AppError `image_unreadable` for anything sharp cannot decode or that exceeds the limit.
 */
export async function openImage(bytes: Uint8Array, region?: Region): Promise<OpenedImage> {
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes, INPUT).metadata();
    ({ width, height } = meta.autoOrient ?? meta);
  } catch (error) {
    throw unreadable(error);
  }
  if (!width || !height || width * height > MAX_PIXELS) throw unreadable(new Error("pixel limit"));
  const crop = region ? regionToPixels(region, width, height) : { x: 0, y: 0, width, height };
  let pipeline = sharp(bytes, INPUT).rotate().timeout({ seconds: DECODE_TIMEOUT_SECONDS });
  if (region) pipeline = pipeline.extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height });
  return { pipeline, crop };
}

/** Runs a pipeline to raw pixels, mapping libvips failures to `image_unreadable`. */
export async function toRaw(
  pipeline: Sharp,
): Promise<{ data: Uint8Array; width: number; height: number; channels: number }> {
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: info.channels,
    };
  } catch (error) {
    throw unreadable(error);
  }
}

export function regionToPixels(region: Region, width: number, height: number): PixelBox {
  const { left, top, width: w, height: h } = region;
  const inRange = [left, top, w, h].every((v) => Number.isFinite(v) && v >= 0 && v <= 1);
  if (!inRange || w === 0 || h === 0 || left + w > 1.000001 || top + h > 1.000001) {
    throw new AppError("invalid_parameter", "A region is four fractions of the image, inside it and not empty.");
  }
  const x = Math.min(width - 1, Math.round(left * width));
  const y = Math.min(height - 1, Math.round(top * height));
  return {
    x,
    y,
    width: Math.max(1, Math.min(width - x, Math.round(w * width))),
    height: Math.max(1, Math.min(height - y, Math.round(h * height))),
  };
}

function unreadable(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new AppError("image_unreadable", `The image has more than ${MAX_PIXELS / 1e6} megapixels.`);
  }
  if (/timeout/i.test(message)) return new AppError("image_unreadable", "The image took too long to decode.");
  return new AppError("image_unreadable", "The image could not be read; it may be corrupt or incomplete.");
}
