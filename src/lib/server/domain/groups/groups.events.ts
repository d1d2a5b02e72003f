/** Events of groups: their life, links, members, requests to join and invitations. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'group.created': { slug: string; parentId: string | null };
    'group.updated': { fields: string[] };
    'group.cover_changed': Record<string, never>;
    'group.link_added': { linkId: string };
    'group.link_removed': { linkId: string };
    'group.link_moved': { linkId: string };
    'member.joined': { userId: string; invitationId?: string };
    'member.left': { userId: string };
    'member.removed': { userId: string };
    'member.role_changed': { userId: string; role: 'admin' | 'member' };
    /** A member asked to join a closed group: its admins are told. */
    'join.requested': { requestId: string };
    /** A request was approved or refused: the member who asked is told. */
    'join.approved': { requestId: string; userId: string };
    'join.refused': { requestId: string; userId: string };
    'invitation.created': { invitationId: string; byEmail: boolean };
    'invitation.revoked': { invitationId: string };
    'invitation.accepted': { invitationId: string; newAccount?: boolean };
  }
}
export {};
