import { z } from 'zod';
import { DomainError, isDomainError } from '../../kernel/errors';
import type { Actor } from '../../policy';
import type { FilesService } from '../files/files.service';

/** Files picked in a form (`<input type="file" multiple>`); empty pickers send a 0-byte File. */
export const formFiles = z
  .unknown()
  .optional()
  .transform((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).filter((f): f is Blob => typeof Blob !== 'undefined' && f instanceof Blob && f.size > 0));

/**
 * Stores the files of a form before the posting transaction, after the caller authorized
 * the post. Errors are reported on the form's `files` field. The caller drops what it stored
 * if the post then fails (`files.dropUnlinked`).
 */
export async function uploadAll(files: FilesService, actor: Actor, blobs: Blob[], groupId: string | null): Promise<string[]> {
  const ids: string[] = [];
  if (blobs.length > 20) throw new DomainError('invalid', 'invalid', [{ path: 'files', code: 'too_many_files', params: { max: 20 } }]);
  for (const file of blobs) {
    try {
      ids.push((await files.upload(actor, { file, purpose: 'attachment', groupId })).id);
    } catch (e) {
      // One refused file refuses the post: the ones stored before it go too.
      await files.dropUnlinked(ids);
      if (isDomainError(e) && e.kind === 'invalid') throw new DomainError('invalid', e.code, e.issues.map((i) => ({ ...i, path: 'files' })), e.params);
      throw e;
    }
  }
  return ids;
}
