import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../bindings/ModelInfo';
import { downloadAction, megabytes, progressText, sentence } from './models';

const base: ModelInfo = {
  id: 'base.en',
  file_name: 'ggml-base.en.bin',
  size_bytes: 147_951_465,
  sha256: 'x',
  english_only: true,
  quantisation: 'f16',
  speed_note: '',
  source: '',
  url: 'https://example.invalid/ggml-base.en.bin',
  custom: false,
  state: 'not_installed',
  partial_bytes: 0,
  message: null,
  active: false,
};

describe('speech model words', () => {
  it('offers Download, Resume or Download again by state, nothing for verified or custom models', () => {
    expect(downloadAction(base)).toBe('Download');
    expect(downloadAction({ ...base, state: 'partial', partial_bytes: 10 })).toBe('Resume');
    expect(downloadAction({ ...base, state: 'damaged' })).toBe('Download again');
    expect(downloadAction({ ...base, state: 'verified' })).toBeNull();
    expect(downloadAction({ ...base, url: null })).toBeNull();
    expect(downloadAction({ ...base, custom: true, id: 'custom/x', state: 'damaged' })).toBeNull();
  });

  it('says how far a download is, falling back to the catalogue size', () => {
    expect(megabytes(147_951_465)).toBe('148.0 MB');
    const half = progressText({ model_id: 'base.en', phase: 'fetching', bytes: 74_000_000, total: 148_000_000 }, 0);
    expect(half.text).toBe('74.0 MB of 148.0 MB (50%)');
    expect(half.fraction).toBeCloseTo(0.5);
    const unknownTotal = progressText({ model_id: 'base.en', phase: 'fetching', bytes: 1_000_000, total: 0 }, 2_000_000);
    expect(unknownTotal.fraction).toBeCloseTo(0.5);
    const noSize = progressText({ model_id: 'x', phase: 'fetching', bytes: 1_000_000, total: 0 }, 0);
    expect(noSize).toEqual({ text: '1.0 MB', fraction: null });
    expect(progressText({ model_id: 'x', phase: 'verifying', bytes: 5, total: 5 }, 5).text).toMatch(/checksum/);
  });

  it('ends an engine message as a sentence', () => {
    expect(sentence('could not reach x; check the network')).toBe('Could not reach x; check the network.');
    expect(sentence('Done.')).toBe('Done.');
    expect(sentence('')).toBe('');
  });
});
