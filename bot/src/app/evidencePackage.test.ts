import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { Document, Packer, Paragraph } from "docx";
import { declaresWordDocument } from "@ectsp/shared";
import { zipContentTypes } from "./evidencePackage.js";

describe("reading an uploaded package's [Content_Types].xml", () => {
  it("finds the Word main document in a real .docx", async () => {
    const real = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Lesson notes")] }] }));
    const types = await zipContentTypes(new Uint8Array(real));
    expect(types).toBeDefined();
    expect(declaresWordDocument(types!)).toBe(true);
  });

  it("gives nothing for a file that is not a ZIP, a ZIP without the part, or a part that inflates past 1 MB", async () => {
    expect(await zipContentTypes(new TextEncoder().encode("%PDF-1.4"))).toBeUndefined();
    const named = new JSZip();
    named.file("word/document.xml", "<w:document/>");
    expect(await zipContentTypes(await named.generateAsync({ type: "uint8array" }))).toBeUndefined();
    const bomb = new JSZip();
    bomb.file("[Content_Types].xml", "<Types>" + " ".repeat(5 * 1024 * 1024) + "</Types>");
    const packed = await bomb.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    expect(packed.length).toBeLessThan(100_000);
    expect(await zipContentTypes(packed)).toBeUndefined();
  });
});
