/**
 * The world the card-view tests share: a school, its roster, plans taken through the domain's own
 * use cases, and CardViews over a store holding just those plans (no I/O).
 */
import {
  addDays,
  requestSignatures,
  signPlan,
  templateById,
  type AuditEntry,
  type EctContext,
  type NewOutboxMessage,
  type OutboxMessage,
  type Person,
  type Plan,
  type TemplateId,
  type UseCaseContext,
} from "@ectsp/shared";
import { CardViews } from "@ectsp/bot/flows/cardViews.js";
import type { Store } from "@ectsp/bot/store/store.js";
import type { PlanService } from "@ectsp/bot/app/planService.js";
import type { AdaptiveCard, PlanLinks } from "@ectsp/bot/cards/index.js";
import { samplePlan } from "./samplePlans.js";

// ---- a school, its roster, and plans taken through the domain's own use cases -------------

export const person = (id: string, displayName: string, roles: Person["roles"], extra: Partial<Person> = {}): Person => ({
  id,
  displayName,
  email: `${id}@school.example`,
  roles,
  schoolId: "school-riverside",
  ...extra,
});
export const ect = person("p-ect", "Zoë O’Neill", ["ect"]);
export const tutor = person("p-tutor", "Sarah Thompson", ["induction_tutor"]);
export const head = person("p-head", "Helen Carter", ["head"]);
export const mentor = person("p-mentor", "Laura Bennett", ["mentor"]);
export const officer = person("p-officer", "Priya Shah", ["ab_officer"], { abId: "ab-essex" });
delete (officer as Partial<Person>).schoolId;
export const stranger = person("p-stranger", "Sam Other", ["induction_tutor"], { schoolId: "school-elsewhere" });
export const everyone = [ect, tutor, head, mentor, officer, stranger];

export const roster: EctContext = {
  ect: {
    id: "ect-zoe",
    personId: ect.id,
    schoolId: "school-riverside",
    abId: "ab-essex",
    mentorId: mentor.id,
    inductionTutorId: tutor.id,
    inductionStartDate: "2026-09-01",
    fte: 1,
    absences: [],
    extensions: [],
    track: "ect",
  },
  ectPerson: ect,
  school: { id: "school-riverside", name: "Riverside Primary Academy", abId: "ab-essex" },
  schoolStaff: [tutor, head, mentor],
  abOfficers: [officer],
};

let seq = 0;
export const at = (who: Person, now: string): UseCaseContext => ({ actor: who, now: new Date(now), newId: () => `id-${++seq}` });

/** A fully written draft of the form, its dates within what the form allows, nobody asked yet. */
export function draftOf(templateId: TemplateId): Plan {
  const template = templateById(templateId);
  const { plan } = samplePlan(templateId).input;
  return {
    ...plan,
    status: "draft",
    signatures: [],
    signers: plan.signers.map((s) => ({ role: s.role })),
    endDate: addDays(plan.startDate!, (template.lengthWeeks?.max ?? 6) * 7),
  };
}
export const asked = "2026-11-06T09:00:00.000Z";
export const sent = (plan: Plan) => requestSignatures(at(tutor, asked), roster, plan, { signBy: "2026-11-13" }).plan;
export const sign = (plan: Plan, who: Person, now = "2026-11-09T10:00:00.000Z") =>
  signPlan(at(who, now), roster, plan, { revision: plan.amendment?.revision ?? plan.revision }, "card").plan;
export function agreed(templateId: TemplateId): Plan {
  let p = sent(draftOf(templateId));
  for (const s of p.signers)
    p = sign(
      p,
      everyone.find((x) => x.id === s.personId)!,
    );
  return p;
}

/** The audit trail the views read (who escalated, when: tests put the use cases' entries here), and the card links (local unless a test sets the Teams app id). */
export const world: { audit: AuditEntry[]; links: PlanLinks } = { audit: [], links: { publicUrl: "https://app.example" } };

/** CardViews over a store holding just these plans (no I/O). */
export function viewsOf(...plans: Plan[]): CardViews {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const store = {
    getEct: async (id: string) => (id === roster.ect.id ? roster.ect : undefined),
    getSchool: async (id: string) => (id === roster.school.id ? roster.school : undefined),
    listSchools: async () => [roster.school],
    getPerson: async (id: string) => everyone.find((p) => p.id === id),
    getConversationRef: async (id: string) => ({ channelUserId: `29:${id}` }),
    getPlan: async (id: string) => byId.get(id),
    listCheckIns: async () => [],
    getCheckIn: async () => undefined,
    listAudit: async (f: { planId?: string }) => world.audit.filter((a) => a.planId === f.planId),
    listRecords: async () => [],
    listEcts: async () => [roster.ect],
    listPlanSummaries: async () => [],
  } as unknown as Store;
  const service = {
    planFor: async (_viewer: Person, planId: string) => ({ plan: byId.get(planId)!, ectCtx: roster }),
  } as unknown as PlanService;
  return new CardViews(store, service, world.links);
}

export const outbox = (m: NewOutboxMessage): OutboxMessage => ({
  id: "m-1",
  data: {},
  createdAt: asked,
  notBefore: asked,
  status: "pending",
  attempts: 0,
  ...m,
});

/** What a reader sees: TextBlock and TextRun text, FactSet titles and values, with Markdown escapes undone. */
export function textOf(card: AdaptiveCard): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if ((o.type === "TextBlock" || o.type === "TextRun") && typeof o.text === "string") out.push(o.text);
    if (o.type === "FactSet") for (const f of o.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    Object.values(o).forEach(walk);
  };
  walk(card.body);
  return out.join("\n").replace(/\\(.)/g, "$1");
}
