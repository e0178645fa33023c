import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { Violation } from "../lib/types";

/**
 * Warnings that came back with a saved review (issue 16 item 6): it was saved, but something is
 * worth a second look — on track, yet a standard rated "Cause for concern".
 */
export function SavedWarnings({ warnings }: { warnings: readonly Violation[] }) {
  if (warnings.length === 0) return null;
  return (
    <MessageBar intent="warning" layout="multiline" role="status" data-testid="saved-warnings">
      <MessageBarBody>
        <MessageBarTitle>Saved, with {warnings.length === 1 ? "a warning" : `${warnings.length} warnings`}</MessageBarTitle>
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {warnings.map((w) => (
            <li key={w.path + w.code}>{w.message}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
