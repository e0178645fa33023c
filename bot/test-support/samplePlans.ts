import { Plan, templateById, type PlanTemplate, type TemplateId, type TargetField } from "@ectsp/shared";
import type { ExportInput } from "@ectsp/bot/export/input.js";
import { formatDate } from "@ectsp/bot/export/format.js";

/**
 * Fully filled plans for every template, for the export tests and the bench: every field the
 * template shows holds a distinct value, with the characters real forms contain (curly quotes,
 * ampersands, angle brackets, accents, dashes, line breaks).
 */

const people = new Map([
  ["p-ect", "Zoë O’Neill"],
  ["p-tutor", "Sarah Thompson"],
  ["p-head", "Helen Carter"],
  ["p-mentor", "Laura Bennett"],
  ["p-lead", "Imran Malik"],
  ["p-director", "Dr Ruth Adeyemi"],
  ["p-lsm", "Owen Price"],
]);

const personFor: Record<string, string> = {
  ect: "p-ect",
  trainee: "p-ect",
  induction_tutor: "p-tutor",
  course_tutor: "p-tutor",
  head: "p-head",
  director: "p-director",
  mentor: "p-mentor",
  professional_mentor: "p-lead",
  lead_subject_mentor: "p-lsm",
};

const targetStandards: string[][] = [["7d"], ["4a", "4b"], ["P2a-iii"]];

function targetFieldValue(field: TargetField, i: number): unknown {
  const n = i + 1;
  switch (field) {
    case "standards":
      return targetStandards[i % targetStandards.length];
    case "text":
      return `Target ${n}: act decisively when behaviour slips & keep “fair” routines <Year 4>`;
    case "ectActions":
      return `ECT action ${n}: observe the KS2 leader’s class\nthen write three reflections`;
    case "schoolActions":
      return `School support ${n}: weekly coaching with the induction tutor – mentor drop-ins`;
    case "supportedBy":
      return `Induction Tutor / KS2 Leader / Deputy Head (${n})`;
    case "resources":
      return `Resources ${n}: one hour of PD time; WalkThrus booklet`;
    case "successCriteria":
      return `Success ${n}: sanctions used fairly in two observed lessons`;
    case "timeScale":
      return `Time scale ${n}: Tues & Thurs w/c 19/9`;
    case "reviewDate":
      return `2026-12-0${n}`;
    case "observationOutcome":
      return `Observation ${n}: clear routines seen; pupils settled within two minutes`;
    case "outcomeEntries":
      return [
        { date: `2026-11-1${n}`, text: `Outcome ${n}a: lesson observation shows clear rules & routines` },
        { date: `2026-11-2${n}`, text: `Outcome ${n}b: significant improvement in pupil behaviour` },
      ];
    case "outcomeAtReview":
      return (["yes", "partially", "no"] as const)[i % 3];
  }
}

const outcomeAtReviewText = { yes: "Yes", no: "No", partially: "Partially" } as const;

/** The strings a reader must find in the document for a value entered in a target field. */
function expectedTargetTexts(field: TargetField, value: unknown): string[] {
  switch (field) {
    case "standards":
      return (value as string[]).map((c) => `${c})`);
    case "reviewDate":
      return [formatDate(value as string)];
    case "outcomeEntries":
      return (value as { date: string; text: string }[]).flatMap((e) => [formatDate(e.date), e.text]);
    case "outcomeAtReview":
      return [outcomeAtReviewText[value as keyof typeof outcomeAtReviewText]];
    default:
      return (value as string).split("\n");
  }
}

export interface SamplePlan {
  input: ExportInput;
  /** Every value entered, as a reader finds it in the document. */
  values: string[];
}

export interface SampleOptions {
  /** Sign on the current revision by everyone required (default true). */
  signed?: boolean;
  /** Also carry a signature on an earlier revision, voided by an edit. */
  voidedSignature?: boolean;
  targets?: number;
  version?: number;
}

