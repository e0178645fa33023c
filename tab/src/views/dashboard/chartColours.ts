import { DataVizPalette, getColorFromToken } from "@fluentui/react-charts";

/** One colour per level (1–6, then "no open plan"), the same in every chart and in either theme's shade. */
const levelTokens = [
  DataVizPalette.color1,
  DataVizPalette.color2,
  DataVizPalette.color3,
  DataVizPalette.color4,
  DataVizPalette.color5,
  DataVizPalette.color6,
  DataVizPalette.disabled,
];

export const levelColour = (index: number, dark: boolean) => getColorFromToken(levelTokens[index] ?? DataVizPalette.color7, dark);
