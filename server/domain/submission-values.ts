// The values of a submission's fields, free of any server code so that pages can use them too.

/** Who the public are, as a sender describes themselves. */
export const SECTORS = ["academia", "industry", "civil-society", "other"] as const;
export type Sector = (typeof SECTORS)[number];

/** Where a submission stands in moderation. */
export const SUBMISSION_STATUSES = ["pending", "accepted", "rejected", "spam"] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
/** What the secretariat may decide of a submission. */
export const MODERATION_DECISIONS = ["accepted", "rejected", "spam"] as const;
export type ModerationDecision = (typeof MODERATION_DECISIONS)[number];

/** The secretariat's answer to an accepted submission. */
export const DISPOSITIONS = ["accepted", "partly", "not-taken-on"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Length limits of a submission's fields. */
export const SUBMISSION_LIMITS = { name: 200, organisation: 200, email: 254, comment: 5000, reason: 5000 } as const;

/** The rate limit: at most this many submissions per sender address within the window. */
export const FEEDBACK_RATE = { count: 5, windowSeconds: 600 } as const;
