import { describe, expect, it } from "vitest";
import mammoth from "mammoth";
import { PDFParse } from "pdf-parse";
import {
  defaultRatingScale,
  digestOf,
  recordChain,
  reviewedStandards,
  reviewedStandardTitle,
  sealedContentOf,
  sealOf,
  type EctContext,
  type FormalAssessmentRecord,
  type InductionRecord,
  type Person,
  type ProgressReviewRecord,
  type RecordReturn,
  type RecordSignature,
  type RecordSignerRole,
  type ReviewOrAssessment,
} from "@ectsp/shared";
import { DRAFT_MARK } from "../model.js";
import { recordExportInputFrom } from "./input.js";
import { buildRecordDocument, renderRecordDocument, SUPERSEDED_MARK } from "./document.js";
import { abDecisionWords, recommendationWords } from "./layout.js";
import { bundleDocuments } from "./bundle.js";

// ---- an ECT, their school and the people who sign -------------------------------------------

const person = (id: string, displayName: string, roles: Person["roles"]): Person => ({
  id,
  displayName,
  email: `${id}@school.example`,
  roles,
  schoolId: "school-riverside",
});
const ect = person("p-ect", "Zoë O’Neill", ["ect"]);
const tutor = person("p-tutor", "Sarah Thompson", ["induction_tutor"]);
const head = person("p-head", "Helen Carter", ["head"]);
const ectCtx: EctContext = {
  ect: {
    id: "ect-zoe",
    personId: ect.id,
    schoolId: "school-riverside",
    abId: "ab-essex",
    inductionTutorId: tutor.id,
    inductionStartDate: "2026-09-01",
    fte: 1,
    absences: [],
    extensions: [],
    track: "ect",
  },
  ectPerson: ect,
  school: { id: "school-riverside", name: "Riverside Primary Academy", abId: "ab-essex" },
  schoolStaff: [tutor, head],
  abOfficers: [],
  ittStaff: [],
};
const exportedAt = new Date("2026-12-14T10:00:00Z");
const base = { ectId: "ect-zoe", schoolId: "school-riverside", abId: "ab-essex", recordedBy: tutor.id, recordedByName: tutor.displayName };
const due = { number: 1, date: "2026-12-18", term: "Autumn 2026", label: "Progress review 1 (Autumn 2026)" };

// Every rating on the scale appears once or more, so each of its descriptions must be printed.
const ratingIds = ["exemplary", "strong", "secure", "attention_needed", "cause_for_concern", "secure", "strong", "attention_needed", "secure"];
const statements: Record<string, string> = {
  "4": "Lesson sequences do not yet build on prior learning in maths.",
  "5": "Adaptive teaching for pupils with SEND is not yet planned for.",
  "8": "Has not yet joined the phase team's moderation sessions.",
};

function review(over: Partial<ProgressReviewRecord> = {}): ProgressReviewRecord {
  return {
    ...base,
    id: "rec-review-1",
    kind: "progress_review",
    due,
    recordedAt: "2026-12-10T15:00:00.000Z",
    revision: 1,
    scaleId: defaultRatingScale.id,
    review: {
      ectId: "ect-zoe",
      date: "2026-12-10",
      onTrack: false,
      evidenceSummary: "Three lesson observations and a book look in November.",
      scaleId: defaultRatingScale.id,
      ratings: Object.fromEntries(reviewedStandards.map((c, i) => [c, { ratingId: ratingIds[i]!, statement: statements[c] ?? "" }])),
      targets: [
        { text: "Plan each maths sequence from the pupils' prior assessment.", standards: ["4a", "6d"] },
        { text: "Write adaptations for the three pupils with EHCPs into each plan.", standards: ["5b"] },
      ],
      supportPlanId: "plan-1",
    },
    ...over,
  };
}

function sign(record: ReviewOrAssessment, role: RecordSignerRole, who: Person, at: string, comments?: string): RecordSignature {
  return {
    ...base,
    id: `sig-${record.id}-${role}`,
    kind: "record_signature",
    recordId: record.id,
    role,
    name: who.displayName,
    sealSha256: sealOf(record),
    ...(comments ? { comments } : {}),
    recordedAt: at,
    recordedBy: who.id,
    recordedByName: who.displayName,
  };
}

const signedByAll = (r: ReviewOrAssessment, ectComment?: string) => [
  sign(r, "ect", ect, "2026-12-11T09:00:00.000Z", ectComment),
  sign(r, "induction_tutor", tutor, "2026-12-11T10:00:00.000Z"),
  sign(r, "head", head, "2026-12-11T11:00:00.000Z"),
];

