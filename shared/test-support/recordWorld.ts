import type { Ect, Person } from "../src/model/people.js";
import type { EctContext } from "../src/usecases/context.js";

/**
 * The ECT whose reviews the records tests sign, return and revise: Amy at Riverside, her tutor
 * Sarah, the head Helen, and an officer of her AB (named by the test: cards and the tab show it).
 */
export const recordPerson = (id: string, displayName: string, roles: Person["roles"], where: Partial<Person> = { schoolId: "s" }): Person => ({
  id,
  displayName,
  email: `${id}@x.example`,
  roles,
  ...where,
});

export function recordWorld(officerName: string) {
  const tutor = recordPerson("p-tutor", "Sarah Thompson", ["induction_tutor"]);
  const head = recordPerson("p-head", "Helen Carter", ["head"]);
  const amy = recordPerson("p-amy", "Amy Clarke", ["ect"]);
  const officer = recordPerson("p-officer", officerName, ["ab_officer"], { abId: "ab" });
  const ect: Ect = {
    id: "ect-amy",
    personId: "p-amy",
    schoolId: "s",
    abId: "ab",
    inductionTutorId: "p-tutor",
    inductionStartDate: "2026-09-01",
    fte: 1,
    absences: [],
    extensions: [],
    track: "ect",
  };
  const ectCtx: EctContext = { ect, ectPerson: amy, school: { id: "s", name: "Riverside", abId: "ab" }, schoolStaff: [tutor, head], abOfficers: [officer] };
  return { tutor, head, amy, officer, ect, ectCtx };
}
