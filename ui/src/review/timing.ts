// Timings the Review benchmark reads (performance.getEntriesByName in the page): how long the
// sessions list takes from the engine's answer to the screen, and a session from the click to
// its transcript and scorecard on screen. Measured at the next animation frame, i.e. once the
// browser has laid the new DOM out and is about to paint it.

/** Records `name` from `start` (performance.now()) to the next frame. */
export function measureToNextFrame(name: string, start: number) {
  requestAnimationFrame(() => {
    try {
      performance.measure(name, { start, end: performance.now() });
    } catch {
      // A webview without User Timing level 3: no figure, nothing else changes.
    }
  });
}
