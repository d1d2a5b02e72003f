/**
 * Reads the task forms of the pages (new task, properties, checklist) into the tasks service's
 * input: checkbox lists become arrays (only when the form showed them, so an unticked list
 * means "nobody"), and the recurrence's preset and custom rule become one value. Also what a
 * failed form gets back to show what was typed.
 */
const SINGLE = ['taskId', 'version', 'title', 'description', 'priority', 'dueDate', 'dueTime', 'columnId', 'from', 'text', 'assigneeId', 'itemId', 'done', 'body', 'commentId', 'position', 'key'] as const;

export function taskInput(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SINGLE) if (fd.has(k)) out[k] = String(fd.get(k));
  if (fd.has('assigneesShown')) out.assigneeIds = fd.getAll('assigneeIds').map(String);
  if (fd.has('labelsShown')) out.labelIds = fd.getAll('labelIds').map(String);
  if (fd.has('recurrencePreset')) {
    const p = String(fd.get('recurrencePreset'));
    out.recurrence = p === 'custom' ? String(fd.get('recurrenceRule') ?? '') : p === 'none' ? '' : p;
  }
  return out;
}

/** What the member typed or chose, as strings (lists comma-separated), to fill the form again after an error. */
const TYPED = new Set(['title', 'description', 'priority', 'dueDate', 'dueTime', 'assigneeIds', 'labelIds', 'recurrencePreset', 'recurrenceRule', 'columnId', 'text', 'body']);
export function keepValues(fd: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fd) if (typeof v === 'string' && TYPED.has(k)) out[k] = k in out && (k === 'assigneeIds' || k === 'labelIds') ? `${out[k]},${v}` : v;
  return out;
}
