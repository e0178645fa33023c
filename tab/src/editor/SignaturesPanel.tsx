import { useState } from "react";
import { Badge, Button, Field, Input, Select, Text, makeStyles, tokens } from "@fluentui/react-components";
import { agreedVersion, signerLabels } from "@shared/templates";
import { versionToSign } from "@shared/usecases/signers";
import type { Signature } from "@shared/model/plan";
import { useApp } from "../AppContext";
import { useNameSigner, useRequestSignatures, useSignPlan, useStartPlan } from "../lib/planWrites";
import { formatDate, formatDateTime, shortDigest, todayIso } from "../lib/format";
import type { PlanView } from "../lib/types";
import { useFormStyles } from "./PlanForm";

const useStyles = makeStyles({
  list: { listStyle: "none", padding: 0, margin: 0, display: "grid", gap: tokens.spacingVerticalM },
  signer: {
    display: "grid",
    gridTemplateColumns: "minmax(180px, max-content) minmax(200px, max-content) 1fr",
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    alignItems: "start",
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  details: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  seal: { display: "inline-flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalXS },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: "anywhere" },
  sub: { color: tokens.colorNeutralForeground2 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalM, flexWrap: "wrap", alignItems: "end" },
});

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const methodWords: Record<NonNullable<Signature["method"]>, string> = { tab: "in the app", card: "from a Teams card" };

/** A seal digest: short to read, the full SHA-256 one click away and copyable. */
export function Seal({ digest, what }: { digest: string; what: string }) {
  const styles = useStyles();
  const { notify } = useApp();
  const copy = () => {
    const unavailable = () => notify("Copying is not available here: open the full digest and select it.", "info");
    // Outside a secure context (or where the host blocks it) there is no clipboard.
    if (typeof navigator.clipboard?.writeText !== "function") return unavailable();
    navigator.clipboard.writeText(digest).then(() => notify("Seal copied"), unavailable);
  };
  return (
    <div className={styles.seal} data-digest={digest}>
      <code className={styles.code} title={digest}>
        {shortDigest(digest)}
      </code>
      <Button size="small" appearance="subtle" onClick={copy} aria-label={`Copy the full seal of ${what}`}>
        Copy
      </Button>
      <details>
        <summary>
          <Text size={200}>Full digest</Text>
        </summary>
        <code className={styles.code} aria-label={`SHA-256 seal of ${what}`}>
          {digest}
        </code>
      </details>
    </div>
  );
}

/** One signature as the record holds it: when, how, which version, and its seal. */
function SignatureLine({ signature, what }: { signature: Signature; what: string }) {
  const styles = useStyles();
  return (
    <div className={styles.details}>
      <div>
        <Badge color="success" appearance="tint">
          Signed
        </Badge>{" "}
        {formatDateTime(signature.signedAt)}
        {signature.method ? ` · ${methodWords[signature.method]}` : ""} · {agreedVersion(signature.revision)}
      </div>
      {signature.digest ? (
        <div>
          <Text size={200} className={styles.sub}>
            Seal:{" "}
          </Text>
          <Seal digest={signature.digest} what={what} />
        </div>
      ) : (
        <Text size={200} className={styles.sub}>
          Signed before seals were kept: no digest.
        </Text>
      )}
    </div>
  );
}

/**
 * Ask for signatures on the version being signed now (the plan, or its amendment), with an
 * optional sign-by date; once asked, the same button only reminds, and says when it was asked.
 * Not offered when nobody is missing.
 */
export function SignatureRequestControl({ view, dirty, blockers }: { view: PlanView; dirty: boolean; blockers: number }) {
  const styles = useStyles();
  const { notify } = useApp();
  const [signBy, setSignBy] = useState("");
  const [error, setError] = useState<string>();
  const { plan } = view;
  // The answer goes into the plan's cache entry, which the editor shows.
  const request = useRequestSignatures(plan.id);
  const busy = request.isPending;
  const amendment = !!plan.amendment;
  if (!view.allowed.request_signatures || view.missingSigners.length === 0) return null;
  if (!amendment && plan.status !== "draft" && plan.status !== "awaiting_signatures") return null;
  const asked = plan.signatureRequest?.revision === versionToSign(plan) ? plan.signatureRequest : undefined;
  const unassigned = view.signers.filter((s) => !s.personId);
  const blocked = busy || dirty || (!asked && (blockers > 0 || unassigned.length > 0));

  const send = async () => {
    setError(undefined);
    try {
      const answer = await request.mutateAsync(asked || !signBy ? {} : { signBy });
      // True to what the server did: a second press the same day sends nothing more.
      notify(
        answer.alreadyAskedToday
          ? "They were asked today already: nothing more was sent. A reminder can go tomorrow."
          : asked
            ? "Reminder sent to those who have not signed"
            : "Signature requests sent",
      );
      setSignBy("");
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div data-testid="signature-request">
      {asked && (
        <Text block data-testid="asked">
          Asked for signatures {formatDateTime(asked.requestedAt)}; sign by {formatDate(asked.signBy)}.
          {asked.remindedAt.length > 0
            ? ` Reminded ${asked.remindedAt.length === 1 ? "once" : `${asked.remindedAt.length} times`}, last ${formatDateTime(asked.remindedAt.at(-1))}.`
            : ""}
        </Text>
      )}
      <div className={styles.actions}>
        {!asked && (
          <Field label="Sign by (optional)" hint="A week from today if left empty.">
            <Input type="date" min={todayIso()} value={signBy} onChange={(_, d) => setSignBy(d.value)} disabled={busy} />
          </Field>
        )}
        <Button appearance={asked ? "secondary" : "primary"} disabled={blocked} onClick={() => void send()}>
          {asked ? "Send a reminder" : amendment ? "Ask for signatures on the amendment" : "Request signatures"}
        </Button>
      </div>
      {!asked && !dirty && unassigned.length > 0 && (
        <Text block size={200} style={{ marginTop: 6 }}>
          Choose who signs as {unassigned.map((s) => s.roleLabel).join(" and ")} before asking for signatures.
        </Text>
      )}
      {!asked && !dirty && blockers > 0 && (
        <Text block size={200} style={{ marginTop: 6 }}>
          Finish the {blockers} item{blockers === 1 ? "" : "s"} listed at the top before asking for signatures.
        </Text>
      )}
      {error && (
        <Text role="alert" block style={{ marginTop: 8, color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold }}>
          {error}
        </Text>
      )}
    </div>
  );
}

export function SignaturesPanel({ view, dirty, agreeBlockers }: { view: PlanView; dirty: boolean; agreeBlockers: number }) {
  const formStyles = useFormStyles();
  const styles = useStyles();
  const { me, notify } = useApp();
  const [error, setError] = useState<string>();
  const { plan } = view;
  // Each answers the plan, which goes into its cache entry; a 409 reads the plan again (planWrites).
  const nameSigner = useNameSigner(plan.id);
  const sign = useSignPlan(plan.id);
  const start = useStartPlan(plan.id);
  const busy = nameSigner.isPending || sign.isPending || start.isPending;
  const amendment = plan.amendment;
  const revision = versionToSign(plan);
  const asked = plan.signatureRequest?.revision === revision;
  const agreed = plan.status !== "draft" && plan.status !== "awaiting_signatures" && view.validSignatures.length > 0;

  // Signed against a version that moved on (409): the editor shows the current one, to read and sign again.
  const run = async (what: () => Promise<PlanView>, done: string) => {
    setError(undefined);
    try {
      await what();
      notify(done);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const mine = view.missingSigners.filter((s) => s.personId === me.person.id);
  const canSignNow = view.allowed.sign && mine.length > 0 && (amendment ? asked : plan.status === "awaiting_signatures");
  const choicesFor = (role: string) => view.signerChoices.find((c) => c.role === role)?.people ?? [];

  return (
    <section className={formStyles.section} aria-labelledby="sec-signatures" data-section="signatures">
      <h2 id="sec-signatures" className={formStyles.h2}>
        Signatures
      </h2>
      <Text block weight="semibold" data-testid="signatures-stage">
        {view.stage}
      </Text>
      <Text block className={formStyles.guidance}>
        {amendment
          ? `The plan runs on ${agreedVersion(plan.revision)}. The amendment becomes ${agreedVersion(amendment.revision)} once everyone below has signed it.`
          : plan.status === "draft"
            ? "When the plan is ready, ask for signatures: each signer is asked in Teams and can sign here too. A signature seals this exact version."
            : plan.status === "awaiting_signatures"
              ? `Signatures are being gathered for ${agreedVersion(plan.revision)}. Changing what is agreed sends the plan back to draft, to be asked for again.`
              : agreed
                ? `Everyone signed ${agreedVersion(plan.revision)}. Changing what was agreed proposes an amendment to the same signers; the weekly evaluations, the ECT's comments and outcomes from observations are the running record and need no new signatures.`
                : ""}
      </Text>
      <ul className={styles.list} data-testid="signers">
        {view.signers.map((s) => {
          const people = choicesFor(s.role);
          const agreedSignature = amendment ? view.validSignatures.find((v) => v.role === s.role) : undefined;
          // The lead chooses among the roster's holders of the role, before anyone signs it; an amendment goes to the same signers.
          const choose =
            !amendment &&
            !s.signature &&
            s.role !== "ect" &&
            s.role !== "trainee" &&
            view.allowed.request_signatures &&
            people.length > 0 &&
            (!s.personId || people.length > 1);
          return (
            <li key={s.role} className={styles.signer} data-role={s.role}>
              <span>
                <Text weight="semibold" block>
                  {s.roleLabel}
                </Text>
                {s.alsoSignsAs.length > 0 && (
                  <Text size={200} block className={styles.sub}>
                    Also signs as {s.alsoSignsAs.map((r) => signerLabels[r]).join(" and ")}: the roster gives this person both roles
                  </Text>
                )}
              </span>
              {choose ? (
                <Select
                  aria-label={`Who signs as ${s.roleLabel}`}
                  value={s.personId ?? ""}
                  disabled={busy || dirty}
                  onChange={(_, d) => {
                    if (d.value) void run(() => nameSigner.mutateAsync({ role: s.role, personId: d.value, against: view }), `${s.roleLabel} named`);
                  }}
                >
                  {!s.personId && <option value="">No one assigned — choose…</option>}
                  {people.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </Select>
              ) : (
                <Text>{s.name ?? "No one assigned"}</Text>
              )}
              <div className={styles.details}>
                {agreedSignature && (
                  <div>
                    <Text size={200} weight="semibold" block>
                      Agreed version
                    </Text>
                    <SignatureLine signature={agreedSignature} what={`${s.roleLabel}'s signature on the agreed version`} />
                  </div>
                )}
                {amendment && (
                  <Text size={200} weight="semibold" block>
                    Amendment
                  </Text>
                )}
                {s.signature ? (
                  <SignatureLine signature={s.signature} what={`${s.roleLabel}'s signature`} />
                ) : (
                  <div>
                    <Badge color="informative" appearance="outline">
                      Not signed yet
                    </Badge>
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {agreed && view.agreedDigest && (
        <div style={{ marginTop: 12 }} data-testid="agreed-seal">
          <Text weight="semibold">Seal of {agreedVersion(plan.revision)}</Text>: <Seal digest={view.agreedDigest} what="the agreed version" />
        </div>
      )}
      {amendment && view.amendmentDigest && (
        <div style={{ marginTop: 6 }} data-testid="amendment-seal">
          <Text weight="semibold">Seal of the proposed amendment</Text> (to become {agreedVersion(amendment.revision)}):{" "}
          <Seal digest={view.amendmentDigest} what="the proposed amendment" />
        </div>
      )}
      {error && (
        <Text role="alert" className={formStyles.sectionMsg} style={{ marginTop: 8 }}>
          {error}
        </Text>
      )}
      <div className={styles.actions}>
        {canSignNow && (
          <Button
            appearance="primary"
            disabled={busy || dirty}
            onClick={() => void run(() => sign.mutateAsync({ revision }), amendment ? "Signed the amendment" : "Signed")}
          >
            {amendment ? "Sign the amendment as " : "Sign as "}
            {mine
              .map((s) => s.role)
              .map((r) => signerLabels[r])
              .join(" and ")}
          </Button>
        )}
        {view.allowed.start_plan && plan.status === "agreed" && (
          <Button disabled={busy || dirty} onClick={() => void run(() => start.mutateAsync(), "Plan started")}>
            Start the plan now
          </Button>
        )}
      </div>
      {view.allowed.sign && mine.length > 0 && !canSignNow && (
        <Text block size={200} style={{ marginTop: 6 }}>
          {amendment ? "The amendment has not been sent for signature yet." : "The plan has not been sent for signature yet."}
        </Text>
      )}
      {/* The amendment's request sits with the amendment; the plan's here. */}
      {!amendment && <SignatureRequestControl view={view} dirty={dirty} blockers={agreeBlockers} />}
      {dirty && (view.allowed.sign || view.allowed.request_signatures) && (
        <Text block size={200} style={{ marginTop: 6 }}>
          Save your changes before signing or asking for signatures.
        </Text>
      )}
    </section>
  );
}
