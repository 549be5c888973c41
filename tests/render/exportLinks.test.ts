import { describe, expect, it } from 'vitest';
import { EXPORT_LINK_SECONDS, exportLinks } from '../../src/services/render/exportLinks.js';

const group = { folder: 'u/s/g', slides: ['u/s/g/slide-01.jpg', 'u/s/g/slide-02.jpg'], video: 'u/s/g/video.mp4', manifest: 'u/s/g/manifest.json' };

describe('where a pushed group can be fetched', () => {
  it('a store that is a folder here gives the group folder on disk and no links', async () => {
    const asked: string[] = [];
    const local = { signedUrl: async (_bucket: 'Exports' | 'Sources', key: string) => (asked.push(key), `file:///data/storage/Exports/${key}`) };
    expect(await exportLinks(local, group)).toEqual({ onDisk: '/data/storage/Exports/u/s/g', signedUrls: {} });
    expect(asked).toEqual(['u/s/g/manifest.json']);
  });

  it('a remote store gives a day-long link per file, the video first and the manifest last', async () => {
    const asked: number[] = [];
    const remote = {
      signedUrl: async (_bucket: 'Exports' | 'Sources', key: string, seconds: number) => (asked.push(seconds), `https://x.supabase.co/sign/${key}`),
    };
    const links = await exportLinks(remote, group);
    expect(links.onDisk).toBeUndefined();
    expect(Object.keys(links.signedUrls)).toEqual(['video.mp4', 'slide-01.jpg', 'slide-02.jpg', 'manifest.json']);
    expect(links.signedUrls['slide-02.jpg']).toBe('https://x.supabase.co/sign/u/s/g/slide-02.jpg');
    expect(asked.every((s) => s === EXPORT_LINK_SECONDS)).toBe(true);
  });
});