async function readBack(records: InductionRecord[], id: string) {
  const chain = recordChain(records, id)!;
  const record = [chain.current, ...chain.earlier].find((r) => r.id === id)!;
  const input = recordExportInputFrom(record, chain, ectCtx, exportedAt, "Imran Malik", { id: "plan-1", name: "Level 2 – Support plan 1" });
  const model = buildRecordDocument(input);
  const word = (await mammoth.extractRawText({ buffer: (await renderRecordDocument(model, "docx")).body })).value;
  const parser = new PDFParse({ data: new Uint8Array((await renderRecordDocument(model, "pdf")).body) });
  let pdf: string;
  try {
    pdf = (await parser.getText()).pages.map((p) => p.text).join("\n");
  } finally {
    await parser.destroy();
  }
  // Table cells wrap differently in each format: compare without whitespace.
  const squeeze = (s: string) => s.replace(/\s+/g, "").replace(/[\u2018\u2019]/g, "'");
  return { model, record, both: [squeeze(word), squeeze(pdf)] as const, squeeze };
}

describe("a progress review as the AB's form, read back from Word and PDF", () => {
  it("prints every standard with its rating and the scale's words for it, the statements, evidence, targets, judgement, ECT comments, signatures and the sealed digest", async () => {
    const r = review();
    const { both, squeeze, model } = await readBack([r, ...signedByAll(r, "I agree the maths targets; the SEND training is booked.")], r.id);
    expect(model.draft).toBe(false);
    for (const text of both) {
      expect(text).toContain(squeeze("Progress review 1 (Autumn 2026)"));
      expect(text).toContain(squeeze("Autumn 2026"));
      reviewedStandards.forEach((code, i) => {
        const level = defaultRatingScale.levels.find((l) => l.id === ratingIds[i])!;
        // The standard, its rating and the seed's description, in that order on one row.
        expect(text).toContain(squeeze(`${reviewedStandardTitle(code)}${level.label}${level.description}${statements[code] ?? ""}`));
      });
      for (const s of Object.values(statements)) expect(text).toContain(squeeze(s));
      expect(text).toContain(squeeze("Three lesson observations and a book look in November."));
      expect(text).toContain(squeeze("Plan each maths sequence from the pupils' prior assessment."));
      expect(text).toContain(squeeze("Write adaptations for the three pupils with EHCPs into each plan."));
      expect(text).toContain(squeeze("On track to meet the Teachers' Standards by the end of induction?No"));
      expect(text).toContain(squeeze("Level 2 – Support plan 1"));
      expect(text).toContain(squeeze("I agree the maths targets; the SEND training is booked."));
      for (const name of [ect, tutor, head].map((p) => p.displayName)) expect(text).toContain(squeeze(name));
      expect(text).toContain(squeeze(`Content digest (SHA-256 of the sealed content, recomputed from the record printed): ${digestOf(sealedContentOf(r))}`));
      expect(text).toContain(squeeze("Revision 1: signed by everyone required"));
      expect(text).toContain(squeeze("Exported by: Imran Malik"));
      expect(text).not.toContain(squeeze(DRAFT_MARK));
    }
  });

  it("is a draft, naming who still signs, while anyone required has not signed; a signature on other content does not count", async () => {
    const r = review();
    const forged = { ...sign(r, "head", head, "2026-12-11T11:00:00.000Z"), sealSha256: "0".repeat(64) };
    const { both, squeeze, model } = await readBack([r, sign(r, "induction_tutor", tutor, "2026-12-11T10:00:00.000Z"), forged], r.id);
    expect(model.draft).toBe(true);
    expect(model.pageHeader).toContain(DRAFT_MARK);
    for (const text of both) {
      expect(text).toContain(squeeze(DRAFT_MARK));
      expect(text).toContain(squeeze("still to sign: ECT, Headteacher/Principal"));
      expect(text).toContain(squeeze("No comments recorded."));
    }
  });

  it("prints a revision after the AB's return: the return, and the first revision's signatures as not signing this text", async () => {
    const first = review();
    const returned: RecordReturn = {
      ...base,
      id: "ret-1",
      kind: "record_return",
      recordId: first.id,
      reasons: ["targets_not_specific"],
      comments: "Make target 2 measurable: which pupils, by when.",
      recordedAt: "2026-12-12T09:00:00.000Z",
      recordedBy: "p-ab",
      recordedByName: "Priya Shah",
    };
    const second = review({ id: "rec-review-2", revision: 2, revises: first.id, recordedAt: "2026-12-12T14:00:00.000Z" });
    const records = [first, sign(first, "induction_tutor", tutor, "2026-12-11T10:00:00.000Z"), returned, second];
    const { both, squeeze, model } = await readBack(records, second.id);
    expect(model.draft).toBe(true);
    for (const text of both) {
      expect(text).toContain(squeeze("Revision 2 (replaces revision 1)"));
      expect(text).toContain(squeeze("Signatures on other revisions (they do not sign this text)"));
      expect(text).toContain(squeeze(`Revision 1: not this text (seal ${sealOf(first)})`));
      expect(text).toContain(squeeze("Make target 2 measurable: which pupils, by when."));
      expect(text).toContain(squeeze(`Content digest (SHA-256 of the sealed content, recomputed from the record printed): ${sealOf(second)}`));
    }
    // The first revision, downloaded by its own id, says what replaced it.
    const old = await readBack(records, first.id);
    expect(old.model.pageHeader.join(" ")).toContain(SUPERSEDED_MARK);
    for (const text of old.both) expect(text).toContain(old.squeeze("Returned to the school by the appropriate body (Priya Shah"));
  });
});

