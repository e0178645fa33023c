import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningServer } from "../../test-support/testServer.js";
import { demoIds } from "../demo/demoSchool.js";

type Json = Record<string, any>;
type Caller = (p: string, i?: RequestInit) => Promise<Response>;

let server: RunningServer;
const otherOfficer = "person-other-ab-officer";
beforeAll(async () => {
  server = await startTestServer();
  await server.store.upsertAppropriateBody({ id: "ab-other", name: "Another Teaching School Hub" });
  await server.store.upsertPerson({ id: otherOfficer, displayName: "Other Officer", email: "o@other.example", roles: ["ab_officer"], abId: "ab-other" });
});
afterAll(async () => {
  await server?.stop();
});

const ratings = (ratingId: string, statement = "") =>
  Object.fromEntries(["1", "2", "3", "4", "5", "6", "7", "8", "P2"].map((c) => [c, { ratingId, statement }]));
const review = (over: Json = {}) => ({
  date: "2026-11-27",
  onTrack: true,
  evidenceSummary: "Two observations",
  ratings: { ...ratings("secure"), "4": { ratingId: "cause_for_concern", statement: "Pace drops after the starter" } },
  targets: [{ text: "Improve pace", standards: ["4a"] }],
  ...over,
});
const post = (as: Caller, path: string, body?: unknown) => as(path, { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const unauthenticated: Caller = (p, i) => fetch(`${server.url}${p}`, { ...i, headers: { "content-type": "application/json", ...(i?.headers ?? {}) } });

/** What a refused request must leave as it was: the ECT's records, their audit and every message. */
const snapshot = async (ectId: string) => ({
  records: (await server.store.listRecords({ ectIds: [ectId] })).length,
  audit: (await server.store.listAudit({ ectId })).length,
  outbox: (await server.store.listOutbox({})).length,
});
const chainOf = async (as: Caller, ectId: string) => ((await (await as(`/api/ects/${ectId}/records`)).json()) as Json).chains[0];

describe("the AB return loop over HTTP (embedded store)", () => {
  it("record → sign ×3 → AB returns → tutor revises → re-signed ×3; every refused caller leaves nothing behind", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const head = await server.as(demoIds.head);
    const lead = await server.as(demoIds.lead);
    const mentor = await server.as(demoIds.mentorA);
    const amy = await server.as("person-ect-amy");
    const officer = await server.as(demoIds.abOfficer);
    const other = await server.as(otherOfficer);
    const otherHead = await server.as(demoIds.otherHead);
    const george = await server.as("person-ect-george");

    // Item 6: on track yet "Cause for concern" saves, and the warning comes back with the record.
    const created = await post(tutor, "/api/ects/ect-amy/progress-reviews", review());
    expect(created.status).toBe(201);
    const saved = (await created.json()) as Json;
    expect(saved.warnings).toEqual([expect.objectContaining({ code: "on-track-with-lowest-rating", severity: "warning" })]);
    const r1 = saved.record.id as string;
    const base = `/api/ects/ect-amy/records/${r1}`;

    // Signing: everyone who is not a required signer is refused, and nothing is written.
    let before = await snapshot("ect-amy");
    for (const [who, as] of [
      ["mentor", mentor],
      ["lead", lead],
      ["AB officer", officer],
      ["other school's head", otherHead],
      ["another ECT", george],
      ["other AB", other],
    ] as const) {
      const res = await post(as, `${base}/signatures`, {});
      expect([who, res.status]).toEqual([who, 403]);
    }
    expect((await post(unauthenticated, `${base}/signatures`, {})).status).toBe(401);
    expect(await snapshot("ect-amy")).toEqual(before);

    expect((await post(amy, `${base}/signatures`, { comments: "I agree my pace target" })).status).toBe(201);
    expect((await post(amy, `${base}/signatures`, {})).status).toBe(409);
    expect((await post(tutor, `${base}/signatures`)).status).toBe(201);
    const last = await post(head, `${base}/signatures`, {});
    expect(last.status).toBe(201);
    expect(((await last.json()) as Json).chain).toMatchObject({ status: "signed", missingSigners: [] });
    const toAb = (await server.store.listOutbox({ recipientId: demoIds.abOfficer })).filter((m) => m.kind === "record_signed");
    expect(toAb.map((m) => m.data.recordId)).toEqual([r1]);

    // Returning: school staff, the ECT and another AB's officer are refused; a body without comments is 400.
    before = await snapshot("ect-amy");
    const reasons = { reasons: ["targets_not_specific", "no_reference_to_standards"], comments: "Targets are not specific; no reference to the Standards" };
    for (const [who, as] of [
      ["tutor", tutor],
      ["head", head],
      ["lead", lead],
      ["ECT", amy],
      ["mentor", mentor],
      ["other AB", other],
      ["other head", otherHead],
    ] as const) {
      const res = await post(as, `${base}/returns`, reasons);
      expect([who, res.status]).toEqual([who, 403]);
    }
    expect((await post(unauthenticated, `${base}/returns`, reasons)).status).toBe(401);
    const noComments = await post(officer, `${base}/returns`, { reasons: ["other"], comments: "  " });
    expect(noComments.status).toBe(400);
    expect(((await noComments.json()) as Json).violations[0].path).toBe("comments");
    // Revising before the AB returns it: refused (the tutor amends only after a return).
    const early = await post(tutor, `${base}/revisions`, review());
    expect(early.status).toBe(409);
    expect(((await early.json()) as Json).detail).toContain("only after the appropriate body returns it");
    expect(await snapshot("ect-amy")).toEqual(before);

    const returned = await post(officer, `${base}/returns`, reasons);
    expect(returned.status).toBe(201);
    expect(((await returned.json()) as Json).chain.status).toBe("returned");
    expect((await post(officer, `${base}/returns`, reasons)).status).toBe(409);
    const afterReturn = await post(head, `${base}/signatures`, {});
    expect([afterReturn.status, ((await afterReturn.json()) as Json).detail]).toEqual([409, expect.stringContaining("returned this record to the school")]);
    const told = (await server.store.listOutbox({})).filter((m) => m.kind === "record_returned").map((m) => m.recipientId);
    expect(told.sort()).toEqual([demoIds.lead, demoIds.tutorA].sort());

    // Revising: the ECT, a mentor and the AB are refused; a body that is not a review is 400; another term is 422.
    before = await snapshot("ect-amy");
    for (const [who, as] of [
      ["ECT", amy],
      ["mentor", mentor],
      ["AB officer", officer],
      ["other head", otherHead],
    ] as const) {
      const res = await post(as, `${base}/revisions`, review());
      expect([who, res.status]).toEqual([who, 403]);
    }
    expect((await post(unauthenticated, `${base}/revisions`, review())).status).toBe(401);
    expect((await post(tutor, `${base}/revisions`, { date: "2026-11-27" })).status).toBe(400);
    const moved = await post(tutor, `${base}/revisions`, review({ date: "2026-08-20" }));
    expect(moved.status).toBe(422);
    expect(((await moved.json()) as Json).violations[0].path).toBe("date");
    expect(await snapshot("ect-amy")).toEqual(before);

    const revised = await post(
      tutor,
      `${base}/revisions`,
      review({ targets: [{ text: "Keep the pace up after the starter in every lesson by February", standards: ["4a"] }] }),
    );
    expect(revised.status).toBe(201);
    const r2 = ((await revised.json()) as Json).record;
    expect(r2).toMatchObject({ revision: 2, revises: r1, due: saved.record.due });

    // The earlier revision can no longer be signed: 409 naming the current one.
    const stale = await post(amy, `${base}/signatures`, {});
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as Json).detail).toContain("revision 2 is the current one");
    for (const as of [amy, tutor, head]) expect((await post(as, `/api/ects/ect-amy/records/${r2.id}/signatures`, {})).status).toBe(201);

    const chain = await chainOf(amy, "ect-amy");
    expect(chain).toMatchObject({ status: "signed", current: { id: r2.id, revision: 2 }, earlier: [{ id: r1, revision: 1 }] });
    expect(chain.signatures.map((s: Json) => [s.role, s.recordId])).toEqual([
      ["ect", r2.id],
      ["induction_tutor", r2.id],
      ["head", r2.id],
    ]);
    expect(chain.earlierSignatures.map((s: Json) => s.role)).toEqual(["ect", "induction_tutor", "head"]);
    expect(chain.earlierSignatures[0].comments).toBe("I agree my pace target");
    expect(chain.returns).toEqual([expect.objectContaining({ recordId: r1, recordedByName: expect.any(String), reasons: reasons.reasons })]);
    // The records read shows each chain once: no signature or return rows, no superseded revision.
    const rows = ((await (await amy("/api/ects/ect-amy/records")).json()) as Json).records;
    expect(rows.map((r: Json) => r.kind)).toEqual(["progress_review"]);
    expect(rows[0].id).toBe(r2.id);
    // The AB's listing: one row, the current revision, signed.
    const listing = ((await (await officer("/api/ab/reviews")).json()) as Json).rows.find((r: Json) => r.ectId === "ect-amy");
    expect(listing.latest).toMatchObject({ id: r2.id, revision: 2, status: "signed" });
    // The audit names each step, without the review's content.
    const actions = (await server.store.listAudit({ ectId: "ect-amy" })).map((a) => a.action);
    expect(actions.filter((a) => a === "signRecord")).toHaveLength(6);
    expect(actions).toEqual(expect.arrayContaining(["returnRecord", "reviseRecord"]));
    expect((await server.store.listAudit({ ectId: "ect-amy" })).map((a) => a.summary).join(" ")).not.toContain("Keep the pace up");
  });

  it("a progress review dated before September 2025 is refused on its date, naming the statutory scale", async () => {
    const tutor = await server.as(demoIds.tutorA);
    const before = await snapshot("ect-ben");
    const res = await post(tutor, "/api/ects/ect-ben/progress-reviews", review({ date: "2025-06-20" }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as Json;
    expect(body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ path: "date", code: "scale-not-in-force" })]));
    expect(await snapshot("ect-ben")).toEqual(before);
  });
});
