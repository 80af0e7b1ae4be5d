// Pure helpers for the whiteboard: how a library component looks when dropped on the board,
// when a scene has changed enough to send, and which stored board state a playback time shows.
// No Excalidraw import here (it is a large lazy chunk), so this stays cheap and unit-tested.
import type { ComponentKind } from '../bindings/ComponentKind';

/** The fields of an Excalidraw element this module reads. */
export interface ElementLike {
  id: string;
  type: string;
  version: number;
  isDeleted?: boolean;
  customData?: Record<string, unknown> | null;
}

/** Where a shape's component type lives (read by crates/board). */
export const TYPE_KEY = 'rehearseType';

/** A family of components shares a colour, so a board reads at a glance. */
type Family = 'edge' | 'compute' | 'messaging' | 'data' | 'ai' | 'external' | 'ops';

const FAMILY: Record<Exclude<ComponentKind, 'unknown'>, Family> = {
  client: 'edge',
  cdn: 'edge',
  load_balancer: 'edge',
  api_gateway: 'edge',
  service: 'compute',
  worker: 'compute',
  queue: 'messaging',
  cache: 'data',
  relational_db: 'data',
  document_store: 'data',
  vector_store: 'data',
  object_storage: 'data',
  search_index: 'data',
  llm: 'ai',
  embedding_model: 'ai',
  reranker: 'ai',
  external_api: 'external',
  monitoring: 'ops',
};

/** Excalidraw's own palette (light fill, matching stroke), so exported boards look native. */
const FAMILY_COLOURS: Record<Family, { stroke: string; fill: string }> = {
  edge: { stroke: '#1971c2', fill: '#a5d8ff' },
  compute: { stroke: '#2f9e44', fill: '#b2f2bb' },
  messaging: { stroke: '#e8590c', fill: '#ffd8a8' },
  data: { stroke: '#6741d9', fill: '#d0bfff' },
  ai: { stroke: '#c2255c', fill: '#fcc2d7' },
  external: { stroke: '#495057', fill: '#e9ecef' },
  ops: { stroke: '#0c8599', fill: '#99e9f2' },
};

export interface ComponentLook {
  shape: 'rectangle' | 'ellipse' | 'diamond';
  stroke: string;
  fill: string;
}

/** How a component of this kind is drawn: stores are ellipses, queues diamonds, the rest boxes. */
export function componentLook(kind: ComponentKind): ComponentLook {
  const family: Family = kind === 'unknown' ? 'external' : FAMILY[kind];
  const { stroke, fill } = FAMILY_COLOURS[family];
  const shape = kind === 'queue' ? 'diamond' : family === 'data' ? 'ellipse' : 'rectangle';
  return { shape, stroke, fill };
}

export const COMPONENT_WIDTH = 180;
export const COMPONENT_HEIGHT = 80;

/**
 * The element skeleton (for Excalidraw's convertToExcalidrawElements) of a library component:
 * a labelled shape centred on (cx, cy) whose customData says its type.
 */
export function componentSkeleton(kind: ComponentKind, label: string, cx: number, cy: number) {
  const look = componentLook(kind);
  // A diamond's or an ellipse's text box is smaller than its bounds: give it room for two words.
  const extra = look.shape === 'diamond' ? [60, 40] : look.shape === 'ellipse' ? [60, 20] : [0, 0];
  const width = COMPONENT_WIDTH + (extra[0] ?? 0);
  const height = COMPONENT_HEIGHT + (extra[1] ?? 0);
  return {
    type: look.shape,
    x: Math.round(cx - width / 2),
    y: Math.round(cy - height / 2),
    width,
    height,
    strokeColor: look.stroke,
    backgroundColor: look.fill,
    fillStyle: 'solid' as const,
    strokeWidth: 2,
    roundness: look.shape === 'rectangle' ? { type: 3 as const } : null,
    customData: { [TYPE_KEY]: kind },
    label: { text: label, fontSize: 20 },
  };
}

/**
 * A number that changes whenever any element changes (Excalidraw bumps an element's version
 * on every edit, deletion included). Cheaper than serialising the scene to compare it.
 */
export function elementsVersion(elements: readonly ElementLike[]): number {
  let sum = 0;
  for (const e of elements) sum += e.version;
  // The count guards against one element added while another's version is rolled back.
  return sum * 1_000 + elements.length;
}

/** The component type a shape carries, if any. */
export function elementKind(element: ElementLike): string | null {
  const value = element.customData?.[TYPE_KEY];
  return typeof value === 'string' ? value : null;
}

/**
 * Which stored board state is shown at `timeS`: the index of the last change at or before it
 * (-1 before the first). `times` ascending, in seconds from the session's start.
 */
export function changeIndexAt(times: readonly number[], timeS: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? Infinity) <= timeS) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A file name for an exported board: the prompt and the time, no characters a shell minds. */
export function exportName(base: string, when: Date): string {
  const slug = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const stamp = when.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${slug || 'board'}-${stamp}`;
}
