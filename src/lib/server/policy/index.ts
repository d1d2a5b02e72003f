import { forbidden, notFound, unauthenticated } from '../kernel/errors';
import { isUser, type Actor } from './actor';
import { rules, type Ability, type GroupFacts, type ResourceOf } from './rules';

export * from './actor';
export * from './rules';
export * from './scope';

/** True when the actor may do `ability` on `resource`. */
export function can<A extends Ability>(actor: Actor, ability: A, ...resource: ResourceOf<A> extends undefined ? [] : [ResourceOf<A>]): boolean {
  return (rules[ability] as (a: Actor, r?: unknown) => boolean)(actor, resource[0]);
}

/**
 * Throws unless the actor may act. Things the actor may not even see are reported as
 * "not found", so an error never confirms that a secret group or private discussion exists.
 */
export function authorize<A extends Ability>(actor: Actor, ability: A, ...resource: ResourceOf<A> extends undefined ? [] : [ResourceOf<A>]): void {
  if (can(actor, ability, ...resource)) return;
  const r = resource[0] as unknown;
  const group = groupOf(r);
  // Content inside a group the actor cannot read is "not found", as if it did not exist;
  // joining a group the actor can see (a closed one) is plainly "forbidden".
  const joining = ability === 'group.join' || ability === 'group.requestJoin';
  if (group && !(joining ? rules['group.see'](actor, group) : rules['group.read'](actor, group))) notFound();
  if (!isUser(actor)) unauthenticated();
  forbidden();
}

function groupOf(r: unknown): GroupFacts | null {
  if (!r || typeof r !== 'object') return null;
  if ('visibility' in r) return r as GroupFacts;
  if ('group' in r) return (r as { group: GroupFacts }).group;
  if ('discussion' in r) return (r as { discussion: { group: GroupFacts } }).discussion.group;
  if ('task' in r) return (r as { task: { group: GroupFacts } }).task.group;
  return null;
}

/** The abilities a page needs, serialised with its data so the UI hides what is not allowed. */
export function abilities<A extends Ability>(actor: Actor, list: A[], resource?: ResourceOf<A>): Record<A, boolean> {
  return Object.fromEntries(list.map((a) => [a, (rules[a] as (x: Actor, r?: unknown) => boolean)(actor, resource)])) as Record<A, boolean>;
}
