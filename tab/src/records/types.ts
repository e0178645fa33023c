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

/** GET /api/ab/reviews (bot/src/app/inductionRecords.ts AbReviewRow) */
export interface AbReviewRow {
  ectId: string;
  ectName: string;
  schoolId: string;
  schoolName: string;
  latest?: {
    id: string;
    kind: "progress_review" | "formal_assessment";
    label: string;
    date: string;
    onTrack?: boolean;
    lowestRating?: string;
    recommendation?: string;
    targets: number;
    recordedByName: string;
  };
  nextDue?: { label: string; date: string };
  overdue: { label: string; date: string }[];
}

/** GET /api/roster (bot/src/app/roster.ts RosterView) */
export interface RosterPerson {
  id: string;
  displayName: string;
  email: string;
  roles: Role[];
  schoolId?: string;
  signedIn: boolean;
}
export interface RosterData {
  scope: "school" | "ab";
  editable: boolean;
  schools: { id: string; name: string; abId: string }[];
  appropriateBodies: { id: string; name: string; webhookConfigured: boolean }[];
  people: RosterPerson[];
  ects: Ect[];
}
