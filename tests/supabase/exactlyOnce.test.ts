/** 0004's functions through supabase-js and the stub's PostgREST: jsonb arguments, a record of OUT parameters. */
import { expect, it } from 'vitest';
import { claimGroup } from '../../src/services/schedule/claim.js';
import { finishGroup } from '../../src/services/schedule/finish.js';
import { editSession } from '../../src/services/sessions/edit.js';
import { removeFiles } from '../../src/services/upload/removeFiles.js';
import { sessionNow, sessionWithItems } from '../helpers/sessions.js';
import { stubbedProject } from './fixture.js';

it('claim, finish, edit and files rm --force answer through the Supabase adapter as they do locally', async () => {
  const project = await stubbedProject();
  try {
    const backend = await project.backendFor();
    const { session, items } = await sessionWithItems(backend, 4, { perGroup: 2 });
    const claim = await claimGroup(backend.rows, session, { now: new Date('2024-06-01T10:00:00Z'), createdPerDay: 1, requireActive: false });
    expect(claim?.group).toMatchObject({ group_number: 1, item_ids: [items[0]?.id, items[1]?.id] });
    const finished = await finishGroup(backend.rows, claim!.group, { slideCount: 2, videoPath: null, processedPaths: {}, exportedVideoPath: 'v.mp4' });
    expect(finished).toMatchObject({ groups_created: 1, exported_video_path: 'v.mp4' });
    await editSession(backend.rows, session.id, { captions: new Map([[1, 'edited']]) });
    const removed = await removeFiles(backend, [items[0]?.source_file_id as string], { force: true });
    expect(removed.sessionItemsRemoved).toBe(1);
    expect((await sessionNow(backend, session.id)).next_position).toBe(1);
  } finally {
    await project.stub.close();
  }
});
