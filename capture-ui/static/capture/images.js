/**
 * Owns turning what the applicant captured or picked into the upload: drawn on a canvas, scaled so
 * the long side is at most 2400 px, and encoded as JPEG at quality 0.9. Smaller uploads are faster
 * on mobile networks and still well above what the server's checks need (it keeps ≤ 4000 px).
 */

export const MAX_LONG_SIDE = 2400;
export const JPEG_QUALITY = 0.9;

/** @param {CanvasImageSource} source @param {number} width @param {number} height */
function scaledCanvas(source, width, height) {
  const scale = Math.min(1, MAX_LONG_SIDE / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext("2d").drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** @param {HTMLCanvasElement} canvas @returns {Promise<Blob>} */
function toJpeg(canvas) {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("The photo could not be encoded."))),
      "image/jpeg",
      JPEG_QUALITY,
    )
  );
}

/** The current camera frame, unmirrored (the selfie preview is mirrored only on screen). */
export function frameToJpeg(video) {
  return toJpeg(scaledCanvas(video, video.videoWidth, video.videoHeight));
}

/**
 * A picked file, downscaled. A file this browser cannot decode (HEIC in most browsers, or not an
 * image at all) is sent as it is: the server may read it, and otherwise says precisely why not.
 * @param {File} file
 * @returns {Promise<Blob>}
 */
export async function fileToJpeg(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  try {
    return await toJpeg(scaledCanvas(bitmap, bitmap.width, bitmap.height));
  } finally {
    bitmap.close();
  }
}
