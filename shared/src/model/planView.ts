import { z } from "zod";
import type { Violation } from "../errors.js";
import { editScopes, type EditScope, type PlanAction } from "../permissions.js";
import { Role } from "./people.js";
import type { Plan, PlanOutcome, Signature, Signer, SignerRole, TemplateId } from "./plan.js";

/** What the caller may change, in a sentence for the banner over the plan (permissions.ts, editAccess). */
export const EditAccess = z.object({
  scope: z.enum(editScopes),
  /** "You can change the weekly actions, resources and success criteria, and evaluate each week. The objectives and dates are the induction tutor's." */
  summary: z.string(),
  /** The role to ask for anything the caller may not change themselves (absent for the lead). */
  askRole: Role.optional(),
  /** Levels 4–5: whether the plan is shared with the mentor, and whether this caller may change that. */
  mentorSharing: z.object({ shared: z.boolean(), mayChange: z.boolean() }).optional(),
});
export type EditAccess = z.infer<typeof EditAccess>;

/**
 * A plan as the API returns it (GET/PUT /api/plans/{id} and every plan action): the plan, who
 * the ECT is, where it stands, who signs and what they sealed, what the rules say about it now,
 * and what this caller may do — so the tab hides what the server would refuse anyway. The server
 * builds it (bot/src/http/planView.ts); the tab reads it. One type, both sides.
 */
export interface PlanView {
  plan: Plan;
  ect: { id: string; name: string; schoolName: string; mentorName?: string; inductionTutorName?: string; track: "ect" | "itt" };
  /** The status as people read it: "Awaiting signatures (1 of 3)", "Active · amendment awaiting signatures (0 of 2)". */
  stage: string;
  /** While signatures are awaited (on the plan or on an amendment): how many of how many. */
  signatureProgress?: { signed: number; of: number; amendment: boolean };
  signers: {
    role: SignerRole;
    roleLabel: string;
    personId?: string;
    name?: string;
    /** Their signature on the version being signed now (the amendment's while there is one). */
    signature?: Signature;
    /** Other roles the roster gives the same person on this form (they sign once, for both). */
    alsoSignsAs: SignerRole[];
  }[];
  /** For each role the lead may choose: who the roster gives that role (empty unless the caller may ask for signatures). */
  signerChoices: { role: SignerRole; people: { id: string; name: string }[] }[];
  /** Signatures holding the agreement the plan runs on. */
  validSignatures: Signature[];
  /** Signers who have not signed the version being signed now. */
  missingSigners: Signer[];
  /** SHA-256 of the agreement the plan runs on (agreementDigest), as its signatures sealed it. */
  agreedDigest: string;
  /** SHA-256 of the amendment's proposed agreement, while there is one. */
  amendmentDigest?: string;
  /** The plan this one follows, and why it ended (the escalation or review's reason). */
  predecessor?: { id: string; templateId: TemplateId; level?: number; outcome?: PlanOutcome; outcomeReason?: string };
  violations: Violation[];
  allowed: Record<PlanAction, boolean>;
  editScope: EditScope;
  /** What the caller may change, in words for the banner over the plan. */
  access: EditAccess;
}
