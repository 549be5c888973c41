import { describe, expect, it } from 'vitest';
import { formatBytes, progressText } from '../../src/services/upload/report.js';

describe('upload progress and sizes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [1_536_000, '1.5 MB'],
    [2_000_000_000, '2.0 GB'],
  ])('formatBytes(%d) is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows files, bytes, rate and time left once bytes have moved', () => {
    const p = { phase: 'uploading' as const, filesDone: 3, filesTotal: 10, bytesDone: 30_000_000, bytesTotal: 100_000_000 };
    expect(progressText(p, 3000)).toBe('Uploading 3/10 files · 30.0 MB of 100.0 MB · 10.0 MB/s · ETA 7s');
    expect(progressText({ ...p, bytesDone: 1_000_000 }, 1000)).toBe('Uploading 3/10 files · 1.0 MB of 100.0 MB · 1.0 MB/s · ETA 1m39s');
  });

  it('counts the rate from what moved since the phase was shown, not what moved before', () => {
    const p = { phase: 'uploading' as const, filesDone: 6, filesTotal: 10, bytesDone: 60_000_000, bytesTotal: 100_000_000 };
    expect(progressText(p, 2000, 40_000_000)).toBe('Uploading 6/10 files · 60.0 MB of 100.0 MB · 10.0 MB/s · ETA 4s');
  });

  it('has no rate or ETA before anything has moved', () => {
    expect(progressText({ phase: 'checking', filesDone: 0, filesTotal: 4, bytesDone: 0, bytesTotal: 4000 }, 0)).toBe(
      'Checking 0/4 files · 0 B of 4.0 KB',
    );
  });
});
