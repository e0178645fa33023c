/**
 * The school settings' conditional write (PUT /api/roster/school), against every adapter: a write
 * lands only on the version read, keeps the school's other fields, and a refused one writes nothing.
 */
import { describe, expect, it } from "vitest";
import type { School } from "@ectsp/shared";
import { DirectoryVersionConflict, type Store } from "@ectsp/bot/store/store.js";
import { useSeededStore, type MakeStore } from "./contractKit.js";
import { newId, type World } from "./testData.js";

export function schoolSettingsContract(name: string, makeStore: MakeStore): void {
  describe(`School settings contract: ${name}`, () => {
    let store: Store;
    let other: Store;
    let w: World;
    useSeededStore(makeStore, (ctx) => ({ store, other, w } = ctx));

    const refusal = async (write: Promise<unknown>) =>
      write.then(
        () => undefined,
        (err: unknown) => err,
      );

    it("sets the settings at version + 1 (a school from before versions is at 1) and keeps the school's other fields", async () => {
      const linked: School = { ...w.schoolA, linkedAbIds: [w.abB.id] };
      await store.upsertSchool(linked);
      const saved = await store.saveSchoolSettings(w.schoolA.id, { ittProviderName: "MID-ESSEX ITT", probationTerms: 3 }, 1);
      expect(saved).toEqual({ ...linked, ittProviderName: "MID-ESSEX ITT", probationTerms: 3, version: 2 });
      expect(await other.getSchool(w.schoolA.id)).toEqual(saved);

      // A key left out is cleared: the settings are set as a whole.
      const cleared = await other.saveSchoolSettings(w.schoolA.id, { probationTerms: 0 }, 2);
      expect(cleared).toEqual({ ...linked, probationTerms: 0, version: 3 });
      expect(await store.getSchool(w.schoolA.id)).toEqual(cleared);
    });

    it("refuses a write against a stale version, or for a school that is not there, writing nothing", async () => {
      await store.saveSchoolSettings(w.schoolB.id, { probationTerms: 3 }, 1);
      const stale = await refusal(other.saveSchoolSettings(w.schoolB.id, { probationTerms: 6, ittProviderName: "Stale ITT" }, 1));
      expect(stale).toBeInstanceOf(DirectoryVersionConflict);
      expect(((stale as DirectoryVersionConflict).current as School).version).toBe(2);
      expect(await store.getSchool(w.schoolB.id)).toEqual({ ...w.schoolB, probationTerms: 3, version: 2 });

      const ghost = newId("school");
      const missing = await refusal(store.saveSchoolSettings(ghost, { probationTerms: 2 }, 1));
      expect(missing).toBeInstanceOf(DirectoryVersionConflict);
      expect((missing as DirectoryVersionConflict).current).toBeUndefined();
      expect(await store.getSchool(ghost)).toBeUndefined();
    });

    it("of two writers who read the same version, exactly one lands", async () => {
      const results = await Promise.allSettled([
        store.saveSchoolSettings(w.schoolA.id, { probationTerms: 4 }, 1),
        other.saveSchoolSettings(w.schoolA.id, { probationTerms: 5 }, 1),
      ]);
      const landed = results.filter((r): r is PromiseFulfilledResult<School> => r.status === "fulfilled");
      expect(landed).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")?.reason).toBeInstanceOf(DirectoryVersionConflict);
      const stored = await store.getSchool(w.schoolA.id);
      expect(stored).toMatchObject({ version: 2, probationTerms: landed[0]!.value.probationTerms });
    });
  });
}
