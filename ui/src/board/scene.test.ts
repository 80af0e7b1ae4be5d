import { describe, expect, it } from 'vitest';
import { changeIndexAt, componentLook, componentSkeleton, elementKind, elementsVersion, exportName } from './scene';

describe('componentSkeleton', () => {
  it('centres a labelled shape that carries its type', () => {
    const s = componentSkeleton('service', 'API service', 500, 300);
    expect(s.type).toBe('rectangle');
    expect(s.x + s.width / 2).toBe(500);
    expect(s.y + s.height / 2).toBe(300);
    expect(s.customData).toEqual({ rehearseType: 'service' });
    expect(s.label.text).toBe('API service');
  });

  it('draws stores as ellipses and queues as diamonds, each family in its own colour', () => {
    expect(componentLook('vector_store').shape).toBe('ellipse');
    expect(componentLook('queue').shape).toBe('diamond');
    expect(componentLook('llm').fill).not.toBe(componentLook('service').fill);
    expect(componentLook('vector_store').fill).toBe(componentLook('cache').fill);
  });
});

describe('elementsVersion', () => {
  const a = { id: 'a', type: 'rectangle', version: 3 };
  const b = { id: 'b', type: 'arrow', version: 1 };
  it('changes when an element is edited, added or deleted', () => {
    const base = elementsVersion([a, b]);
    expect(elementsVersion([{ ...a, version: 4 }, b])).not.toBe(base);
    expect(elementsVersion([a, b, { id: 'c', type: 'text', version: 1 }])).not.toBe(base);
    expect(elementsVersion([a, { ...b, version: 2, isDeleted: true }])).not.toBe(base);
  });
  it('is stable for the same scene', () => {
    expect(elementsVersion([a, b])).toBe(elementsVersion([{ ...a }, { ...b }]));
  });
});

describe('elementKind', () => {
  it('reads the type a library shape carries and nothing else', () => {
    expect(elementKind({ id: 'x', type: 'ellipse', version: 1, customData: { rehearseType: 'cache' } })).toBe('cache');
    expect(elementKind({ id: 'x', type: 'ellipse', version: 1, customData: { rehearseType: 7 } })).toBeNull();
    expect(elementKind({ id: 'x', type: 'ellipse', version: 1 })).toBeNull();
  });
});

describe('changeIndexAt', () => {
  const times = [0.5, 4, 4, 10];
  it('finds the last change at or before the time', () => {
    expect(changeIndexAt(times, 0)).toBe(-1);
    expect(changeIndexAt(times, 0.5)).toBe(0);
    expect(changeIndexAt(times, 3.9)).toBe(0);
    expect(changeIndexAt(times, 4)).toBe(2);
    expect(changeIndexAt(times, 99)).toBe(3);
    expect(changeIndexAt([], 5)).toBe(-1);
  });
});

describe('exportName', () => {
  it('makes a safe file name from the prompt and the time', () => {
    expect(exportName('Doc Q&A over 10k PDFs!', new Date('2026-11-25T17:04:05Z'))).toBe('doc-q-a-over-10k-pdfs-20261125-170405');
    expect(exportName('***', new Date('2026-11-25T17:04:05Z'))).toBe('board-20261125-170405');
  });
});
