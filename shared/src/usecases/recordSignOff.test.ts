import { describe, expect, it } from "vitest";
import { amy, ctx, ectCtx, head, lead, mentor, officer, person, refusal, tutor } from "../../test-support/world.js";
import type { Person } from "../model/people.js";
import type { InductionRecord } from "../model/inductionRecords.js";
import { reviewedStandards } from "../ratings.js";
import { recordChain, sealOf } from "../recordLifecycle.js";
import { recordProgressReview, type RecordProgressReviewInput } from "./recordProgressReview.js";
import { recordFormalAssessment } from "./recordFormalAssessment.js";
import { signRecord } from "./signRecord.js";
import { returnRecord } from "./returnRecord.js";
import { reviseRecord } from "./reviseRecord.js";

const NOW = "2026-12-01T10:00:00.000Z";
const reviewInput = (over: Partial<RecordProgressReviewInput> = {}): RecordProgressReviewInput => ({
  date: "2026-11-27",
  onTrack: true,
  evidenceSummary: "Observed lessons",
  ratings: Object.fromEntries(reviewedStandards.map((c) => [c, { ratingId: "secure", statement: "" }])),
  targets: [{ text: "Use assessment to plan next steps", standards: [] }],
  ...over,
});

const c = ectCtx();
const otherOfficer = person("officer-2", ["ab_officer"], { abId: "other-hub" });
delete (otherOfficer as Partial<Person>).schoolId;
const otherHead = person("head-2", ["head"], { schoolId: "elsewhere" });
const tutorHead = person("tutor", ["induction_tutor", "head"]);

function recorded(): InductionRecord[] {
  return recordProgressReview(ctx(tutor, NOW), c, reviewInput()).records;
}
const first = (rs: InductionRecord[]) => rs[0]!.id;
/** "ok", or the kind of refusal (forbidden, conflict...): what a table row expects. */
const outcome = (fn: () => unknown): string => {
  try {
    fn();
    return "ok";
  } catch (e) {
    return refusal(() => {
      throw e;
    }).kind;
  }
};
const apply = (rs: InductionRecord[], more: { records: InductionRecord[] }) => [...rs, ...more.records];
function signedByAll(rs: InductionRecord[], id = first(rs)): InductionRecord[] {
  for (const who of [amy, tutor, head]) rs = apply(rs, signRecord(ctx(who, NOW), c, rs, id, {}));
  return rs;
}
const returnIt = (rs: InductionRecord[], id = first(rs)) =>
  apply(rs, returnRecord(ctx(officer, NOW), c, rs, id, { reasons: ["targets_not_specific"], comments: "Targets are not specific" }));

describe("signRecord: who may sign", () => {
  const table: [string, Person, string | null][] = [
    ["the ECT", amy, null],
    ["the induction tutor", tutor, null],
    ["the head", head, null],
    ["the mentor", mentor, "forbidden"],
    ["the induction lead", lead, "forbidden"],
    ["an AB officer", officer, "forbidden"],
    ["another school's head", otherHead, "forbidden"],
  ];
  it.each(table)("%s", (_, who, refused) => {
    const rs = recorded();
    expect(outcome(() => signRecord(ctx(who, NOW), c, rs, first(rs), {}))).toBe(refused ?? "ok");
  });

  it("seals the content; once all three sign, the AB's officers are told", () => {
    let rs = recorded();
    rs = apply(rs, signRecord(ctx(amy, NOW), c, rs, first(rs), { comments: "I agree with my targets" }));
    rs = apply(rs, signRecord(ctx(tutor, NOW), c, rs, first(rs), {}));
    const last = signRecord(ctx(head, NOW), c, rs, first(rs), {});
    expect(last.outbox).toEqual([expect.objectContaining({ kind: "record_signed", recipientId: officer.id })]);
    rs = apply(rs, last);
    const chain = recordChain(rs, first(rs))!;
    expect(chain.status).toBe("signed");
    expect(chain.signatures.map((s) => [s.role, s.sealSha256])).toEqual([
      ["ect", sealOf(chain.current)],
      ["induction_tutor", sealOf(chain.current)],
      ["head", sealOf(chain.current)],
    ]);
    expect(chain.signatures[0]!.comments).toBe("I agree with my targets");
  });

  it("refuses signing twice, comments from anyone but the ECT, and a returned record", () => {
    let rs = recorded();
    rs = apply(rs, signRecord(ctx(tutor, NOW), c, rs, first(rs), {}));
    expect(refusal(() => signRecord(ctx(tutor, NOW), c, rs, first(rs), {})).message).toMatch(/already signed/);
    expect(refusal(() => signRecord(ctx(head, NOW), c, rs, first(rs), { comments: "x" })).kind).toBe("validation");
    rs = returnIt(rs);
    expect(refusal(() => signRecord(ctx(head, NOW), c, rs, first(rs), {})).message).toMatch(/returned this record/);
  });

  it("a tutor who is also the head signs both roles at once", () => {
    const both = ectCtx({}, { schoolStaff: [tutorHead, mentor, lead] });
    const rs = recordProgressReview(ctx(tutorHead, NOW), both, reviewInput()).records;
    expect(signRecord(ctx(tutorHead, NOW), both, rs, first(rs), {}).signatures.map((s) => s.role)).toEqual(["induction_tutor", "head"]);
  });
});

