/**
 * An AB webhook address the bot would refuse to post to is refused when it is saved: a 400 problem
 * that says what is wrong and never repeats the address (the SSRF guard's input half).
 */
import { describe, expect, it } from "vitest";
import { AbWebhookInput } from "@ectsp/shared";
import { toProblem } from "./problem.js";

const secret = "TopSecret123";
describe("PUT .../webhook input", () => {
  it.each([
    `https://127.0.0.1/w?sig=${secret}`,
    `https://0x7f000001/w?sig=${secret}`,
    `https://[::1]/w?sig=${secret}`,
    `https://[::ffff:169.254.169.254]/w?sig=${secret}`,
    `https://169.254.169.254/w?sig=${secret}`,
    `https://10.1.2.3/w?sig=${secret}`,
    `https://localhost:22/w?sig=${secret}`,
    `https://user:pass@prod-1.uksouth.logic.azure.com/w?sig=${secret}`,
    `https://prod-1.uksouth.logic.azure.com:8443/w?sig=${secret}`,
    `https://evil.example/w?sig=${secret}`,
    `http://prod-1.uksouth.logic.azure.com/w?sig=${secret}`,
  ])("refuses %s with a 400 problem that does not echo it", (url) => {
    const parsed = AbWebhookInput.safeParse({ url });
    expect(parsed.success).toBe(false);
    const problem = toProblem(parsed.error);
    expect(problem.status).toBe(400);
    expect(problem.violations?.[0]).toMatchObject({ path: "url" });
    const text = JSON.stringify(problem);
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/127\.0\.0\.1|0x7f|169\.254|10\.1\.2\.3|localhost|user:pass|evil|uksouth/);
  });
});
