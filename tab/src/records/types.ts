import type { EvidenceRecord, InductionRecord } from "@shared/model/inductionRecords";
import type { Ect, Role } from "@shared/model/people";
import type { PlanSummary } from "@shared/model/plan";
import type { StatutoryEvent } from "@shared/timeline";

export type { EvidenceRecord, InductionRecord, Ect, Role, PlanSummary, StatutoryEvent };

/** GET /api/plans/:planId/targets/:targetId/evidence */
export type EvidenceItem = EvidenceRecord & { url: string };

/** GET /api/ects/:ectId/records */
export interface RecordsResponse {
  records: InductionRecord[];
  events: (StatutoryEvent & { recorded: boolean; overdue: boolean })[];
}

/** GET /api/ects/:ectId */
export interface EctSummary {
  ect: Ect;
  name: string;
  schoolName: string;
  plans: PlanSummary[];
}

/** GET /api/ab/reviews and GET /api/roster: the shapes the server defines with zod in shared/. */
export type { AbReviewRow } from "@shared/model/inductionRecords";
export type { RosterView as RosterData } from "@shared/model/roster";
export type RosterPerson = import("@shared/model/roster").RosterView["people"][number];
