import type { Server } from "restify";
import { z } from "zod";
import { roleLabels } from "@ectsp/shared";
import type { Store } from "../store/store.js";
import type { LocalIdentity } from "../auth/localIdentity.js";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { handle, sendJson } from "./handle.js";
import { HttpProblem, problem } from "./problem.js";

/**
 * Local mode only: pick a demo persona and get a signed token for it. These routes are not
 * registered at all in tenant mode.
 */
export function registerDevRoutes(server: Server, store: Store, identity: LocalIdentity, logger: Logger, clock: Clock): void {
  server.get(
    "/api/dev/personas",
    handle(logger, async (_req, res) => {
      const people = await store.listPeople();
      sendJson(res, 200, {
        personas: people
          .map((p) => ({ id: p.id, displayName: p.displayName, roles: p.roles, roleLabels: p.roles.map((r) => roleLabels[r]) }))
          .sort((a, b) => a.roleLabels.join().localeCompare(b.roleLabels.join()) || a.displayName.localeCompare(b.displayName)),
      });
    }),
  );

  server.post(
    "/api/dev/sign-in",
    handle(logger, async (req, res) => {
      const { personId } = z.object({ personId: z.string().min(1).max(128) }).parse(req.body ?? {});
      const person = await store.getPerson(personId);
      if (!person) throw new HttpProblem(problem(404, "Not found", "There is no demo persona with that id."));
      if (person.leftOn) throw new HttpProblem(problem(403, "No longer on the roster", "This persona has left the school."));
      // Picking a persona is signing in, in local mode: the roster shows when.
      await store.recordSignIn(person.id, clock.now().toISOString());
      sendJson(res, 200, { token: await identity.issue(person.id), person });
    }),
  );
}
