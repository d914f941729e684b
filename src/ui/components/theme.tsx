// Colours reach components through context, not through Ink's colour props: Ink's chalk ignores
// NO_COLOR and decides from process.stdout, while our palette follows --no-color/NO_COLOR/TTY.
import { createContext, useContext } from 'react';
import { palette, type Palette } from '../colors.js';

export const PaletteContext = createContext<Palette>(palette(false));

export function usePalette(): Palette {
  return useContext(PaletteContext);
}

/** Keys every prompt shares: Esc goes back one step, Ctrl+C leaves. */
export interface PromptCallbacks<T> {
  onSubmit: (value: T) => void;
  onBack: () => void;
  onInterrupt: () => void;
}