describe("returnRecord: who may return", () => {
  const table: [string, Person, string | null][] = [
    ["an officer of the ECT's AB", officer, null],
    ["an officer of another AB", otherOfficer, "forbidden"],
    ["the ECT", amy, "forbidden"],
    ["the induction tutor", tutor, "forbidden"],
    ["the head", head, "forbidden"],
    ["the induction lead", lead, "forbidden"],
  ];
  it.each(table)("%s", (_, who, refused) => {
    const rs = signedByAll(recorded());
    const act = () => returnRecord(ctx(who, NOW), c, rs, first(rs), { reasons: ["no_reference_to_standards"], comments: "No reference to the Standards" });
    expect(outcome(act)).toBe(refused ?? "ok");
  });

  it("a return tells the induction tutor and the induction lead", () => {
    const rs = signedByAll(recorded());
    const r = returnRecord(ctx(officer, NOW), c, rs, first(rs), { reasons: [], comments: "Add evidence" });
    expect(r.outbox?.map((m) => [m.kind, m.recipientId])).toEqual([
      ["record_returned", tutor.id],
      ["record_returned", lead.id],
    ]);
  });

  it("refuses a record already returned and not yet revised", () => {
    const rs = returnIt(recorded());
    const e = refusal(() => returnRecord(ctx(officer, NOW), c, rs, first(rs), { reasons: [], comments: "Again" }));
    expect([e.kind, e.message]).toEqual(["conflict", expect.stringMatching(/already returned/)]);
  });
});

