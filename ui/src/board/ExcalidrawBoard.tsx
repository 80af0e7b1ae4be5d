// The Excalidraw editor and everything that needs its module: inserting library components,
// connecting them, serialising the scene, exporting images. Loaded lazily (a large chunk), so
// the app starts without it. `./assetPath` comes first: it points Excalidraw at bundled fonts.
import './assetPath';
import {
  CaptureUpdateAction,
  convertToExcalidrawElements,
  Excalidraw,
  exportToBlob,
  exportToSvg,
  MainMenu,
  newElementWith,
  serializeAsJSON,
  viewportCoordsToSceneCoords,
  WelcomeScreen,
} from '@excalidraw/excalidraw';
import '@excalidraw/excalidraw/index.css';
import type { ExcalidrawElement, ExcalidrawLinearElement } from '@excalidraw/excalidraw/element/types';
import type { ExcalidrawImperativeAPI, ExcalidrawInitialDataState } from '@excalidraw/excalidraw/types';
import { useEffect, useRef } from 'react';
import type { ComponentKind } from '../bindings/ComponentKind';
import { componentSkeleton, COMPONENT_HEIGHT, COMPONENT_WIDTH } from './scene';

/** What the rest of the app (and the E2E test, as window.__rehearseBoard) does with the board. */
export interface BoardHandle {
  api: ExcalidrawImperativeAPI;
  /** Adds a labelled component; centred on the scene point, or in view when none. Returns its id. */
  addComponent: (kind: ComponentKind, label: string, at?: { x: number; y: number }) => string;
  /** Adds a component where a drag from the palette was dropped (viewport coordinates). */
  dropComponent: (kind: ComponentKind, label: string, clientX: number, clientY: number) => string;
  /** An arrow from one shape to another, bound to both (it follows them when they move). */
  connect: (fromId: string, toId: string, label?: string) => string;
  /** The live scene as .excalidraw JSON (deleted elements left out). */
  sceneJson: () => string;
  /** The sum-of-versions change marker of the scene, deleted elements included. */
  elementsVersion: () => number;
  exportSvg: () => Promise<string>;
  exportPng: () => Promise<Blob>;
}

declare global {
  interface Window {
    __rehearseBoard?: BoardHandle;
  }
}

interface Props {
  initialData: ExcalidrawInitialDataState | null;
  onReady: (handle: BoardHandle | null) => void;
  onChange: () => void;
}

export default function ExcalidrawBoard({ initialData, onReady, onChange }: Props) {
  const onReadyRef = useRef(onReady);
  useEffect(() => {
    onReadyRef.current = onReady;
  }, [onReady]);

  useEffect(
    () => () => {
      onReadyRef.current(null);
      delete window.__rehearseBoard;
    },
    [],
  );

  const bind = (api: ExcalidrawImperativeAPI) => {
    const addAt = (kind: ComponentKind, label: string, x: number, y: number) => {
      const created = convertToExcalidrawElements([componentSkeleton(kind, label, x, y)]);
      const shape = created[0];
      if (!shape) throw new Error('Excalidraw made no element for the component');
      api.updateScene({
        elements: [...api.getSceneElementsIncludingDeleted(), ...created],
        appState: { selectedElementIds: { [shape.id]: true } },
        captureUpdate: CaptureUpdateAction.IMMEDIATELY,
      });
      return shape.id;
    };
    const handle: BoardHandle = {
      api,
      addComponent: (kind, label, at) => {
        if (at) return addAt(kind, label, at.x, at.y);
        const { x, y } = freeSpotInView(api);
        return addAt(kind, label, x, y);
      },
      dropComponent: (kind, label, clientX, clientY) => {
        const s = api.getAppState();
        const { x, y } = viewportCoordsToSceneCoords({ clientX, clientY }, s);
        return addAt(kind, label, x, y);
      },
      connect: (fromId, toId, label) => {
        const all = api.getSceneElementsIncludingDeleted();
        const from = all.find((e) => e.id === fromId && !e.isDeleted);
        const to = all.find((e) => e.id === toId && !e.isDeleted);
        if (!from || !to) throw new Error(`no shape ${from ? toId : fromId} on the board`);
        // Excalidraw binds an arrow to shapes of the same batch; give it copies to bind to,
        // keep only the arrow (and its label), and record the binding on the real shapes.
        const shapeSkeleton = (e: ExcalidrawElement) =>
          ({ type: 'rectangle', id: e.id, x: e.x, y: e.y, width: e.width, height: e.height }) as const;
        const { start, end } = facingSides(from, to);
        const made = convertToExcalidrawElements(
          [
            shapeSkeleton(from),
            shapeSkeleton(to),
            {
              type: 'arrow',
              x: start.x,
              y: start.y,
              width: end.x - start.x,
              height: end.y - start.y,
              // Explicit points: a zero width or height would otherwise become Excalidraw's default 100.
              points: [
                [0, 0],
                [end.x - start.x, end.y - start.y],
              ] as unknown as ExcalidrawLinearElement['points'],
              start: { id: from.id },
              end: { id: to.id },
              strokeWidth: 2,
              ...(label ? { label: { text: label, fontSize: 16 } } : {}),
            },
          ],
          { regenerateIds: false },
        );
        const arrow = made.find((e) => e.type === 'arrow');
        if (!arrow) throw new Error('Excalidraw made no arrow');
        const arrowText = made.filter((e) => e.type === 'text' && 'containerId' in e && e.containerId === arrow.id);
        const elements = all.map((e) =>
          e.id === fromId || e.id === toId
            ? newElementWith(e, { boundElements: [...(e.boundElements ?? []), { id: arrow.id, type: 'arrow' as const }] })
            : e,
        );
        api.updateScene({
          elements: [...elements, arrow, ...arrowText],
          captureUpdate: CaptureUpdateAction.IMMEDIATELY,
        });
        return arrow.id;
      },
      sceneJson: () => serializeAsJSON(api.getSceneElements(), api.getAppState(), api.getFiles(), 'local'),
      elementsVersion: () => {
        let sum = 0;
        const all = api.getSceneElementsIncludingDeleted();
        for (const e of all) sum += e.version;
        return sum * 1_000 + all.length;
      },
      exportSvg: async () => {
        const svg = await exportToSvg({
          elements: api.getSceneElements(),
          appState: { ...api.getAppState(), exportBackground: true, exportWithDarkMode: false },
          files: api.getFiles(),
          exportPadding: 24,
          // Inlining means subsetting the fonts with Excalidraw's WebAssembly, whose Emscripten
          // glue builds functions with eval: the CSP refuses it. The SVG names its fonts instead.
          skipInliningFonts: true,
        });
        return new XMLSerializer().serializeToString(svg);
      },
      exportPng: () =>
        exportToBlob({
          elements: api.getSceneElements(),
          appState: { ...api.getAppState(), exportBackground: true, exportWithDarkMode: false, exportScale: 2 },
          files: api.getFiles(),
          mimeType: 'image/png',
          exportPadding: 24,
        }),
    };
    // Always set: the E2E test drives the board through it, and it gives nothing a page
    // script could not do with the mouse.
    window.__rehearseBoard = handle;
    onReadyRef.current(handle);
  };

  return (
    <Excalidraw
      excalidrawAPI={bind}
      initialData={initialData}
      onChange={onChange}
      aiEnabled={false}
      UIOptions={{
        canvasActions: { export: false, saveAsImage: false, saveToActiveFile: false, loadScene: false },
        tools: { image: false },
      }}
    >
      <MainMenu>
        <MainMenu.DefaultItems.ClearCanvas />
        <MainMenu.DefaultItems.ToggleTheme />
        <MainMenu.DefaultItems.ChangeCanvasBackground />
        <MainMenu.DefaultItems.Help />
      </MainMenu>
      <WelcomeScreen>
        <WelcomeScreen.Hints.ToolbarHint />
        <WelcomeScreen.Hints.HelpHint />
        <WelcomeScreen.Center>
          <WelcomeScreen.Center.Heading>
            Drag components from the library on the left, or draw your own: a box labelled “Redis” counts as a cache.
          </WelcomeScreen.Center.Heading>
        </WelcomeScreen.Center>
      </WelcomeScreen>
    </Excalidraw>
  );
}