export function samplePlan(templateId: TemplateId, opts: SampleOptions = {}): SamplePlan {
  const template: PlanTemplate = templateById(templateId);
  const sections = new Set(template.sections);
  const values: string[] = [];
  const put = <T extends string>(v: T, shown = v as string): T => {
    values.push(...shown.split("\n"));
    return v;
  };
  const targetCount = Math.min(opts.targets ?? 3, template.maxTargets ?? 20);
  const targets = Array.from({ length: targetCount }, (_, i) => {
    const t: Record<string, unknown> = { id: `target-${i + 1}` };
    for (const col of template.targetColumns) {
      const v = targetFieldValue(col.field, i);
      t[col.field] = v;
      values.push(...expectedTargetTexts(col.field, v));
    }
    return t;
  });
  const weekly = sections.has("weeks");
  const weeks = weekly
    ? Array.from({ length: 6 }, (_, i) => ({
        week: i + 1,
        action: put(`Week ${i + 1} action: co-plan the lesson & rehearse the “countdown” routine`),
        byWhom: put(`Zoë and Laura Bennett (week ${i + 1})`),
        resources: put(`Week ${i + 1} resources: 1 hour PD time`),
        successCriteria: put(`Week ${i + 1} success: routine used in every lesson observed`),
        evaluation: put(`Week ${i + 1} evaluation: routines embedding, transitions under 2 minutes`),
        ectComment: put(`Week ${i + 1} comment from the ECT: the countdown helped after lunch`),
        ectCommentAt: `2026-11-${String(10 + i).padStart(2, "0")}T16:30:00.000Z`,
      }))
    : [];
  const version = opts.version ?? 12;
  const revision = 5;
  const signers = template.signers.map((role) => ({ role, personId: personFor[role] ?? "p-tutor" }));
  const signedAt = "2026-11-20T09:15:00.000Z";
  const signatures = [
    ...(opts.voidedSignature
      ? [
          {
            role: template.signers[0] ?? "ect",
            personId: signers[0]?.personId ?? "p-ect",
            name: "Earlier Signer",
            signedAt: "2026-11-01T08:00:00.000Z",
            revision: 3,
          },
        ]
      : []),
    ...((opts.signed ?? true) ? signers.map((s) => ({ role: s.role, personId: s.personId, name: people.get(s.personId) ?? "", signedAt, revision })) : []),
  ];
  const review =
    sections.has("review") || sections.has("itt_review") || templateId === "ect_additional_support"
      ? {
          date: "2027-01-11",
          notes: sections.has("itt_review") ? put("Review notes: targets 1 and 2 met, planning still thin") : "",
          targetOutcomes: targets.map((t, i) => ({
            targetId: t.id as string,
            outcome: (["met", "partially_met", "not_met"] as const)[i % 3],
            evidence: put(`Evidence ${i + 1}: seen in three observations`),
          })),
          evaluation: sections.has("itt_review") ? "" : put("Overall evaluation: behaviour secure; pace not yet"),
          nextObjectives: sections.has("itt_review") ? "" : put("Next objectives: pace & structure of lessons"),
          onTrack: false,
          finalOutcome: sections.has("itt_review") ? put("Final outcome: normal training routines continue") : "",
          recordedBy: "p-tutor",
          recordedAt: "2027-01-11T15:00:00.000Z",
        }
      : undefined;
  if (review) values.push(formatDate(review.date));

  const content: Record<string, unknown> = {
    startDate: "2026-10-26",
    endDate: "2026-12-14",
    targets,
    weeks,
    meetings: [],
  };
  values.push(formatDate("2026-10-26"), formatDate("2026-12-14"));
  if (sections.has("initial_meeting")) {
    content.initialMeetingDate = "2026-10-30";
    content.presentAtMeeting = put("Zoë O’Neill, Sarah Thompson (IT), Laura Bennett (mentor)");
    values.push(formatDate("2026-10-30"));
  }
  if (sections.has("plan_dates")) content.term = put("Autumn 2026");
  if (sections.has("itt_header")) {
    content.subject = put("Secondary mathematics");
    content.staffMembers = put("Course tutor: Sarah Thompson; Professional mentor: Imran Malik");
    content.statementOfConcern = put("Statement of concern: lessons lack structure;\npupils’ misconceptions go unaddressed");
    content.reviewDate = "2026-11-13";
    values.push(formatDate("2026-11-13"));
  }
  if (sections.has("previous_objectives")) {
    content.previousObjectives = put("Previous objective: consistent start to lessons");
    content.previousEvaluation = put("Previous evaluation: starts now calm and prompt");
  }
  if (sections.has("related_standards")) {
    content.relatedStandards = ["3a", "7b"];
    values.push("3a)", "7b)");
  }
  if (sections.has("statement_of_concern")) content.statementOfConcern = put("Reason: explanations of fractions confuse some pupils");
  if (sections.has("risk_of_failing")) {
    content.statementOfConcern = put("Reasons for risk: standards 4 and 6 not met after two plans");
    content.possibleExtensionReasons = put("Extension: a term of illness in the autumn");
  }
  if (sections.has("ab_meeting")) {
    content.meetings = [
      {
        id: "meeting-ab",
        kind: "ab",
        date: "2026-11-05",
        attendees: put("Priya Shah (AB), Zoë O’Neill, Laura Bennett, Sarah Thompson"),
        outline: put("Outline: AB reviewed the evidence & the weekly evaluations"),
        outcome: put("Outcome: six-week plan agreed; IT to update the AB weekly"),
      },
    ];
    values.push(formatDate("2026-11-05"));
  }
  if (sections.has("capability")) {
    content.capability = {
      hrProcedureStartedOn: "2026-11-16",
      abInformedOn: "2026-11-17",
      hrContact: put("HR: Jo Smith, jo.smith@trust.example"),
      notes: put("Capability notes: induction continues in parallel"),
    };
    values.push(formatDate("2026-11-16"), formatDate("2026-11-17"));
  }

  const plan = Plan.parse({
    ...content,
    id: `plan-${templateId}`,
    ectId: "ect-zoe",
    schoolId: "school-riverside",
    abId: "ab-essex",
    templateId,
    ...(template.level !== undefined ? { level: template.level } : {}),
    status: (opts.signed ?? true) ? "active" : "draft",
    version,
    revision,
    signers,
    signatures,
    ...(review ? { review } : {}),
    comments: [],
    createdAt: "2026-10-30T10:00:00.000Z",
    createdBy: "p-tutor",
    updatedAt: "2026-11-20T09:15:00.000Z",
    updatedBy: "p-tutor",
    retainUntil: "2033-08-31",
  });
  values.push("Zoë O’Neill", "Riverside Primary Academy");
  return {
    input: {
      plan,
      template,
      ectName: "Zoë O’Neill",
      schoolName: "Riverside Primary Academy",
      mentorName: "Laura Bennett",
      tutorName: "Sarah Thompson",
      people,
      exportedAt: new Date("2026-11-27T10:00:00Z"),
    },
    values,
  };
}
