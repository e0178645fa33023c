import { requiredRecordSigners, sealOf, type RecordSignature, type RecordSignerRole } from "@ectsp/shared";
import type { Block, TableRow } from "../model.js";
import { formatDateTime } from "../format.js";
import { isCurrent, signaturesOnPrinted, type RecordExportInput } from "./input.js";
import { recordTitle } from "./layout.js";

/** Each signer as the AB's forms name them (seed 003: "Induction Tutor signature", "ECT signature"). */
export const recordSignerLabels: Record<RecordSignerRole, string> = {
  ect: "ECT",
  induction_tutor: "Induction tutor",
  head: "Headteacher/Principal",
};

/** Roles the printed revision still needs. */
export function missingOnPrinted(input: RecordExportInput): RecordSignerRole[] {
  const signed = signaturesOnPrinted(input);
  return requiredRecordSigners(input.record).filter((role) => !signed.some((s) => s.role === role));
}

const when = (iso: string) => `${formatDateTime(iso)}\n${iso}`;

function signatureRows(input: RecordExportInput): TableRow[] {
  const signed = signaturesOnPrinted(input);
  return requiredRecordSigners(input.record).map((role): TableRow => {
    const s = signed.find((x) => x.role === role);
    return s
      ? {
          cells: [
            { text: recordSignerLabels[role], strong: true },
            { text: s.name },
            { text: when(s.recordedAt) },
            // Only signatures whose seal equals this revision's digest reach here (signaturesOnPrinted).
            { text: `Signed revision ${input.record.revision}. Seal ${s.sealSha256}: equals the content digest below.` },
          ],
        }
      : {
          cells: [
            { text: recordSignerLabels[role], strong: true },
            { text: input.signerNames[role] ?? "" },
            { text: "" },
            { text: "STILL TO SIGN this revision." },
          ],
        };
  });
}

/** Signatures given on other revisions of the chain: true of the text they sealed, not of this one. */
function otherSignatures(input: RecordExportInput): RecordSignature[] {
  const all = [...input.chain.earlierSignatures, ...(isCurrent(input) ? [] : input.chain.signatures)];
  const printed = new Set(signaturesOnPrinted(input).map((s) => s.id));
  const revisionOf = new Map([input.chain.current, ...input.chain.earlier].map((r) => [r.id, r.revision]));
  return all.filter((s) => !printed.has(s.id) && revisionOf.has(s.recordId)).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

/**
 * Who signed this revision and when, who still must, the signatures on earlier revisions (listed,
 * but not as signing this text), the AB's returns, and the certificate: the digest of the sealed
 * content recomputed from the record printed, which each signature's seal must equal.
 */
export function recordCertificate(input: RecordExportInput): Block[] {
  const { record, chain } = input;
  const digest = sealOf(record);
  const signed = signaturesOnPrinted(input);
  const missing = missingOnPrinted(input);
  const revisionOf = new Map([chain.current, ...chain.earlier].map((r) => [r.id, r.revision]));
  const others = otherSignatures(input);

  const blocks: Block[] = [
    { kind: "heading", text: "Signatures", level: 1 },
    {
      kind: "paragraph",
      tone: "note",
      text: "The ECT adds their comments, then the ECT, the induction tutor and the headteacher sign (SG §2.61). Each signature seals the record's content as printed here.",
    },
    {
      kind: "table",
      columns: [
        { label: "Signature", weight: 1.5 },
        { label: "Name", weight: 1.3 },
        { label: "Signed (UK time, and the instant)", weight: 1.6 },
        { label: "What was signed", weight: 3 },
      ],
      rows: signatureRows(input),
    },
  ];
  if (others.length > 0) {
    blocks.push(
      { kind: "heading", text: "Signatures on other revisions (they do not sign this text)", level: 2 },
      {
        kind: "table",
        columns: [
          { label: "Signature", weight: 1.5 },
          { label: "Name", weight: 1.3 },
          { label: "Signed", weight: 1.6 },
          { label: "Revision signed", weight: 3 },
        ],
        rows: others.map((s) => ({
          cells: [
            { text: recordSignerLabels[s.role], strong: true },
            { text: s.name },
            { text: when(s.recordedAt) },
            { text: `Revision ${revisionOf.get(s.recordId) ?? "?"}: not this text (seal ${s.sealSha256}).` },
          ],
        })),
      },
    );
  }
  if (chain.returns.length > 0) {
    blocks.push(
      { kind: "heading", text: "Returned by the appropriate body", level: 2 },
      {
        kind: "table",
        columns: [
          { label: "Revision returned", weight: 0.9 },
          { label: "By", weight: 1.3 },
          { label: "When", weight: 1.5 },
          { label: "Comments", weight: 3.3 },
        ],
        rows: chain.returns.map((r) => ({
          cells: [{ text: `Revision ${revisionOf.get(r.recordId) ?? "?"}` }, { text: r.recordedByName }, { text: when(r.recordedAt) }, { text: r.comments }],
        })),
      },
    );
  }

  const status =
    missing.length === 0
      ? `Revision ${record.revision}: signed by everyone required`
      : `Revision ${record.revision}, NOT SIGNED by everyone required: still to sign: ${missing.map((r) => recordSignerLabels[r]).join(", ")}`;
  blocks.push(
    { kind: "heading", text: "Certificate", level: 1 },
    {
      kind: "fields",
      rows: [
        { label: "Record:", value: `${recordTitle(input)}${record.due ? ` (${record.due.label})` : ""}: ${input.ectName}, ${input.schoolName}` },
        { label: "Record reference:", value: record.id },
        { label: "Revision certified:", value: status },
        { label: "Content digest (SHA-256 of the sealed content, recomputed from the record printed):", value: digest },
        {
          label: "Check:",
          value:
            signed.length === 0
              ? "No signature on this revision yet."
              : `${signed.length} signature(s) on this revision; each seal equals the content digest above.`,
        },
        { label: "Exported:", value: `${formatDateTime(input.exportedAt)} (${input.exportedAt.toISOString()})` },
        { label: "Exported by:", value: input.exportedByName },
      ],
    },
    {
      kind: "paragraph",
      tone: "note",
      text: "The digest is SHA-256 over the canonical serialisation (keys sorted) of the record's judgement, the point it answers and its revision; recompute it from the record to check this copy.",
    },
  );
  return blocks;
}
