import type { Theme } from '../bindings/Theme';

/**
 * Applies the theme: `data-theme` on the root element picks the CSS variables in styles.css;
 * "system" leaves it out, so `prefers-color-scheme` decides.
 */
export function applyTheme(theme: Theme, root: { dataset: DOMStringMap } = document.documentElement) {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
