import { z } from "zod";
import { FormText } from "../model/ids.js";
import type { InductionRecord, RecordSignature, RecordSignerRole } from "../model/inductionRecords.js";
import { conflict, forbidden, validationFailed } from "../errors.js";
import { relationshipsTo, type Actor } from "../permissions.js";
import type { Ect } from "../model/people.js";
import { sealOf } from "../recordLifecycle.js";
import { auditEntry, isoNow, type EctContext, type UseCaseContext } from "./context.js";
import type { RecordWrites } from "./recordAccess.js";
import { chainOf, recordLabel, requireCurrentRevision, signerRoleLabels } from "./recordChainAccess.js";

export const SignRecordInput = z.strictObject({
  /** The ECT's comments, written as they sign (SG §2.61). Only the ECT adds them. */
  comments: FormText(4000).trim().optional(),
});
export type SignRecordInput = z.infer<typeof SignRecordInput>;

/** The signer roles this actor holds for this ECT (a tutor who is also the head holds two). */
export function signerRolesOf(actor: Actor, ect: Ect): RecordSignerRole[] {
  const rel = relationshipsTo(actor, ect);
  return (["ect", "induction_tutor", "head"] as const).filter((role) => rel.has(role === "ect" ? "self" : role));
}

/** Signature ids are fixed per revision and role, so a second signature racing the first is refused by the store. */
export const signatureId = (recordId: string, role: RecordSignerRole) => `${recordId}.sig-${role}`;

/**
 * A required signer signs the current revision of a review or assessment (SG §2.61: the ECT adds
 * their comments, then all sign). One action signs every missing role the actor holds. Refused:
 * anyone who is not a required signer, an earlier revision (409 naming the current one), a
 * revision the AB has returned (the school revises it first), and a role already signed. The
 * signature seals the content (sealSha256). Once all have signed the AB's officers are told.
 */
export function signRecord(
  ctx: UseCaseContext,
  ectCtx: EctContext,
  records: readonly InductionRecord[],
  recordId: string,
  input: SignRecordInput,
): RecordWrites & { signatures: RecordSignature[] } {
  const chain = chainOf(records, recordId);
  const roles = signerRolesOf(ctx.actor, ectCtx.ect);
  if (roles.length === 0) throw forbidden("Only the ECT, their induction tutor and the headteacher sign a progress review or formal assessment.");
  requireCurrentRevision(chain, recordId, "sign");
  if (chain.status === "returned") {
    throw conflict("The appropriate body returned this record to the school: it is signed again once the school revises it. Nothing was signed.");
  }
  const toSign = roles.filter((r) => chain.missingSigners.includes(r));
  if (toSign.length === 0) throw conflict("You have already signed this revision. Nothing was changed.");
  if (input.comments && !toSign.includes("ect")) {
    throw validationFailed(
      [{ path: "comments", code: "comments-by-ect-only", message: "Only the ECT adds comments as they sign.", severity: "error" }],
      "Only the ECT adds comments as they sign: nothing was signed",
    );
  }
  const current = chain.current;
  const seal = sealOf(current);
  const signatures = toSign.map((role): RecordSignature => ({
    id: signatureId(current.id, role),
    kind: "record_signature",
    ectId: current.ectId,
    schoolId: current.schoolId,
    abId: current.abId,
    recordId: current.id,
    role,
    name: ctx.actor.displayName,
    sealSha256: seal,
    ...(role === "ect" && input.comments ? { comments: input.comments } : {}),
    recordedAt: isoNow(ctx),
    recordedBy: ctx.actor.id,
    recordedByName: ctx.actor.displayName,
  }));
  const complete = chain.missingSigners.every((r) => toSign.includes(r));
  const label = recordLabel(current);
  return {
    signatures,
    records: signatures,
    audit: [
      auditEntry(
        ctx,
        "signRecord",
        ectCtx.ect,
        undefined,
        `Signed ${label} (revision ${current.revision}) as ${toSign.map((r) => signerRoleLabels[r]).join(" and ")}${complete ? "; all signatures in" : ""}`,
      ),
    ],
    outbox: complete
      ? ectCtx.abOfficers.map((o) => ({
          kind: "record_signed" as const,
          recipientId: o.id,
          ectId: ectCtx.ect.id,
          dedupeKey: `record-signed:${current.id}:${o.id}`,
          data: { recordId: current.id, label, revision: current.revision },
        }))
      : [],
  };
}
