import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { PDFParse } from "pdf-parse";
import {
  addDays,
  agreementDigest,
  editPlan,
  escalatePlan,
  requestSignatures,
  signerLabels,
  signPlan,
  templateById,
  templates,
  type EctContext,
  type Person,
  type Plan,
  type SignatureMethod,
  type TemplateId,
  type UseCaseContext,
} from "@ectsp/shared";
import { buildDocument, exportInputFrom, renderDocx, renderPdf, type ExportInput } from "./index.js";
import { samplePlan } from "../../test-support/samplePlans.js";
import { formatDateTime } from "./format.js";
import { signatureCertificate } from "./layouts/certificate.js";

// ---- a roster for the sample plans' people, so the domain's own use cases seal them --------

const staff = (id: string, displayName: string, roles: Person["roles"], extra: Partial<Person> = {}): Person => ({
  id,
  displayName,
  email: `${id}@school.example`,
  roles,
  schoolId: "school-riverside",
  ...extra,
});
const ect = staff("p-ect", "Zoë O’Neill", ["ect"]);
const tutor = staff("p-tutor", "Sarah Thompson", ["induction_tutor", "itt_staff"]);
const head = staff("p-head", "Helen Carter", ["head"]);
const mentor = staff("p-mentor", "Laura Bennett", ["mentor"]);
const pm = staff("p-lead", "Imran Malik", ["itt_staff"]);
const director = staff("p-director", "Dr Ruth Adeyemi", ["itt_staff"]);
const lsm = staff("p-lsm", "Owen Price", ["itt_staff"]);
const everyone = [ect, tutor, head, mentor, pm, director, lsm];

function rosterFor(templateId: TemplateId, opts: { tutorIsHead?: boolean } = {}): EctContext {
  const itt = templateId === "itt_early_support";
  const theHead = opts.tutorIsHead ? { ...head, roles: [...head.roles, "induction_tutor" as const] } : head;
  return {
    ect: {
      id: "ect-zoe",
      personId: ect.id,
      schoolId: "school-riverside",
      abId: "ab-essex",
      mentorId: mentor.id,
      inductionTutorId: opts.tutorIsHead ? head.id : tutor.id,
      inductionStartDate: "2026-09-01",
      fte: 1,
      absences: [],
      extensions: [],
      track: itt ? "itt" : "ect",
      ...(itt ? { ittSigners: { course_tutor: tutor.id, director: director.id, professional_mentor: pm.id, lead_subject_mentor: lsm.id } } : {}),
    },
    ectPerson: ect,
    school: { id: "school-riverside", name: "Riverside Primary Academy", abId: "ab-essex" },
    schoolStaff: [tutor, theHead, mentor],
    abOfficers: [],
    ...(itt ? { ittStaff: [tutor, pm, director, lsm] } : {}),
  };
}

let seq = 0;
const at = (who: Person, now: string): UseCaseContext => ({ actor: who, now: new Date(now), newId: () => `id-${++seq}` });
/** After the Levels 4–5 AB meeting (5 November), so every form may be sent for signature. */
const asked = "2026-11-06T09:00:00.000Z";
const signedOn = (n: number) => `2026-11-09T${String(9 + n).padStart(2, "0")}:15:00.000Z`;

/** The sample plan as a draft nobody has signed, its dates within what its form allows. */
function readySample(templateId: TemplateId): Plan {
  const template = templateById(templateId);
  const { plan } = samplePlan(templateId).input;
  return {
    ...plan,
    status: "draft",
    signatures: [],
    signers: plan.signers.map((s) => ({ role: s.role })),
    endDate: addDays(plan.startDate!, (template.lengthWeeks?.max ?? 6) * 7),
    ...(template.reviewWithinDays ? { reviewDate: addDays(plan.startDate!, template.reviewWithinDays) } : {}),
  };
}

