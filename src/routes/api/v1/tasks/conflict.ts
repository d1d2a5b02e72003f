import { json, type RequestEvent } from '@sveltejs/kit';
import { api, jsonBody } from '$lib/server/http';

/**
 * Like `api`, for changes of one task: a refusal because the task changed meanwhile (409)
 * carries the task's current state (`current`), so a client shows it instead of guessing.
 */
export async function taskApi<R>(event: RequestEvent, taskId: string, fn: () => Promise<R>, status = 200): Promise<Response> {
  const res = await api(event, fn, status);
  if (res.status !== 409) return res;
  const body = await res.json();
  const current = await event.locals.app.tasks.get(event.locals.actor, { taskId }).catch(() => null);
  return json({ ...body, current }, { status: 409 });
}

/**
 * The body of a one-tap change (done, "I'll take it"): none is needed, so a call without one
 * works as it always did; a JSON body or an `Idempotency-Key` header may carry the key.
 */
export async function tapBody(event: RequestEvent): Promise<Record<string, unknown>> {
  if (event.request.headers.get('content-type')) return { ...((await jsonBody(event)) as object) };
  const key = event.request.headers.get('idempotency-key');
  return key === null ? {} : { key };
}
