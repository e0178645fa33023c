import type { EvidenceRecord, InductionRecord } from "@shared/model/inductionRecords";
import type { Ect, Role } from "@shared/model/people";
import type { PlanSummary } from "@shared/model/plan";
import type { StatutoryEvent } from "@shared/timeline";
import type { ApiResponse } from "@shared/api/contract";

export type { EvidenceRecord, InductionRecord, Ect, Role, PlanSummary, StatutoryEvent };

/** GET /api/plans/{planId}/targets/{targetId}/evidence: one file, with where to download it. */
export type EvidenceItem = ApiResponse<"GET /api/plans/{planId}/targets/{targetId}/evidence">["evidence"][number];

/** GET /api/ects/{ectId}/records */
export type RecordsResponse = ApiResponse<"GET /api/ects/{ectId}/records">;

/** GET /api/ects/{ectId} */
export type EctSummary = ApiResponse<"GET /api/ects/{ectId}">;

/** GET /api/ab/reviews and GET /api/roster: the shapes the server defines with zod in shared/. */
export type { AbReviewRow } from "@shared/model/inductionRecords";
export type { RosterView as RosterData } from "@shared/model/roster";
export type RosterPerson = import("@shared/model/roster").RosterView["people"][number];
