import { useState } from "react";
import { Button, Field, Radio, RadioGroup, Text, Textarea } from "@fluentui/react-components";
import { Controller, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { RaiseConcernInput } from "@shared/usecases/raiseConcern";
import { useApp } from "../AppContext";
import { formatDateTime } from "../lib/format";
import { useConcerns, useRaiseConcern } from "../lib/queries";
import { errorMessage } from "./http";

type ConcernForm = z.input<typeof RaiseConcernInput>;

/**
 * An ECT raises a concern privately (seed 003, "Raising concerns"): to the induction tutor
 * first, or to the appropriate body's named contact. Only the ECT and that contact can read it.
 * The form is checked with the server's own schema (RaiseConcernInput) before it is sent.
 */
export function ConcernsPanel({ ectId }: { ectId: string }) {
  const { notify } = useApp();
  const { data } = useConcerns(ectId);
  const raise = useRaiseConcern(ectId);
  const [error, setError] = useState<string>();
  const { control, handleSubmit, reset, formState } = useForm<ConcernForm, unknown, z.output<typeof RaiseConcernInput>>({
    resolver: zodResolver(RaiseConcernInput),
    defaultValues: { contact: "induction_tutor", text: "" },
  });
  const [contactValue, text] = useWatch({ control, name: ["contact", "text"] });
  if (!data) return null;
  const contacts = data.contacts;
  const contact = contactValue ?? "induction_tutor";

  const submit = handleSubmit(async (body) => {
    setError(undefined);
    try {
      await raise.mutateAsync(body);
      reset({ contact: body.contact, text: "" });
      notify("Your concern was sent privately");
    } catch (e) {
      setError(errorMessage(e));
    }
  });
  const textError = formState.errors.text?.message ?? error;

  return (
    <section aria-labelledby="concerns-title" style={{ marginTop: 24 }}>
      <h2 id="concerns-title" style={{ fontSize: 20, margin: "24px 0 8px" }}>
        {contacts ? "Raise a concern" : "Concerns raised with you"}
      </h2>
      {contacts && (
        <>
          <Text block>Private: only you and the person you choose can read it. {contacts.guidance[contact]}</Text>
          <Controller
            control={control}
            name="contact"
            render={({ field }) => (
              <RadioGroup
                aria-label="Who should receive your concern"
                value={field.value ?? "induction_tutor"}
                onChange={(_, d) => field.onChange(d.value)}
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
            )}
          />
          <Controller
            control={control}
            name="text"
            render={({ field }) => (
              <Field label="Your concern" validationMessage={textError} validationState={textError ? "error" : "none"}>
                <Textarea value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} resize="vertical" />
              </Field>
            )}
          />
          <Button appearance="primary" style={{ marginTop: 8 }} disabled={formState.isSubmitting || !text.trim()} onClick={() => void submit()}>
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
