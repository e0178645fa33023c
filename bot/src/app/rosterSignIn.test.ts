import { describe, expect, it, vi } from "vitest";
import type { Person } from "@ectsp/shared";
import type { Store } from "../store/store.js";
import { SIGN_IN_RECORD_MS, noteSignIn } from "./rosterSignIn.js";

/** Every request carries a token: a sign-in is written when none is recorded, then at most hourly. */
describe("recording sign-ins", () => {
  const sam: Person = { id: "person-sam", displayName: "Sam Patel", email: "sam@school.example", roles: ["mentor"] };
  const at = new Date("2026-11-27T09:00:00.000Z");
  const storeWith = () => {
    const recordSignIn = vi.fn<(id: string, at: string) => Promise<void>>().mockResolvedValue(undefined);
    return { store: { recordSignIn } as unknown as Store, recordSignIn };
  };

  it("records the first sign-in, and answers the person with it", async () => {
    const { store, recordSignIn } = storeWith();
    expect(await noteSignIn(store, sam, at)).toEqual({ ...sam, firstSignedInAt: at.toISOString(), lastSignedInAt: at.toISOString() });
    expect(recordSignIn).toHaveBeenCalledWith("person-sam", at.toISOString());
  });

  it("writes nothing within the hour, then records the last sign-in again; a clock gone back counts as due", async () => {
    const { store, recordSignIn } = storeWith();
    const signedIn = { ...sam, firstSignedInAt: "2026-11-01T08:00:00.000Z", lastSignedInAt: at.toISOString() };
    expect(await noteSignIn(store, signedIn, new Date(at.getTime() + SIGN_IN_RECORD_MS - 1))).toBe(signedIn);
    expect(recordSignIn).not.toHaveBeenCalled();
    const later = new Date(at.getTime() + SIGN_IN_RECORD_MS);
    expect(await noteSignIn(store, signedIn, later)).toMatchObject({ firstSignedInAt: "2026-11-01T08:00:00.000Z", lastSignedInAt: later.toISOString() });
    await noteSignIn(store, signedIn, new Date(at.getTime() - 1000));
    expect(recordSignIn).toHaveBeenCalledTimes(2);
  });
});
