import { Button, ToggleButton, makeStyles, tokens } from "@fluentui/react-components";
import { tileMatches, type CaseloadTile } from "../lib/caseload";
import type { CaseloadRow } from "../lib/types";

const tiles: { tile: CaseloadTile; label: string }[] = [
  { tile: "all", label: "ECTs" },
  { tile: "on_plan", label: "on a plan" },
  { tile: "level_4_up", label: "at Level 4 or above" },
  { tile: "attention", label: "need attention" },
];

const useStyles = makeStyles({
  summary: { display: "flex", gap: tokens.spacingHorizontalL, flexWrap: "wrap", alignItems: "center", marginBottom: tokens.spacingVerticalM },
  stat: {
    flexDirection: "column",
    alignItems: "flex-start",
    minWidth: "120px",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    boxShadow: tokens.shadow2,
    fontWeight: tokens.fontWeightRegular,
  },
  statNum: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold, display: "block" },
});

/**
 * The caseload's counts, each a toggle that filters the list to what it counts (over the whole
 * caseload, so a count never shrinks under its own filter). Pressing the pressed tile, the
 * "ECTs" tile, or "Show all" clears the filter.
 */
export function CaseloadTiles({ rows, tile, onTile }: { rows: CaseloadRow[]; tile: CaseloadTile; onTile: (t: CaseloadTile) => void }) {
  const styles = useStyles();
  return (
    <div className={styles.summary} role="group" aria-label="Filter the list by">
      {tiles.map((t) => (
        <ToggleButton
          key={t.tile}
          className={styles.stat}
          appearance={tile === t.tile ? "primary" : "secondary"}
          checked={tile === t.tile}
          onClick={() => onTile(tile === t.tile ? "all" : t.tile)}
        >
          <span className={styles.statNum}>{rows.filter(tileMatches[t.tile]).length}</span>
          {t.label}
        </ToggleButton>
      ))}
      {tile !== "all" && (
        <Button appearance="transparent" onClick={() => onTile("all")}>
          Show all ECTs
        </Button>
      )}
    </div>
  );
}
