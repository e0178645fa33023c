import { useCallback, useEffect, useRef, useState } from "react";
import { Field, Input, MessageBar, MessageBarBody, Text } from "@fluentui/react-components";
import { pages } from "@microsoft/teams-js";
import type { TeamsHost } from "../lib/teamsHost";

/** What the channel tab shows: the caseload, the same page as the personal tab. */
export const channelTabEntityId = "caseload";
export const defaultTabName = "ECT support plans";

export function channelTabConfig(origin: string, name: string) {
  return {
    entityId: channelTabEntityId,
    contentUrl: `${origin}/?host=teams`,
    websiteUrl: `${origin}/`,
    suggestedDisplayName: name.trim(),
  };
}

/**
 * The configurable channel tab's settings page (manifest `configurationUrl`: /config). Teams shows
 * it when someone adds the tab to a channel; its Save button stays disabled until the page says
 * the settings are valid, then `registerOnSaveHandler` stores where the tab points.
 */
export default function ConfigPage({ host, origin = location.origin }: { host: TeamsHost | undefined; origin?: string }) {
  const [name, setName] = useState(defaultTabName);
  const [error, setError] = useState<string>();
  /** The name Teams saves: kept current by the input's change handler, read when Teams asks to save. */
  const nameRef = useRef(name);
  const valid = name.trim().length > 0 && name.trim().length <= 100;

  useEffect(() => {
    document.title = "Add ECT support plans to this channel";
  }, []);

  /**
   * Teams' save handler is registered while the page is mounted: a ref callback on the page, so a
   * registration Teams refuses is shown as soon as the page is committed (the handler itself
   * reports a failed save when Teams asks to save).
   */
  const registerWithTeams = useCallback(
    (page: HTMLElement | null) => {
      if (!page || !host) return;
      try {
        pages.config.registerOnSaveHandler((event) => {
          pages.config
            .setConfig(channelTabConfig(origin, nameRef.current))
            .then(() => event.notifySuccess())
            .catch((e: unknown) => {
              const message = e instanceof Error ? e.message : String(e);
              setError(`Teams could not save the tab: ${message}`);
              event.notifyFailure(message);
            });
        });
      } catch (e) {
        setError(`Teams did not accept the settings page: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    [host, origin],
  );

  useEffect(() => {
    if (!host) return;
    try {
      pages.config.setValidityState(valid);
    } catch {
      // not in a settings frame: nothing to tell
    }
  }, [host, valid]);

  return (
    <section ref={registerWithTeams} aria-labelledby="config-title" style={{ maxWidth: 640 }}>
      <h1 id="config-title" style={{ marginTop: 0 }}>
        Add ECT support plans to this channel
      </h1>
      <Text block>
        The tab shows the caseload of early career teachers on support plans. Each person who opens it signs in with their own account and sees only the ECTs
        their role in your school covers.
      </Text>
      {!host && (
        <MessageBar intent="info" style={{ marginTop: 12 }}>
          <MessageBarBody>This page is used by Microsoft Teams when the app is added to a channel.</MessageBarBody>
        </MessageBar>
      )}
      <Field
        label="Tab name"
        required
        style={{ marginTop: 16, maxWidth: 400 }}
        validationState={valid ? "none" : "error"}
        validationMessage={valid ? undefined : "Give the tab a name (at most 100 characters)."}
      >
        <Input
          value={name}
          onChange={(_, d) => {
            nameRef.current = d.value;
            setName(d.value);
          }}
        />
      </Field>
      {error && (
        <Text role="alert" block style={{ marginTop: 12, color: "var(--colorPaletteRedForeground1)" }}>
          {error}
        </Text>
      )}
      {host && valid && !error && (
        <Text block style={{ marginTop: 12 }}>
          Select Save to add the tab.
        </Text>
      )}
    </section>
  );
}
