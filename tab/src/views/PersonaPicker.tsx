import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Button, Card, CardHeader, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ApiResponse } from "@shared/api/contract";

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(240px, 1fr))", gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalL },
  card: { height: "100%" },
});

/** Local mode: act as one of the demo school's people. */
export function PersonaPicker({ onPick }: { onPick: (personId: string) => Promise<void> }) {
  const styles = useStyles();
  // Before anyone is signed in, so no api client yet: a plain read, typed by the contract.
  const list = useQuery({
    queryKey: ["dev-personas"],
    queryFn: async () => {
      const r = await fetch("/api/dev/personas");
      if (!r.ok) throw new Error(`The server answered ${r.status}`);
      return ((await r.json()) as ApiResponse<"GET /api/dev/personas">).personas;
    },
  });
  const personas = list.data;
  const [busy, setBusy] = useState<string>();
  const [pickError, setError] = useState<string>();
  const error = pickError ?? list.error?.message;
  /** Signs in as that persona; a failure shows here and the cards can be used again. */
  const pick = async (personId: string) => {
    setBusy(personId);
    try {
      await onPick(personId);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(undefined);
    }
  };
  return (
    <section aria-labelledby="persona-title">
      <h1 id="persona-title">Choose who you are</h1>
      <Text>Local demo mode: pick a persona from the demo school. In Teams you are signed in automatically.</Text>
      {error && <Text role="alert">Could not load the personas: {error}</Text>}
      {!personas && !error && <Spinner label="Loading personas…" />}
      <ul className={styles.grid} style={{ listStyle: "none", padding: 0 }}>
        {personas?.map((p) => (
          <li key={p.id}>
            <Card className={styles.card}>
              <CardHeader header={<Text weight="semibold">{p.displayName}</Text>} description={<Text>{p.roleLabels.join(", ")}</Text>} />
              <Button
                appearance="primary"
                disabled={!!busy}
                aria-label={`Continue as ${p.displayName}, ${p.roleLabels.join(", ")}`}
                onClick={() => void pick(p.id)}
              >
                {busy === p.id ? "Signing in…" : "Continue"}
              </Button>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}
