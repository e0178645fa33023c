import { useCallback, useEffect, useState } from "react";
import { Button, Field, Radio, RadioGroup, Text, Textarea } from "@fluentui/react-components";
import type { ConcernRecord } from "@shared/model/inductionRecords";
import { useApp } from "../AppContext";
import { formatDateTime } from "../lib/format";

interface Contact {
  id: string;
  name: string;
  email: string;
}
interface ConcernsResponse {
  concerns: ConcernRecord[];
  /** Sent to the ECT only: who their concern can go to. */
  contacts?: { inductionTutor?: Contact; appropriateBody: Contact[]; guidance: Record<"induction_tutor" | "appropriate_body", string> };
}

/**
 * An ECT raises a concern privately (seed 003, "Raising concerns"): to the induction tutor
 * first, or to the appropriate body's named contact. Only the ECT and that contact can read it.
 */
export function ConcernsPanel({ ectId }: { ectId: string }) {
  const { api, notify } = useApp();
  const [data, setData] = useState<ConcernsResponse>();
  const [contact, setContact] = useState<"induction_tutor" | "appropriate_body">("induction_tutor");
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const base = `/api/ects/${encodeURIComponent(ectId)}/concerns`;
  const load = useCallback(() => {
    api.get<ConcernsResponse>(base).then(setData, () => setData(undefined));
  }, [api, base]);
  useEffect(load, [load]);
  if (!data) return null;
  const contacts = data.contacts;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.send("POST", base, { contact, text });
      setText("");
      notify("Your concern was sent privately");
      load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="concerns-title" style={{ marginTop: 24 }}>
      <h2 id="concerns-title" style={{ fontSize: 20, margin: "24px 0 8px" }}>
        {contacts ? "Raise a concern" : "Concerns raised with you"}
      </h2>
      {contacts && (
        <>
          <Text block>Private: only you and the person you choose can read it. {contacts.guidance[contact]}</Text>
          <RadioGroup
            aria-label="Who should receive your concern"
            value={contact}
            onChange={(_, d) => setContact(d.value as typeof contact)}
            layout="horizontal"
          >
            <Radio
              value="induction_tutor"
              label={`Your induction tutor${contacts.inductionTutor ? ` (${contacts.inductionTutor.name})` : ""}`}
              disabled={!contacts.inductionTutor}
            />
            <Radio
              value="appropriate_body"
              label={`The appropriate body${contacts.appropriateBody[0] ? ` (${contacts.appropriateBody.map((c) => c.name).join(", ")})` : ""}`}
              disabled={contacts.appropriateBody.length === 0}
            />
          </RadioGroup>
          <Field label="Your concern" validationMessage={error} validationState={error ? "error" : "none"}>
            <Textarea value={text} onChange={(_, d) => setText(d.value)} resize="vertical" />
          </Field>
          <Button appearance="primary" style={{ marginTop: 8 }} disabled={busy || !text.trim()} onClick={() => void submit()}>
            Send privately
          </Button>
        </>
      )}
      {data.concerns.length === 0 ? (
        <Text block style={{ marginTop: 8 }}>
          {contacts ? "You have not raised any concerns." : "None."}
        </Text>
      ) : (
        <ul style={{ paddingLeft: 20 }}>
          {data.concerns.map((c) => (
            <li key={c.id} data-testid="concern">
              <Text block size={200}>
                {formatDateTime(c.recordedAt)} · to {c.contact === "induction_tutor" ? "the induction tutor" : "the appropriate body"}
              </Text>
              <Text block>{c.text}</Text>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
