import type { CaseloadRow } from "@shared/model/caseload";
import type { Plan, PlanContent, SignerRole, TemplateId } from "@shared/model/plan";
import type { Violation } from "@shared/errors";
import type { PlanAction, EditScope } from "@shared/permissions";
import type { Role } from "@shared/model/people";
import type { AuditEntry } from "@shared/model/records";
import type { PlanView } from "@shared/model/planView";

// The plan view is the API's own type (shared/src/model/planView.ts): one definition, both sides.
export type { CaseloadRow, Plan, PlanContent, SignerRole, TemplateId, Violation, PlanAction, EditScope, Role, AuditEntry, PlanView };

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
