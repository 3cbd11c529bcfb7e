import type { CounterStore, Enqueue } from '#functions/sending/contracts';
import type { ExpandMessage, UnparkMessage } from './schema';

/**
 * What campaigns need from other features and from AWS, as ports: the contacts feature
 * implements Audience and ListDirectory, platform/ the Scheduler and the queue, the send
 * engine the CounterStore. Nothing here knows how they are built.
 */
/** As the contacts feature stores them: names and company may be unknown. */
export interface AudienceMember {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
}

export interface AudiencePage {
  items: AudienceMember[];
  nextCursor: string | null;
}

/**
 * A partner's list, one page at a time. An implementation may return fewer than `limit`
 * members per page (contacts caps pages at 100); suppressions are the send engine's to apply.
 */
export interface Audience {
  listMembersPage(
    partnerId: string,
    listId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<AudiencePage>;
}

export interface ListDirectory {
  exists(partnerId: string, listId: string): Promise<boolean>;
}

/**
 * One-time schedules (EventBridge Scheduler in AWS, InProcessScheduler locally). Scheduling a
 * name again replaces it; the target receives `payload` and calls `handleScheduledLaunch`.
 */
export interface Scheduler {
  schedule(name: string, at: Date, payload: string): Promise<void>;
  /** Whether there was such a schedule; cancelling an unknown name is not an error. */
  cancel(name: string): Promise<boolean>;
}

/** Puts an expand step on the send queue (the same queue as the batches; dispatched by `kind`). */
export type EnqueueStep = (message: ExpandMessage | UnparkMessage) => Promise<void>;

export type { CounterStore, Enqueue };