/** Signs in turn, alternating tab and card, each at a later minute. */
function signAll(plan: Plan, roster: EctContext, people: Person[]): Plan {
  let p = plan;
  let minute = 0;
  for (const s of p.signers) {
    const who = people.find((x) => x.id === s.personId)!;
    const method: SignatureMethod = minute % 2 ? "card" : "tab";
    const done = signPlan(at(who, signedOn(minute)), roster, p, { revision: p.amendment?.revision ?? p.revision, role: s.role }, method);
    p = done.plan;
    minute++;
  }
  return p;
}

/** A sample plan (every field filled) taken through the domain: sent for signature by its tutor and sealed by every signer. */
function sealedSample(templateId: TemplateId, opts: { tutorIsHead?: boolean } = {}): { input: ExportInput; roster: EctContext; plan: Plan } {
  const roster = rosterFor(templateId, opts);
  const draft = readySample(templateId);
  const lead = opts.tutorIsHead ? { ...head, roles: [...head.roles, "induction_tutor" as const] } : tutor;
  const sent = requestSignatures(at(lead, asked), roster, draft, { signBy: "2026-11-13" }).plan;
  const plan = signAll(
    sent,
    roster,
    everyone.map((p) => (p.id === lead.id ? lead : p)),
  );
  return { input: exportInputFrom(plan, roster, new Date("2026-11-27T10:00:00Z")), roster, plan };
}

async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file("word/document.xml")!.async("string");
  // One paragraph per line; runs joined as Word shows them.
  return xml
    .replace(/<\/w:p>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

async function pdfText(buf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(buf) });
  try {
    return (await parser.getText()).pages.map((p) => p.text).join("\n");
  } finally {
    await parser.destroy();
  }
}

/** Both documents as text, with whitespace squeezed out (PDF lines wrap where they like). */
async function bothTexts(input: ExportInput): Promise<{ word: string; pdf: string; flat: { word: string; pdf: string } }> {
  const model = buildDocument(input);
  const [docx, pdf] = await Promise.all([renderDocx(model), renderPdf(model)]);
  const word = await docxText(docx);
  const text = await pdfText(pdf);
  const squeeze = (s: string) => s.replace(/\s+/g, "").replace(/[\u2018\u2019]/g, "'");
  return { word, pdf: text, flat: { word: squeeze(word), pdf: squeeze(text) } };
}
const squeeze = (s: string) => s.replace(/\s+/g, "").replace(/[\u2018\u2019]/g, "'");

/** The certificate's part of a document's text: from its heading to the end. */
const certificateOf = (text: string) => {
  const i = text.lastIndexOf("Signature certificate");
  expect(i).toBeGreaterThan(0);
  return text.slice(i);
};

