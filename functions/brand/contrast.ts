/** WCAG 2.x contrast ratio of two #rrggbb colours (1 to 21). */
const luminance = (hex: string): number => {
  const channel = (offset: number) => {
    const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
};

export const contrastRatio = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
};

/** Kits put white text on brand colours (buttons, bands): warn below WCAG AA's 4.5:1. */
export const contrastWarnings = (brand: { primaryColour: string; secondaryColour: string }) =>
  (['primaryColour', 'secondaryColour'] as const).flatMap((field) => {
    const ratio = contrastRatio(brand[field], '#ffffff');
    return ratio < 4.5
      ? [
          {
            path: `body.${field}`,
            message: `white text on ${brand[field]} has a contrast of ${ratio.toFixed(1)}:1; WCAG AA asks for 4.5:1 — buttons may be hard to read`,
          },
        ]
      : [];
  });
