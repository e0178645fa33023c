import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("TEAMS_APP_ID (issue 15: card links into Teams)", () => {
  it("is optional: without it cards link to the tab's own URL", () => {
    expect(loadConfig({ PORT: "0" }).teamsAppId).toBeUndefined();
    expect(loadConfig({ PORT: "0", TEAMS_APP_ID: " " }).teamsAppId).toBeUndefined();
  });

  it("is the Teams app's GUID when set, and a wrong one stops the start", () => {
    expect(loadConfig({ PORT: "0", TEAMS_APP_ID: " 3F0B8A4E-1C2D-4E5F-8A9B-0C1D2E3F4A5B " }).teamsAppId).toBe("3f0b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    for (const bad of ["caseload", "3f0b8a4e-1c2d-4e5f-8a9b", "3f0b8a4e/../x", "${{TEAMS_APP_ID}}"]) {
      expect(() => loadConfig({ PORT: "0", TEAMS_APP_ID: bad })).toThrow(/TEAMS_APP_ID must be the Teams app's id/);
    }
  });
});