describe("an export's certificate read back", () => {
  for (const template of templates) {
    it(`${template.name}: every signer, role, method, version and the full digest, in Word and PDF; the digest is the agreement's`, async () => {
      const { input, plan } = sealedSample(template.id);
      expect(["agreed", "active"]).toContain(plan.status);
      const digest = agreementDigest(plan, plan);
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect(plan.signatures.length).toBe(template.signers.length);
      for (const s of plan.signatures) expect(s.digest).toBe(digest);

      const { word, pdf } = await bothTexts(input);
      for (const [format, text] of [
        ["docx", word],
        ["pdf", pdf],
      ] as const) {
        const cert = squeeze(certificateOf(text));
        const wanted = [
          "Version certified:",
          `Agreed version ${plan.revision}: every signer required has signed it`,
          "Agreement digest (SHA-256, recomputed from the content printed):",
          digest,
          "Every signature matches the agreement printed in this document.",
          ...plan.signatures.flatMap((s) => [
            s.name,
            signerLabels[s.role],
            formatDateTime(s.signedAt),
            s.signedAt,
            s.method === "card" ? "From a Teams card" : "In the app",
            `Agreed version ${s.revision}`,
          ]),
        ];
        expect({ format, missing: wanted.filter((w) => !cert.includes(squeeze(w))) }).toEqual({ format, missing: [] });
        // Every signature's full digest, each with its verdict.
        expect({ format, count: cert.split(squeeze(`${digest} — matches the agreement digest above.`)).length - 1 }).toEqual({
          format,
          count: plan.signatures.length,
        });
        // Both methods were used, and each is printed against its signer.
        expect(new Set(plan.signatures.map((s) => s.method))).toEqual(new Set(["tab", "card"]));
        expect(cert).not.toContain("DOESNOTMATCH");
      }
      // The certificate is the last thing in the document.
      const blocks = buildDocument(input).blocks;
      expect(blocks.findIndex((b) => b.kind === "heading" && b.text === "Signature certificate")).toBe(blocks.length - signatureCertificate(input).length);
    });
  }

  it("a plan whose agreed text changed after signing, without a new signature, prints the mismatch loudly", async () => {
    const { plan, roster } = sealedSample("level_2");
    const sealed = plan.signatures[0]!.digest!;
    const tampered: Plan = { ...plan, targets: plan.targets.map((t, i) => (i === 0 ? { ...t, successCriteria: "Quietly rewritten after signing" } : t)) };
    const recomputed = agreementDigest(tampered, tampered);
    expect(recomputed).not.toBe(sealed);
    const input = exportInputFrom(tampered, roster, new Date("2026-11-27T10:00:00Z"));
    const model = buildDocument(input);
    expect(model.pageHeader.join(" ")).toContain("SIGNED TEXT CHANGED");
    const { flat } = await bothTexts(input);
    for (const text of [flat.word, flat.pdf]) {
      expect(text).toContain(squeeze("SIGNED TEXT CHANGED — DOES NOT MATCH THE SIGNATURES: the agreed text below is not the text its signers sealed"));
      expect(text).toContain(squeeze(`MISMATCH: ${plan.signatures.length} of ${plan.signatures.length} signature(s) sealed a different text`));
      expect(text).toContain(squeeze(`${sealed} — DOES NOT MATCH the agreement digest above`));
      expect(text).toContain(recomputed);
    }
    // The untouched plan says no such thing.
    const { flat: clean } = await bothTexts(exportInputFrom(plan, roster, new Date("2026-11-27T10:00:00Z")));
    expect(clean.word).not.toContain("SIGNEDTEXTCHANGED");
    expect(clean.pdf).not.toContain("DOESNOTMATCH");
  });

  it("one person who signed two roles: the certificate says so, and that the roster gives them both", async () => {
    const { input, plan } = sealedSample("at_risk_action", { tutorIsHead: true });
    const hers = plan.signatures.filter((s) => s.personId === head.id).map((s) => s.role);
    expect(hers.sort()).toEqual(["head", "induction_tutor"]);
    const { word, pdf } = await bothTexts(input);
    const note = "Helen Carter signed as Induction tutor and Headteacher/Principal: the roster gives Helen Carter both roles.";
    for (const text of [word, pdf]) expect(squeeze(certificateOf(text))).toContain(squeeze(note));
    // A plan where everyone signs once says nothing of the kind.
    const single = await bothTexts(sealedSample("at_risk_action").input);
    expect(single.flat.word).not.toContain(squeeze("both roles"));
  });

  it("signatures from before seals existed are listed as not sealed, never as matching", async () => {
    const { input } = samplePlan("level_3");
    const { flat } = await bothTexts(input);
    for (const text of [flat.word, flat.pdf]) {
      expect(text).toContain(squeeze("Not sealed: these signatures were given before seals were recorded"));
      expect(text).toContain(squeeze("not sealed: this signature was given before seals were recorded"));
      expect(text).not.toContain(squeeze("matches the agreement digest above"));
    }
  });

  it("a closed plan's export prints its outcome and the reason for escalation", async () => {
    const { plan, roster } = sealedSample("level_2");
    const reason = "No progress on routines after six weeks; “pace” still a concern & behaviour slipping";
    const { plan: closed } = escalatePlan(at(tutor, "2026-12-15T10:00:00.000Z"), roster, plan, { version: plan.version, reason });
    expect(closed.outcomeReason).toBe(reason);
    const { flat } = await bothTexts(exportInputFrom(closed, roster, new Date("2026-12-16T10:00:00Z")));
    for (const text of [flat.word, flat.pdf]) {
      expect(text).toContain(squeeze("Outcome of the plan"));
      expect(text).toContain(squeeze("Closed: escalated to the next level"));
      expect(text).toContain(squeeze(`Reason for escalation: ${reason}`));
      // The closed plan is still the agreed record: no draft mark, its certificate intact.
      expect(text).not.toContain(squeeze("NOT SIGNED — DRAFT"));
      expect(text).toContain(squeeze("Every signature matches the agreement printed in this document."));
    }
  });

  it("while an amendment waits, the export prints the agreed version and a note of the amendment", async () => {
    const { plan, roster } = sealedSample("level_2");
    // The objective's own words: the Level 2 form prints no success criteria per objective.
    const agreedCriteria = plan.targets[0]!.text;
    const proposedCriteria = "Sanctions used fairly in three observed lessons, one of them after lunch";
    const content = { ...plan, targets: plan.targets.map((t, i) => (i === 0 ? { ...t, text: proposedCriteria } : t)) };
    const proposed = editPlan(at(tutor, "2026-11-24T10:00:00.000Z"), roster, plan, { version: plan.version, content }).plan;
    expect(proposed.amendment?.revision).toBe(plan.revision + 1);
    const waiting = requestSignatures(at(tutor, "2026-11-24T11:00:00.000Z"), roster, proposed, { signBy: "2026-12-01" }).plan;
    const oneSigned = signPlan(at(ect, "2026-11-25T10:00:00.000Z"), roster, waiting, { revision: waiting.amendment!.revision }, "card").plan;

    const model = buildDocument(exportInputFrom(oneSigned, roster, new Date("2026-11-26T10:00:00Z")));
    expect(model.draft).toBe(false); // the agreed version still holds
    const { flat } = await bothTexts(exportInputFrom(oneSigned, roster, new Date("2026-11-26T10:00:00Z")));
    for (const text of [flat.word, flat.pdf]) {
      expect(text).toContain(squeeze("Amendment awaiting signatures"));
      expect(text).toContain(
        squeeze(
          `This document prints agreed version ${plan.revision}, which the plan runs on. An amendment to it (agreed version ${plan.revision + 1} once signed), proposed by Sarah Thompson on ${formatDateTime("2026-11-24T10:00:00.000Z")}, awaits signatures (1 of 2), to be signed by 1 December 2026.`,
        ),
      );
      for (const change of oneSigned.amendment!.changes) expect(text).toContain(squeeze(change.label));
      expect(text).toContain(squeeze(`Signed the amendment so far: Zoë O'Neill as ECT`));
      expect(text).toContain(squeeze(agreedCriteria));
      expect(text).not.toContain(squeeze(proposedCriteria));
      expect(text).toContain(squeeze("Active · amendment awaiting signatures (1 of 2)"));
      // The certificate is the agreed version's, and still matches it.
      expect(text).toContain(squeeze(`Agreed version ${plan.revision}: every signer required has signed it`));
      expect(text).toContain(squeeze("Every signature matches the agreement printed in this document."));
    }
  });

  it("a plan sent for signature is not agreed: draft marks, its status as everywhere, the signatures so far", async () => {
    const roster = rosterFor("at_risk_action");
    const sent = requestSignatures(at(tutor, asked), roster, readySample("at_risk_action")).plan;
    const one = signPlan(at(head, signedOn(0)), roster, sent, { revision: sent.revision }, "card").plan;
    expect(one.status).toBe("awaiting_signatures");
    const model = buildDocument(exportInputFrom(one, roster, new Date("2026-11-10T10:00:00Z")));
    expect(model.draft).toBe(true);
    const { flat } = await bothTexts(exportInputFrom(one, roster, new Date("2026-11-10T10:00:00Z")));
    for (const text of [flat.word, flat.pdf]) {
      expect(text).toContain(squeeze("NOT SIGNED — DRAFT FOR DISCUSSION"));
      expect(text).toContain(squeeze("Awaiting signatures (1 of 3)"));
      expect(text).toContain(squeeze(`Agreed version ${one.revision} once signed, NOT AGREED: awaiting signatures (1 of 3)`));
      expect(text).toContain(squeeze("Helen Carter"));
      expect(text).toContain(one.signatures[0]!.digest!);
    }
  });
});