describe("a formal assessment as the AB's form", () => {
  const final: FormalAssessmentRecord = {
    ...base,
    id: "rec-final",
    kind: "formal_assessment",
    due: { number: 2, date: "2028-07-14", term: "Summer 2028", label: "Final formal assessment (end of induction, Summer 2028)" },
    recordedAt: "2028-07-01T15:00:00.000Z",
    revision: 1,
    assessment: {
      ectId: "ect-zoe",
      date: "2028-07-01",
      number: 2,
      ratings: { "1": { ratingId: "strong", statement: "" }, "7": { ratingId: "secure", statement: "" } },
      evidenceSummary: "Two years of observations; the phase leader's report.",
      targets: [{ text: "Lead one staff CPD session on behaviour routines.", standards: ["8a"] }],
      recommendation: "satisfactory",
      abDecision: "pass",
      ectComments: "Thank you to the whole team.",
    },
  };

  it("prints the number, ratings with the scale's words, the head's recommendation, the AB's decision, targets and the ECT's comments", async () => {
    const { both, squeeze, model } = await readBack([final, ...signedByAll(final)], final.id);
    expect(model.title).toBe("Final formal assessment");
    expect(model.draft).toBe(false);
    const strong = defaultRatingScale.levels.find((l) => l.id === "strong")!;
    for (const text of both) {
      expect(text).toContain(squeeze("2 — the final assessment, at the end of induction"));
      expect(text).toContain(squeeze(`${reviewedStandardTitle("1")}${strong.label}${strong.description}`));
      expect(text).toContain(squeeze(`${reviewedStandardTitle("2")}Not rated`));
      expect(text).toContain(squeeze(recommendationWords.satisfactory));
      expect(text).toContain(squeeze(abDecisionWords.pass));
      expect(text).toContain(squeeze("Lead one staff CPD session on behaviour routines."));
      expect(text).toContain(squeeze("Thank you to the whole team."));
      expect(text).not.toContain(squeeze("On track to complete induction?"));
      expect(text).toContain(squeeze(digestOf(sealedContentOf(final))));
    }
  });

  it("asks 'on track' at the first assessment instead", async () => {
    const first: FormalAssessmentRecord = {
      ...final,
      id: "rec-fa1",
      due: { number: 1, date: "2027-07-16", term: "Summer 2027", label: "Formal assessment 1 (end of induction year 1, Summer 2027)" },
      assessment: { ...final.assessment, number: 1, onTrack: true, recommendation: undefined, abDecision: undefined },
    };
    const { both, squeeze } = await readBack([first], first.id);
    for (const text of both) {
      expect(text).toContain(squeeze("On track to complete induction?Yes"));
      expect(text).not.toContain(squeeze("The headteacher's recommendation"));
    }
  });
});

describe("the whole record as one document", () => {
  it("lists each part with its date on a contents page, then each part from a new page in the order given", () => {
    const part = (title: string, draft: boolean) => ({
      title,
      orientation: "portrait" as const,
      pageHeader: ["x"],
      pageFooter: `${title} footer`,
      draft,
      blocks: [{ kind: "paragraph" as const, text: `${title} body` }],
      fileBaseName: "x",
      properties: { title, subject: "", keywords: "" },
    });
    const doc = bundleDocuments({ title: "Induction record", ectName: "Zoë O’Neill", schoolName: "Riverside", exportedAt, exportedByName: "Helen Carter" }, [
      { document: part("Support plan 1", false), date: "2026-10-01", kind: "Support plan" },
      { document: part("Progress review", true), date: "2026-12-10", kind: "Progress review" },
    ]);
    const contents = doc.blocks.find((b) => b.kind === "table");
    expect(contents?.kind === "table" && contents.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ["1", "Support plan", "Support plan 1", "1 October 2026", "Signed"],
      ["2", "Progress review", "Progress review", "10 December 2026", "NOT SIGNED by everyone"],
    ]);
    const starts = doc.blocks.filter((b) => b.kind === "heading" && b.pageBreakBefore).map((b) => (b.kind === "heading" ? b.text : ""));
    expect(starts).toEqual(["Part 1 of 2: Support plan 1", "Part 2 of 2: Progress review"]);
    expect(doc.pageHeader[1]).toContain("SOME PARTS ARE NOT SIGNED");
  });
});