type Box = { x: number; y: number; width: number; height: number };

/** Arrow end points on the sides of two boxes that face each other (Excalidraw then binds them). */
function facingSides(a: Box, b: Box) {
  const ca = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  const cb = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const dx = cb.x - ca.x;
  const dy = cb.y - ca.y;
  if (Math.abs(dx) / (a.width + b.width) >= Math.abs(dy) / (a.height + b.height)) {
    const sign = Math.sign(dx) || 1;
    return {
      start: { x: ca.x + (sign * a.width) / 2, y: ca.y },
      end: { x: cb.x - (sign * b.width) / 2, y: cb.y },
    };
  }
  const sign = Math.sign(dy) || 1;
  return {
    start: { x: ca.x, y: ca.y + (sign * a.height) / 2 },
    end: { x: cb.x, y: cb.y - (sign * b.height) / 2 },
  };
}

/**
 * The centre of the first free cell, in reading order, of a grid over the visible part of the
 * board, so that a component added by a click lands in view and on nothing else; the middle of
 * the view when the view is full.
 */
function freeSpotInView(api: ExcalidrawImperativeAPI) {
  const s = api.getAppState();
  const zoom = s.zoom.value;
  const view = { x: -s.scrollX, y: -s.scrollY, width: s.width / zoom, height: s.height / zoom };
  const cellW = COMPONENT_WIDTH + 80;
  const cellH = COMPONENT_HEIGHT + 60;
  // Keep clear of Excalidraw's toolbar (top) and footer (bottom), which float over the canvas.
  const top = view.y + 90 / zoom;
  const bottom = view.y + view.height - 70 / zoom;
  const taken = api.getSceneElements().map((e) => ({ x: e.x, y: e.y, width: e.width, height: e.height }));
  const overlaps = (b: Box) =>
    taken.some(
      (t) =>
        b.x < Math.max(t.x, t.x + t.width) &&
        Math.min(t.x, t.x + t.width) < b.x + b.width &&
        b.y < Math.max(t.y, t.y + t.height) &&
        Math.min(t.y, t.y + t.height) < b.y + b.height,
    );
  for (let y = top; y + cellH <= bottom; y += cellH) {
    for (let x = view.x + 20 / zoom; x + cellW <= view.x + view.width; x += cellW) {
      if (!overlaps({ x, y, width: cellW, height: cellH })) return { x: x + cellW / 2, y: y + cellH / 2 };
    }
  }
  return { x: view.x + view.width / 2, y: view.y + view.height / 2 };
}