describe("reviseRecord and the AB return loop", () => {
  it("record → sign ×3 → AB returns → tutor revises → re-signed ×3: the history keeps both", () => {
    let rs = signedByAll(recorded());
    const r1 = first(rs);
    rs = returnIt(rs);
    const revised = reviseRecord(
      ctx(tutor, NOW),
      c,
      rs,
      r1,
      reviewInput({ targets: [{ text: "Plan three lessons using formative assessment by Feb", standards: ["6"] }] }),
    );
    expect(revised.record).toMatchObject({ revision: 2, revises: r1, due: { label: "Progress review 1 (Autumn 2026)" } });
    rs = apply(rs, revised);
    expect(recordChain(rs, r1)).toMatchObject({ status: "awaiting_signatures", signatures: [], missingSigners: ["ect", "induction_tutor", "head"] });
    // The earlier revision cannot be signed or returned any more: 409 names the current one.
    const stale = refusal(() => signRecord(ctx(amy, NOW), c, rs, r1, {}));
    expect([stale.kind, stale.details]).toEqual(["conflict", { currentRecordId: revised.record.id, currentRevision: 2 }]);
    expect(refusal(() => returnRecord(ctx(officer, NOW), c, rs, r1, { reasons: [], comments: "x" })).kind).toBe("conflict");
    rs = signedByAll(rs, revised.record.id);
    const chain = recordChain(rs, r1)!;
    expect(chain).toMatchObject({ status: "signed", current: { id: revised.record.id }, earlier: [{ id: r1 }], returns: [{ recordId: r1 }] });
    expect(chain.earlierSignatures.map((s) => s.role)).toEqual(["ect", "induction_tutor", "head"]);
    expect(chain.signatures.map((s) => s.recordId)).toEqual([revised.record.id, revised.record.id, revised.record.id]);
  });

  it("refuses a revision of a record that was not returned, of an earlier revision, or at another point", () => {
    const rs = recorded();
    expect(refusal(() => reviseRecord(ctx(tutor, NOW), c, rs, first(rs), reviewInput())).message).toMatch(/only after the appropriate body returns it/);
    const back = returnIt(rs);
    // A date in the next term would answer the next point: a revision stays at its own.
    const moved = refusal(() => reviseRecord(ctx(tutor, "2027-02-01T10:00:00.000Z"), c, back, first(rs), reviewInput({ date: "2027-01-20" })));
    expect([moved.kind, moved.violations[0]?.code]).toEqual(["validation", "revision-moves-point"]);
    const again = apply(back, reviseRecord(ctx(tutor, NOW), c, back, first(rs), reviewInput()));
    expect(refusal(() => reviseRecord(ctx(tutor, NOW), c, again, first(rs), reviewInput())).kind).toBe("conflict");
  });

  const who: [string, Person, boolean][] = [
    ["tutor", tutor, true],
    ["head", head, true],
    ["lead", lead, true],
    ["mentor", mentor, false],
    ["ECT", amy, false],
    ["AB officer", officer, false],
  ];
  it.each(who)("revising a returned review: the %s", (_, p, allowed) => {
    const rs = returnIt(recorded());
    expect(outcome(() => reviseRecord(ctx(p, NOW), c, rs, first(rs), reviewInput()))).toBe(allowed ? "ok" : "forbidden");
  });

  it("a formal assessment revision: the lead may not, the head may", () => {
    const at = "2027-06-20T10:00:00.000Z";
    const input = {
      date: "2027-06-15",
      number: 1 as const,
      onTrack: true,
      ratings: {},
      evidenceSummary: "",
      ectComments: "",
      targets: [{ text: "Keep going", standards: [] }],
    };
    let rs: InductionRecord[] = recordFormalAssessment(ctx(tutor, at), c, input).records;
    rs = apply(rs, returnRecord(ctx(officer, at), c, rs, first(rs), { reasons: ["evidence_insufficient"], comments: "More evidence" }));
    expect(refusal(() => reviseRecord(ctx(lead, at), c, rs, first(rs), input)).kind).toBe("forbidden");
    expect(reviseRecord(ctx(head, at), c, rs, first(rs), { ...input, evidenceSummary: "Three observations" }).record).toMatchObject({
      kind: "formal_assessment",
      revision: 2,
    });
  });
});

describe("progress review warnings and the scale in force", () => {
  it("on track with a 'Cause for concern' saves, and the warning comes back", () => {
    const ratings = { ...reviewInput().ratings, "4": { ratingId: "cause_for_concern", statement: "Pace is slow" } };
    const r = recordProgressReview(ctx(tutor, NOW), c, reviewInput({ ratings }));
    expect(r.warnings).toEqual([expect.objectContaining({ code: "on-track-with-lowest-rating", path: "onTrack" })]);
  });

  it("a review dated before September 2025 is refused on its date, naming the statutory scale", () => {
    const early = ectCtx({ inductionStartDate: "2024-09-02" });
    const e = refusal(() => recordProgressReview(ctx(tutor, NOW), early, reviewInput({ date: "2025-03-10" })));
    expect(e.violations).toEqual([
      expect.objectContaining({ path: "date", code: "scale-not-in-force", message: expect.stringMatching(/on track \/ not on track/) }),
    ]);
  });
});
