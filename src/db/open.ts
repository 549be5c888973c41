import type { Context } from '../context.js';
import type { Backend } from './backend.js';

/** Opens the configured backend; each adapter is imported only when chosen. */
export async function openBackend(ctx: Context): Promise<Backend> {
  const kind = ctx.config.backend();
  if (kind === 'supabase') {
    const { openSupabaseBackend } = await import('./supabase/open.js');
    return openSupabaseBackend(ctx);
  }
  const { openLocalBackend } = await import('./local/open.js');
  return openLocalBackend(ctx);
}
