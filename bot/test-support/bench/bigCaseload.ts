/**
 * The large caseload the SharePoint bench measures (issue 14): one tutor with 300 ECTs, each with
 * a closed plan and a draft, on a Plans list of 6,000 items (the rest other schools' ECTs').
 * Written straight into the Graph double's lists in the store's own field layout (no HTTP), so
 * seeding takes a second rather than minutes.
 */
import { randomUUID } from "node:crypto";
import { createPlan, type Ect, type Person, type Plan } from "@ectsp/shared";
import { listTitle, type ListKey } from "@ectsp/bot/store/sharepoint/listSchema.js";
import { SiteLists } from "@ectsp/bot/store/sharepoint/lists.js";
import { planFields } from "@ectsp/bot/store/sharepoint/plans.js";
import type { DoubleKit } from "../graph/doubleKit.js";

export const bigCaseloadEcts = 300;
export const bigCaseloadPlans = 6_000;

/** Seeds the lists under `prefix` (provisioned already); the tutor is "tutor-300". */
export function seedBigCaseload(kit: DoubleKit, prefix: string, now: Date): void {
  const clock = { now: () => now };
  const lists = new SiteLists(undefined as never, kit.settings(prefix), {} as Record<ListKey, string>, clock);
  const put = (key: ListKey, rows: Record<string, unknown>[]) => kit.double.seed(listTitle(prefix, key), rows);
  const school = { id: "school-300", name: "School 300", abId: "ab-300" };
  const tutor: Person = { id: "tutor-300", displayName: "Tutor 300", email: "tutor300@bench.example", roles: ["induction_tutor"], schoolId: school.id };
  const people: Person[] = [tutor];
  const ects: Ect[] = [];
  for (let i = 0; i < bigCaseloadEcts; i++) {
    people.push({ id: `big-p-${i}`, displayName: `ECT ${i}`, email: `big${i}@bench.example`, roles: ["ect"], schoolId: school.id });
    ects.push({
      id: `big-ect-${i}`,
      personId: `big-p-${i}`,
      schoolId: school.id,
      abId: school.abId,
      inductionTutorId: tutor.id,
      inductionStartDate: "2026-09-01",
      fte: 1,
      absences: [],
      extensions: [],
      track: "ect",
    });
  }
  put("appropriateBodies", [lists.fieldsFor("appropriateBodies", school.abId, { name: "Hub 300" }, { id: school.abId, name: "Hub 300" })]);
  put("schools", [lists.fieldsFor("schools", school.id, { name: school.name, abId: school.abId }, school)]);
  put(
    "people",
    people.map((p) => lists.fieldsFor("people", p.id, { displayName: p.displayName, aadObjectId: `none:${p.id}`, schoolId: p.schoolId, abId: p.abId }, p)),
  );
  put(
    "ects",
    ects.map((e) => lists.fieldsFor("ects", e.id, { personId: e.personId, schoolId: e.schoolId, abId: e.abId, inductionTutorId: e.inductionTutorId }, e)),
  );
  const { plan: template } = createPlan(
    { actor: tutor, now, newId: randomUUID },
    { ect: ects[0]!, ectPerson: people[1]!, school, schoolStaff: [tutor], abOfficers: [] },
    [],
    {
      ectId: ects[0]!.id,
      templateId: "level_2",
      content: { startDate: "2026-11-30", endDate: "2027-01-11" },
    },
  );
  const plans: Plan[] = [];
  for (const e of ects) {
    plans.push({ ...template, id: randomUUID(), ectId: e.id });
    plans.push({ ...template, id: randomUUID(), ectId: e.id, status: "closed", updatedAt: "2026-10-01T10:00:00.000Z" });
  }
  for (let i = 0; plans.length < bigCaseloadPlans; i++) plans.push({ ...template, id: randomUUID(), ectId: `other-ect-${i % 1800}`, schoolId: "elsewhere" });
  put(
    "plans",
    plans.map((p) => planFields(lists, p)),
  );
}
