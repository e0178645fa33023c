import type { CaseloadRow } from "@shared/model/caseload";
import type { Plan, PlanContent, SignerRole, TemplateId } from "@shared/model/plan";
import type { Violation } from "@shared/errors";
import type { PlanAction, EditScope } from "@shared/permissions";
import type { Role } from "@shared/model/people";
import type { AuditEntry } from "@shared/model/records";

export type { CaseloadRow, Plan, PlanContent, SignerRole, TemplateId, Violation, PlanAction, EditScope, Role, AuditEntry };

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  violations?: Violation[];
  currentVersion?: number;
  changedSinceYourVersion?: { path: string; label: string }[];
  current?: PlanView;
}

export interface PlanView {
  plan: Plan;
  ect: { id: string; name: string; schoolName: string; mentorName?: string; inductionTutorName?: string; track: "ect" | "itt" };
  signers: { role: SignerRole; personId?: string; name?: string }[];
  validSignatures: Plan["signatures"];
  missingSigners: { role: SignerRole; personId?: string }[];
  /** Staff the lead may name as a signer (empty for everyone else). */
  signerCandidates: { id: string; name: string }[];
  violations: Violation[];
  allowed: Record<PlanAction, boolean>;
  editScope: EditScope;
}

export interface Me {
  person: { id: string; displayName: string; roles: Role[]; schoolId?: string; abId?: string };
  roleLabels: string[];
  mode: "local" | "tenant";
}

export interface Persona {
  id: string;
  displayName: string;
  roles: Role[];
  roleLabels: string[];
}

export interface StandardItemRef {
  code: string;
  text: string;
}
export interface StandardHeadingRef {
  code: string;
  title: string;
  part: "P1" | "P2";
  items: StandardItemRef[];
}
