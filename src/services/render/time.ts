/** A folder name for a group made at `at`: sortable, and safe in file systems and object keys. */
export function groupStamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
}
