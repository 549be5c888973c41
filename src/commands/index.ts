import type { Register } from '../cli/command.js';
import { register as preview } from './preview.js';
import { register as render } from './render.js';
import { register as previewBeats } from './previewBeats.js';
import { register as dbSql } from './db/sql.js';
import { register as dbCheck } from './db/check.js';
import { register as doctor } from './doctor.js';
import { register as upload } from './upload.js';
import { register as filesList } from './files/list.js';
import { register as filesRm } from './files/rm.js';
import { register as login } from './login.js';
import { register as logout } from './logout.js';
import { register as whoami } from './whoami.js';
import { register as configGet } from './config/get.js';
import { register as configSet } from './config/set.js';
import { register as configList } from './config/list.js';
import { register as profileList } from './profile/list.js';
import { register as profileUse } from './profile/use.js';
import { register as profileRm } from './profile/rm.js';
import { register as dbPush } from './db/push.js';
import { register as sessionNew } from './session/new.js';
import { register as sessionList } from './session/list.js';
import { register as sessionShow } from './session/show.js';
import { register as sessionActivate } from './session/activate.js';
import { register as sessionStop } from './session/stop.js';
import { register as sessionEdit } from './session/edit.js';
import { register as runDue } from './run.js';
import { register as publish } from './publish.js';
import { register as scheduleInstall } from './schedule/install.js';
import { register as scheduleStatus } from './schedule/status.js';
import { register as scheduleRemove } from './schedule/remove.js';
import { register as tiktokConnect } from './tiktok/connect.js';
import { register as tiktokStatus } from './tiktok/status.js';
import { register as tiktokDisconnect } from './tiktok/disconnect.js';
import { register as tiktokKey } from './tiktok/key.js';

export interface CommandEntry {
  /** The topic folder (`session` for src/commands/session/new.ts); none for top-level commands. */
  topic?: string;
  /** The topic's one-line description, given on its first entry. */
  description?: string;
  register: Register;
}

/** Every command, in the order `slides --help` lists them. Command modules are light to import. */
export const COMMANDS: CommandEntry[] = [
  { register: upload },
  { topic: 'files', description: 'the photos and clips you uploaded: list them, delete them', register: filesList },
  { topic: 'files', register: filesRm },
  { topic: 'session', description: 'the files, captions and schedule slide groups are made from', register: sessionNew },
  { topic: 'session', register: sessionList },
  { topic: 'session', register: sessionShow },
  { topic: 'session', register: sessionActivate },
  { topic: 'session', register: sessionStop },
  { topic: 'session', register: sessionEdit },
  { register: render },
  { register: preview },
  { register: previewBeats },
  { register: runDue },
  { register: publish },
  { topic: 'schedule', description: 'run slides run --due on a timer: cron on Linux, launchd on macOS', register: scheduleInstall },
  { topic: 'schedule', register: scheduleStatus },
  { topic: 'schedule', register: scheduleRemove },
  { topic: 'tiktok', description: 'your TikTok account: connect it, check it, disconnect it, move its token key', register: tiktokConnect },
  { topic: 'tiktok', register: tiktokStatus },
  { topic: 'tiktok', register: tiktokDisconnect },
  { topic: 'tiktok', register: tiktokKey },
  { register: login },
  { register: logout },
  { register: whoami },
  { topic: 'config', description: 'settings of this profile: supabase.url, anon key, timezone, render defaults', register: configGet },
  { topic: 'config', register: configSet },
  { topic: 'config', register: configList },
  { topic: 'profile', description: 'one profile per creator: separate config, credentials and local data', register: profileList },
  { topic: 'profile', register: profileUse },
  { topic: 'profile', register: profileRm },
  { topic: 'db', description: 'the database schema: print it, check it, push it', register: dbSql },
  { topic: 'db', register: dbCheck },
  { topic: 'db', register: dbPush },
  { register: doctor },
];
