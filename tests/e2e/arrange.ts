import type { RunningServer } from "../../bot/test-support/testServer.js";
import { demoIds } from "../../bot/src/demo/demoSchool.js";

/**
 * Puts a fresh server into the state an end-to-end test starts from, through the same HTTP API
 * the tab uses, so every test arranges its own world and none depends on another having run.
 */
type Json = Record<string, any>;

export const TARGET_1 = "Act decisively when behaviour slips, using the school's policy";
export const TARGET_2 = "Use lesson time productively, with a starter and a plenary";

async function call(server: RunningServer, personId: string, path: string, init: RequestInit = {}): Promise<Json> {
  const as = await server.as(personId);
  const res = await as(path, init);
  const body = (await res.json()) as Json;
  if (!res.ok) throw new Error(`arrange: ${init.method ?? "GET"} ${path} as ${personId} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Erin's Level 2 plan with two targets citing 7d and 4a and week 1 filled in. With `signedBy`,
 * the tutor first sends it for signature (signing needs a plan that was asked for), then each
 * named signer signs the revision asked for; with both, the plan is agreed — active when its
 * start date has come (`startDate` before the test clock's 27 November 2026).
 */
export async function erinLevel2Plan(
  server: RunningServer,
  signedBy: ("tutor" | "ect")[] = [],
  opts: { startDate?: string; endDate?: string } = {},
): Promise<Json> {
  const created = await call(server, demoIds.tutorA, "/api/plans", {
    method: "POST",
    body: JSON.stringify({
      ectId: "ect-erin",
      templateId: "level_2",
      content: { startDate: opts.startDate ?? "2026-11-30", endDate: opts.endDate ?? "2027-01-11" },
    }),
  });
  const content = structuredClone(created.plan) as Json;
  content.targets = [
    { id: crypto.randomUUID(), standards: ["7d"], text: TARGET_1, successCriteria: "" },
    { id: crypto.randomUUID(), standards: ["4a"], text: TARGET_2, successCriteria: "" },
  ];
  content.weeks[0] = {
    ...content.weeks[0],
    action: "Observe the KS2 lead's transitions",
    byWhom: "Erin, Sarah Thompson",
    successCriteria: "Three routines listed",
  };
  let plan = (
    await call(server, demoIds.tutorA, `/api/plans/${created.plan.id}`, {
      method: "PUT",
      headers: { "if-match": `"v${created.plan.version}"` },
      body: JSON.stringify({ content }),
    })
  ).plan as Json;
  if (signedBy.length > 0) plan = await sendForSignature(server, plan);
  for (const who of signedBy) {
    const personId = who === "tutor" ? demoIds.tutorA : "person-ect-erin";
    plan = (await call(server, personId, `/api/plans/${plan.id}/signatures`, { method: "POST", body: JSON.stringify({ revision: plan.revision }) }))
      .plan as Json;
  }
  return plan;
}

/** The tutor asks for signatures on the plan (or its amendment) as it stands. */
export async function sendForSignature(server: RunningServer, plan: Json, signBy?: string): Promise<Json> {
  return (await call(server, demoIds.tutorA, `/api/plans/${plan.id}/signature-requests`, { method: "POST", body: JSON.stringify(signBy ? { signBy } : {}) }))
    .plan as Json;
}

/** Erin's Level 2 plan, signed by the tutor and Erin, running since 23 November 2026 (for six weeks). */
export const erinActiveLevel2Plan = (server: RunningServer) => erinLevel2Plan(server, ["tutor", "ect"], { startDate: "2026-11-23", endDate: "2027-01-04" });

/** Erin's Level 3 plan, escalated from an agreed Level 2 plan whose second target was not met. */
export async function erinLevel3Plan(server: RunningServer): Promise<Json> {
  const plan = await erinLevel2Plan(server, ["tutor", "ect"]);
  const reviewed = await call(server, demoIds.tutorA, `/api/plans/${plan.id}/review`, {
    method: "PUT",
    body: JSON.stringify({
      version: plan.version,
      review: {
        date: "2027-01-11",
        targetOutcomes: [
          { targetId: plan.targets[0].id, outcome: "met", evidence: "Consistent in three observations" },
          { targetId: plan.targets[1].id, outcome: "not_met", evidence: "Starters still overrun" },
        ],
        evaluation: "Behaviour secure; pace not yet.",
        nextObjectives: "Pace and structure of lessons",
        onTrack: false,
      },
    }),
  });
  const concluded = await call(server, demoIds.tutorA, `/api/plans/${plan.id}/conclusion`, {
    method: "POST",
    body: JSON.stringify({ version: reviewed.plan.version, decision: "escalate", reason: "Not enough progress on pace" }),
  });
  return (await call(server, demoIds.tutorA, `/api/plans/${concluded.successorId}`)).plan as Json;
}

/**
 * Agrees one of Erin's plans: dates set if the plan has none, and a standard (4a, lesson time)
 * on any objective without one (a successor's new objectives come from the review's next
 * objectives, unlinked), sent for signature, then signed by the tutor and Erin.
 */
export async function agreePlan(server: RunningServer, plan: Json): Promise<Json> {
  let current = plan;
  const unlinked = (current.targets as Json[]).some((t) => t.standards.length === 0);
  if (!current.startDate || !current.endDate || unlinked) {
    const content = {
      ...structuredClone(current),
      startDate: current.startDate ?? "2026-11-23",
      endDate: current.endDate ?? "2027-01-04",
      targets: (current.targets as Json[]).map((t) => (t.standards.length ? t : { ...t, standards: ["4a"] })),
    };
    current = (
      await call(server, demoIds.tutorA, `/api/plans/${current.id}`, {
        method: "PUT",
        headers: { "if-match": `"v${current.version}"` },
        body: JSON.stringify({ content }),
      })
    ).plan as Json;
  }
  current = await sendForSignature(server, current);
  for (const personId of [demoIds.tutorA, "person-ect-erin"]) {
    current = (await call(server, personId, `/api/plans/${current.id}/signatures`, { method: "POST", body: JSON.stringify({ revision: current.revision }) }))
      .plan as Json;
  }
  return current;
}
