import JSZip from "jszip";

/** The content-types part is a few KB in any real Word file: more is refused, not inflated (a ZIP bomb). */
const maxContentTypesBytes = 1024 * 1024;

/**
 * The [Content_Types].xml of an uploaded ZIP (Office files are ZIP packages), read with JSZip so
 * the domain can tell a Word document from any other ZIP. Undefined for a file that is not a ZIP,
 * has no such part, or whose part is too large or unreadable: the domain then refuses it as a ZIP.
 */
export async function zipContentTypes(bytes: Uint8Array): Promise<string | undefined> {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) return undefined;
  try {
    const zip = await JSZip.loadAsync(bytes);
    const part = zip.file("[Content_Types].xml");
    if (!part) return undefined;
    // Read as a stream so an inflated size past the limit stops at the limit.
    const chunks: Buffer[] = [];
    const read = await new Promise<boolean>((resolve, reject) => {
      let size = 0;
      const stream = part.nodeStream("nodebuffer");
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxContentTypesBytes) {
          stream.pause();
          resolve(false);
        } else chunks.push(chunk);
      });
      stream.on("end", () => resolve(true));
      stream.on("error", reject);
    });
    if (!read) return undefined;
    return Buffer.concat(chunks).toString("utf8");
  } catch {
    return undefined;
  }
}
