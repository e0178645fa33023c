// Draws the two app icons into appPackage/ (run once: `node scripts/makeIcons.mjs`; the PNGs are
// committed, so packaging never needs this). The mark: a person standing at the top of three steps —
// the escalation ladder read the other way up: support that gets an ECT back on track.
//   color.png   192×192, white mark on the accent colour (full bleed; Teams rounds the corners)
//   outline.png  32×32,  white mark on transparent, as Teams requires
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodePng } from "./png.mjs";

export const accent = [0x0e, 0x6b, 0x78]; // #0E6B78, white on it is 6:1 contrast

/** Coverage of a pixel by the shapes, by 8×8 supersampling, so edges are smooth. */
function draw(size, shapes, background) {
  const rgba = new Uint8Array(size * size * 4);
  const n = 8;
  const inside = (x, y) =>
    shapes.some((s) =>
      s.kind === "circle"
        ? (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2
        : (() => {
            // rounded rectangle
            const qx = Math.max(s.x + s.r - x, 0, x - (s.x + s.w - s.r));
            const qy = Math.max(s.y + s.r - y, 0, y - (s.y + s.h - s.r));
            return x >= s.x && x <= s.x + s.w && y >= s.y && y <= s.y + s.h && qx * qx + qy * qy <= s.r * s.r;
          })(),
    );
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) if (inside(px + (sx + 0.5) / n, py + (sy + 0.5) / n)) hits++;
      const cover = hits / (n * n);
      const i = (py * size + px) * 4;
      if (background) {
        // white mark blended over the opaque background
        for (let k = 0; k < 3; k++) rgba[i + k] = Math.round(background[k] * (1 - cover) + 255 * cover);
        rgba[i + 3] = 255;
      } else {
        // white mark on transparent: colour stays white, only alpha varies
        rgba[i] = rgba[i + 1] = rgba[i + 2] = 255;
        rgba[i + 3] = Math.round(255 * cover);
      }
    }
  }
  return encodePng(size, size, rgba);
}

/**
 * A staircase of three steps with a person standing on the top one. Steps overlap by twice their corner
 * radius so the staircase reads as one shape with no notches at the joins.
 */
function mark({ left, bottom, stepW, heights, r, bodyW, bodyH, bodyGap, headR, headGap }) {
  const steps = heights.map((h, i) => ({ kind: "rect", x: left + i * stepW, y: bottom - h, w: stepW + (i < heights.length - 1 ? 2 * r : 0), h, r }));
  const top = steps[steps.length - 1];
  const cx = top.x + stepW / 2;
  const body = { kind: "rect", x: cx - bodyW / 2, y: top.y - bodyGap - bodyH, w: bodyW, h: bodyH, r: bodyW / 2.2 };
  const head = { kind: "circle", cx, cy: body.y - headGap - headR, r: headR };
  return [...steps, body, head];
}

export function colorIcon() {
  // About 120×140 centred in the 192 square, inside the safe area.
  return draw(192, mark({ left: 36, bottom: 158, stepW: 40, heights: [30, 58, 86], r: 6, bodyW: 32, bodyH: 34, bodyGap: 4, headR: 12, headGap: 3 }), accent);
}

export function outlineIcon() {
  // Fitted to whole pixels at 32×32 so the steps stay crisp.
  return draw(32, mark({ left: 3, bottom: 30, stepW: 9, heights: [6, 11, 16], r: 1, bodyW: 7, bodyH: 6, bodyGap: 1, headR: 2.5, headGap: 0.5 }), undefined);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL("../appPackage/", import.meta.url);
  writeFileSync(new URL("color.png", dir), colorIcon());
  writeFileSync(new URL("outline.png", dir), outlineIcon());
  process.stdout.write("wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32)\n");
}
