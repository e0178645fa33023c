import { agreedVersion, signatureProgress, signerLabels, type Signature, type SignerRole } from "@ectsp/shared";

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
import type { Block, TableRow } from "../model.js";
import type { ExportInput } from "../input.js";
import { formatDateTime } from "../format.js";
import { isAgreed, sealCheck } from "./agreement.js";

/** Printed wherever the agreed text no longer matches what its signers sealed. */
export const SEAL_MISMATCH_MARK = "SIGNED TEXT CHANGED — DOES NOT MATCH THE SIGNATURES";

const methodWords = { tab: "In the app", card: "From a Teams card" } as const;

function methodText(s: Signature): string {
  return s.method ? methodWords[s.method] : "Not sealed (signed before seals were recorded)";
}

function digestRow(s: Signature, digest: string): TableRow {
  if (!s.digest)
    return { cells: [{ label: "SHA-256:", text: "not sealed: this signature was given before seals were recorded, so it cannot be checked.", span: 5 }] };
  const verdict =
    s.digest === digest
      ? "matches the agreement digest above."
      : "DOES NOT MATCH the agreement digest above: the agreed text was changed after this signature.";
  return { cells: [{ label: "SHA-256:", text: `${s.digest} — ${verdict}`, span: 5 }] };
}

/** "Helen Carter signed as Induction tutor and Headteacher/Principal: the roster gives Helen Carter both roles." */
function twoRoleNotes(input: ExportInput, signatures: Signature[]): Block[] {
  const byPerson = new Map<string, Signature[]>();
  for (const s of signatures) byPerson.set(s.personId, [...(byPerson.get(s.personId) ?? []), s]);
  const notes: Block[] = [];
  for (const [personId, sigs] of byPerson) {
    if (sigs.length < 2) continue;
    const name = sigs[0]!.name;
    const roles = sigs.map((s) => s.role);
    const labels = roles.map((r) => signerLabels[r]).join(" and ");
    const both = roles.length === 2 ? "both roles" : "all these roles";
    const today = input.rosterRoles?.get(personId);
    const holds = (r: SignerRole) => today?.includes(r) ?? false;
    const why = !input.rosterRoles
      ? `the roster gave ${name} ${both} when they signed (each role is checked against the roster at signing).`
      : roles.every(holds)
        ? `the roster gives ${name} ${both}.`
        : `the roster gave ${name} ${both} when they signed; it no longer gives them ${roles
            .filter((r) => !holds(r))
            .map((r) => signerLabels[r])
            .join(" and ")}.`;
    notes.push({ kind: "paragraph", text: `${name} signed as ${labels}: ${why}` });
  }
  return notes;
}

/**
 * The signature certificate every export ends with (Documenso's signing certificate is the
 * model): for each signature on the version printed, who, in which role, when (London time and
 * the instant), how, which version, and the full SHA-256 it sealed; the digest recomputed from
 * the agreed content printed here, and whether each seal matches it.
 */
export function signatureCertificate(input: ExportInput): Block[] {
  const { plan, template } = input;
  const check = sealCheck(plan);
  const agreed = isAgreed(plan);
  const progress = signatureProgress(plan);
  const version = agreed
    ? `Agreed version ${check.revision}: every signer required has signed it`
    : `Agreed version ${check.revision} once signed, NOT AGREED: ${plan.status === "awaiting_signatures" && progress ? `awaiting signatures (${progress.signed} of ${progress.of})` : "not everyone required has signed it"}`;
  const result =
    check.signatures.length === 0
      ? "No signature on this version yet."
      : check.mismatched.length > 0
        ? `MISMATCH: ${check.mismatched.length} of ${check.signatures.length} signature(s) sealed a different text. This is not the text they signed.`
        : check.unsealed.length === check.signatures.length
          ? "Not sealed: these signatures were given before seals were recorded, so they cannot be checked against the text."
          : check.unsealed.length > 0
            ? `Every sealed signature matches; ${check.unsealed.length} signature(s) are not sealed (given before seals were recorded).`
            : "Every signature matches the agreement printed in this document.";

  const rows: TableRow[] = check.signatures.flatMap((s) => [
    {
      cells: [
        { text: s.name, strong: true },
        { text: signerLabels[s.role] },
        { text: `${formatDateTime(s.signedAt)}\n${s.signedAt}` },
        { text: methodText(s) },
        { text: cap(agreedVersion(s.revision)) },
      ],
    },
    digestRow(s, check.digest),
  ]);

  const blocks: Block[] = [
    { kind: "heading", text: "Signature certificate", level: 1 },
    {
      kind: "paragraph",
      tone: "note",
      text: "Each signature seals the SHA-256 digest of the canonical serialisation of the plan's agreement (targets, success criteria, actions and support planned, resources, dates and the agreed meetings; not the running record). Recompute the digest from the record to check this document against it.",
    },
  ];
  if (check.mismatched.length > 0) {
    blocks.push({
      kind: "paragraph",
      tone: "alert",
      text: `${SEAL_MISMATCH_MARK}: the agreement printed in this document has digest ${check.digest}, but ${check.mismatched.map((s) => `${s.name} (${signerLabels[s.role]})`).join(", ")} sealed ${[...new Set(check.mismatched.map((s) => s.digest))].join(", ")}. The agreed text was changed after it was signed, without a new signature. Do not rely on this document as the signed agreement; check the plan's audit trail.`,
    });
  }
  blocks.push(
    {
      kind: "fields",
      rows: [
        { label: "Plan:", value: `${template.name}: ${input.ectName}, ${input.schoolName}` },
        { label: "Plan reference:", value: plan.id },
        { label: "Version certified:", value: version },
        { label: "Agreement digest (SHA-256, recomputed from the content printed):", value: check.digest },
        { label: "Check:", value: result },
        { label: "Certificate produced:", value: `${formatDateTime(input.exportedAt)} (${input.exportedAt.toISOString()})` },
        {
          label: "Audit trail when produced:",
          value: input.trailHead
            ? `${input.trailHead.seq} entries; the last entry's SHA-256 is ${input.trailHead.hash}. npm run audit:verify checks the trail still reaches this entry unchanged.`
            : "No sealed audit entry yet.",
        },
      ],
    },
    check.signatures.length
      ? {
          kind: "table",
          columns: [
            { label: "Signer", weight: 1.4 },
            { label: "Role (as the form names it)", weight: 1.4 },
            { label: "Signed at (UK time, and the instant)", weight: 1.8 },
            { label: "Method", weight: 1.2 },
            { label: "Version", weight: 0.8 },
          ],
          rows,
        }
      : { kind: "paragraph", tone: "alert", text: `Nobody has signed ${agreedVersion(check.revision)} yet.` },
    ...twoRoleNotes(input, check.signatures),
  );
  return blocks;
}
