import { useEffect, useEffectEvent, type MouseEvent } from "react";
import { Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { Plan } from "../lib/types";

/** The Save button's id: the "Skip to Save" link and Ctrl+S find it by this. */
export const SAVE_BUTTON_ID = "plan-save";

const useStyles = makeStyles({
  bar: {
    position: "sticky",
    bottom: 0,
    zIndex: 5,
    display: "flex",
    gap: tokens.spacingHorizontalM,
    alignItems: "center",
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke1}`,
    boxShadow: tokens.shadow16,
    marginTop: tokens.spacingVerticalL,
  },
  grow: { flexGrow: 1 },
  // Off screen until focused: the keyboard's way past the whole form to Save, a mouse never needs it.
  skip: {
    position: "absolute",
    left: "-9999px",
    ":focus": { position: "static", padding: `0 ${tokens.spacingHorizontalS}`, backgroundColor: tokens.colorNeutralBackground1 },
  },
});

/** Why Save cannot run now, in the words its button shows; undefined when it can. */
export function whySaveIsOff(s: { dirty: boolean; saving: boolean; blockers: number; conflict: boolean }): string | undefined {
  if (s.saving) return "Saving…";
  if (s.blockers > 0) return "Fix the errors to save";
  if (s.conflict) return "Choose which changes to keep first";
  if (!s.dirty) return "No changes to save";
  return undefined;
}

/**
 * Ctrl+S (Cmd+S on a Mac) saves from anywhere in the editor, as clicking Save does; the browser's
 * own "save page" dialog never opens while the editor is shown.
 */
export function useSaveShortcut(onSave: () => void): void {
  const run = useEffectEvent(onSave);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        if (!e.repeat) run();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

const focusSave = (e: MouseEvent<HTMLAnchorElement>) => {
  e.preventDefault();
  document.getElementById(SAVE_BUTTON_ID)?.focus();
};

/** Right after the editor's heading: one Tab, then Enter, and the keyboard is on Save. */
export function SkipToSave() {
  const styles = useStyles();
  return (
    <a href={`#${SAVE_BUTTON_ID}`} className={styles.skip} onClick={focusSave}>
      Skip to Save (Ctrl+S)
    </a>
  );
}

/** What saving does to a plan that was sent or signed, said before the user saves. */
export function saveEffect(plan: Plan, s: { dirty: boolean; changesAgreement: boolean; backToAgreed: boolean }): string | undefined {
  const amendable = plan.status === "agreed" || plan.status === "active";
  if (!s.dirty || !(amendable || plan.status === "awaiting_signatures")) return undefined;
  if (!s.changesAgreement) return "Running record only: saved onto the plan, no new signatures needed.";
  if (plan.status === "awaiting_signatures") return "This changes what was sent for signature: the plan goes back to draft, to be asked for again.";
  if (s.backToAgreed) return "This brings the agreement back to what was signed: saving withdraws the amendment.";
  if (plan.amendment) return "This revises the proposed amendment; the plan runs on as agreed.";
  return "This changes what was agreed: saving proposes an amendment for the same signers; the plan runs on as agreed meanwhile.";
}

interface SaveBarProps {
  saving: boolean;
  dirty: boolean;
  /** What saving does to a signed or sent plan; undefined when it says nothing more than "saved". */
  effect: string | undefined;
  error: string | undefined;
  /** Why Save is off (whySaveIsOff); undefined when it saves. */
  off: string | undefined;
  onSave: () => void;
  onDiscard: () => void;
}

/** The editor's save bar, kept in view at the bottom: state, what saving does, Discard and Save. */
export function SaveBar({ saving, dirty, effect, error, off, onSave, onDiscard }: SaveBarProps) {
  const styles = useStyles();
  return (
    <div className={styles.bar} role="region" aria-label="Save">
      <Text aria-live="polite" data-testid="save-state">
        {saving ? "Saving…" : dirty ? "Unsaved changes (kept on this device until you save)" : "All changes saved"}
      </Text>
      {effect && (
        <Text size={200} data-testid="save-effect">
          {effect}
        </Text>
      )}
      <span className={styles.grow} />
      {error && (
        <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
          {error}
        </Text>
      )}
      {dirty && (
        <Button disabled={saving} onClick={onDiscard}>
          Discard changes
        </Button>
      )}
      {/* Focusable even when off, so the skip link and Tab reach it and it says why it is off. */}
      <Button id={SAVE_BUTTON_ID} appearance="primary" disabledFocusable={!!off} aria-keyshortcuts="Control+S Meta+S" onClick={onSave}>
        {off === "Fix the errors to save" ? off : "Save"}
      </Button>
    </div>
  );
}
