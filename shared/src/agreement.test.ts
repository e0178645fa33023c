import { describe, expect, it } from "vitest";
import { PlanContent, TemplateId, type Plan, type PlanContent as Content } from "./model/plan.js";
import { agreementDigest, agreementOf, combine, formFields, type FormField } from "./agreement.js";
import { planContentFields } from "./planDiff.js";
import { templateById, templates } from "./templates.js";
import { addDays } from "./timeline.js";
import { createPlan } from "./usecases/createPlan.js";
import { editPlan } from "./usecases/editPlan.js";
import { validSignatures } from "./usecases/signers.js";
import { keepPrinted } from "./printedFields.js";
import { amy, ctx, ectCtx, target, tutor } from "../test-support/world.js";

describe("the field lists the tab relies on", () => {
  it("name every field of PlanContent, in the schema's order", () => {
    expect([...planContentFields]).toEqual(PlanContent.keyof().options);
  });
});

/** A plan of this template, agreed by its signers on revision 1 and running (built directly). */
function agreedPlan(templateId: TemplateId): { plan: Plan; c: ReturnType<typeof ectCtx> } {
  const c = ectCtx(templateId === "itt_early_support" ? { track: "itt" } : {});
  const weeks = templateById(templateId).lengthWeeks?.max ?? 6;
  const created = createPlan(ctx(tutor), c, [], {
    ectId: "ect-amy",
    templateId,
    // Only what this form prints: the rest would be refused (printedFields.ts).
    content: keepPrinted(templateById(templateId), {
      startDate: "2026-11-23",
      endDate: addDays("2026-11-23", weeks * 7),
      reviewDate: "2026-11-30",
      targets: [{ ...target(["7d"], "Behaviour"), reviewDate: addDays("2026-11-23", weeks * 7) }],
      meetings: [{ id: "m-ab", kind: "ab", date: "2026-11-20", attendees: "AB, ECT", outline: "Plan agreed", outcome: "Level 4 agreed" }],
      capability: { hrContact: "HR", notes: "" },
    }),
  }).plan;
  const signatures = created.signers.map((s) => ({ role: s.role, personId: s.personId ?? "x", name: "x", signedAt: "2026-11-23T09:00:00.000Z", revision: 1 }));
  return { plan: { ...created, status: "active", signatures }, c };
}

/** A new value for a field pattern, different from anything the plan holds. */
function changeField(content: Content, field: string): Content {
  const next = structuredClone(content);
  const [top, star, name] = field.split(".");
  if (top === "targets" && star === "*" && name) {
    const t = next.targets[0] as unknown as Record<string, unknown>;
    const values: Record<string, unknown> = {
      standards: ["3a"],
      reviewDate: addDays(content.targets[0]?.reviewDate ?? "2026-11-30", -1),
      outcomeEntries: [{ date: "2026-12-01", text: "Seen twice" }],
      outcomeAtReview: "partially",
    };
    t[name] = values[name] ?? `Changed ${name}`;
  } else if (top === "weeks" && name) {
    (next.weeks[0] as unknown as Record<string, unknown>)[name] = `Changed ${name}`;
  } else if (top === "meetings" && star) {
    const kind = star as "ab" | "review" | "other";
    const existing = next.meetings.find((m) => m.kind === kind);
    if (existing) existing.outcome = "Changed outcome";
    else next.meetings.push({ id: `m-${kind}`, kind, date: "2026-12-02", attendees: "ECT, tutor", outline: "Notes", outcome: "" });
  } else if (top === "capability" && star) {
    next.capability = { hrContact: "", notes: "", ...next.capability, [star]: star.endsWith("On") ? "2026-12-03" : `Changed ${star}` };
  } else if (top === "relatedStandards") {
    next.relatedStandards = ["5b"];
  } else if (top && /Date$/.test(top)) {
    // A day either way keeps every form's length and review rules satisfied.
    const day = (next as unknown as Record<string, string | undefined>)[top] ?? "2026-11-30";
    (next as Record<string, unknown>)[top] = addDays(day, top === "endDate" ? 1 : -1);
  } else if (top) {
    (next as Record<string, unknown>)[top] = `Changed ${top}`;
  }
  return next;
}

describe("each form's agreement and running record", () => {
  for (const template of templates) {
    const fields = formFields(template.id);
    it(`${template.name}: every field it shows is one or the other`, () => {
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.some((f) => f.part === "agreement")).toBe(true);
      expect(new Set(fields.map((f) => f.field)).size).toBe(fields.length);
    });

    for (const f of fields) {
      it(`${template.name}: ${f.field} is ${f.part === "agreement" ? "the agreement: changing it while running is an amendment" : "running record: written without touching a signature"}`, () => {
        const { plan, c } = agreedPlan(template.id);
        const who = f.field === "weeks.*.ectComment" ? amy : tutor;
        const content = changeField(plan, f.field);
        const r = editPlan(ctx(who), c, plan, { version: plan.version, content });
        // Whichever part: the agreement the plan runs on, and its signatures, are untouched.
        expect(agreementOf(r.plan)).toEqual(agreementOf(plan));
        expect(r.plan.revision).toBe(plan.revision);
        expect(validSignatures(r.plan)).toHaveLength(plan.signers.length);
        expectPart(f, r.plan, content);
      });
    }
  }
});

function expectPart(f: FormField, saved: Plan, content: Content) {
  if (f.part === "agreement") {
    expect(saved.amendment?.changes.length).toBeGreaterThan(0);
    expect(agreementOf(combine(saved.amendment!.content, saved))).toEqual(agreementOf(content));
  } else {
    expect(saved.amendment).toBeUndefined();
    // The change is on the plan itself (the ECT's comment also gets its time stamped).
    const unstamped = (c: Content) => ({ ...c, weeks: c.weeks.map(({ ectCommentAt: _at, ...w }) => w) });
    expect(unstamped(combine(saved, content))).toEqual(unstamped(combine(saved, saved)));
  }
}

describe("the agreement digest", () => {
  const { plan } = agreedPlan("level_2");

  const reorder = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reorder);
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reorder(v)]),
      );
    return value;
  };

  it("is 64 hex digits, and the same whatever order the fields were written in", () => {
    const digest = agreementDigest(plan, plan);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(agreementDigest(plan, reorder(plan) as Plan)).toBe(digest);
  });

  it("changes with any agreed field and not with the running record", () => {
    const digest = agreementDigest(plan, plan);
    const fields = formFields("level_2");
    const changes = fields.map((f) => [f.field, agreementDigest(plan, changeField(plan, f.field)) !== digest]);
    expect(changes).toEqual(fields.map((f) => [f.field, f.part === "agreement"]));
  });

  it("binds the plan: the same words on another plan seal differently", () => {
    expect(agreementDigest({ ...plan, id: "another" }, plan)).not.toBe(agreementDigest(plan, plan));
  });
});
