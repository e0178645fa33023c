import type { z } from "zod";
import type { CaseloadRow } from "@shared/model/caseload";
import type { Plan, PlanContent, SignerRole, TemplateId } from "@shared/model/plan";
import type { Violation } from "@shared/errors";
import type { PlanAction, EditScope } from "@shared/permissions";
import type { Role } from "@shared/model/people";
import type { AuditEntry } from "@shared/model/records";
import type { PlanView } from "@shared/model/planView";
import type { ApiResponse } from "@shared/api/contract";
import type { ProblemResponse, StandardHeadingSchema } from "@shared/api/schemas";

// The plan view is the API's own type (shared/src/model/planView.ts): one definition, both sides.
export type { CaseloadRow, Plan, PlanContent, SignerRole, TemplateId, Violation, PlanAction, EditScope, Role, AuditEntry, PlanView };

/**
 * A refusal as the tab holds it: the server's problem JSON (shared ProblemResponse), every field
 * optional because a proxy or a dropped connection can answer without one.
 */
export type Problem = Partial<z.output<typeof ProblemResponse>>;

type MeBody = ApiResponse<"GET /api/me">;
/** GET /api/me, as much of the person as the tab reads (who, which roles, where). */
export type Me = Omit<MeBody, "person"> & { person: Pick<MeBody["person"], "id" | "displayName" | "roles" | "schoolId" | "abId"> };

/** GET /api/dev/personas (local mode) */
export type Persona = ApiResponse<"GET /api/dev/personas">["personas"][number];

/** A heading of the Teachers' Standards, as GET /api/reference sends it. */
export type StandardHeadingRef = z.output<typeof StandardHeadingSchema>;
export type StandardItemRef = StandardHeadingRef["items"][number];
