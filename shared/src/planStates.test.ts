import { describe, expect, it } from "vitest";
import { PlanStatus } from "./model/plan.js";
import { mayHappen, planStage, requireTransition, transitions, type PlanEvent } from "./planStates.js";
import { DomainError } from "./errors.js";

/** The life of a plan, written out by hand: the table in planStates.ts must say exactly this. */
const allowed: Record<PlanEvent, PlanStatus[]> = {
  edit_agreement: ["draft", "awaiting_signatures"],
  write_running_record: ["draft", "awaiting_signatures", "agreed", "active", "in_review"],
  request_signatures: ["draft", "awaiting_signatures", "agreed", "active"],
  sign: ["awaiting_signatures", "agreed", "active"],
  propose_amendment: ["agreed", "active"],
  withdraw_amendment: ["agreed", "active", "in_review"],
  start: ["agreed"],
  review: ["agreed", "active"],
  conclude: ["in_review"],
  escalate: ["agreed", "active", "in_review"],
};

describe("the plan's states and transitions", () => {
  for (const event of Object.keys(transitions) as PlanEvent[]) {
    for (const status of PlanStatus.options) {
      const ok = allowed[event].includes(status);
      it(`${event} from ${status}: ${ok ? "allowed" : "refused"}`, () => {
        expect(mayHappen(status, event)).toBe(ok);
        const attempt = () => {
          try {
            requireTransition({ status }, event);
            return "allowed";
          } catch (e) {
            return e instanceof DomainError && e.kind === "invalid_state" ? "refused" : "failed";
          }
        };
        expect(attempt()).toBe(ok ? "allowed" : "refused");
      });
    }
  }

  it("a closed plan is refused everything, and says it is kept as a record", () => {
    expect(() => requireTransition({ status: "closed" }, "escalate")).toThrow(/kept as a record/);
  });

  it("reads the same everywhere: awaiting signatures (n of m), amendments beside the status", () => {
    const signers = [
      { role: "ect" as const, personId: "amy" },
      { role: "induction_tutor" as const, personId: "tutor" },
      { role: "head" as const, personId: "head" },
    ];
    const sig = (role: "ect" | "head", revision: number) => ({ role, personId: role, name: role, signedAt: "2026-11-27T10:00:00.000Z", revision });
    const request = (revision: number) => ({ revision, requestedAt: "2026-11-27T10:00:00.000Z", requestedBy: "tutor", signBy: "2026-12-04", remindedAt: [] });
    expect(planStage({ status: "draft", signers, signatures: [], revision: 1 })).toBe("Draft");
    expect(planStage({ status: "awaiting_signatures", signers, signatures: [sig("ect", 1)], revision: 1, signatureRequest: request(1) })).toBe(
      "Awaiting signatures (1 of 3)",
    );
    const amendment = {
      revision: 2,
      baseRevision: 1,
      content: {} as never,
      changes: [],
      proposedBy: "tutor",
      proposedByName: "Tutor",
      proposedAt: "2026-11-27T10:00:00.000Z",
    };
    const all = [sig("ect", 1), sig("head", 1), { ...sig("ect", 1), role: "induction_tutor" as const }];
    expect(planStage({ status: "active", signers, signatures: all, revision: 1, amendment })).toBe("Active · amendment proposed, not yet sent for signature");
    expect(planStage({ status: "active", signers, signatures: [...all, sig("head", 2)], revision: 1, amendment, signatureRequest: request(2) })).toBe(
      "Active · amendment awaiting signatures (1 of 3)",
    );
    expect(planStage({ status: "active", signers, signatures: all, revision: 1 })).toBe("Active");
  });
});
