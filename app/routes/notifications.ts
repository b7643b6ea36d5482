import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiJson, readApiInput, requireApiUser } from "~/utils/api.server";
import { listNotifications, markNotificationsRead } from "../../server/domain/notifications";

const MarkReadInput = z.object({
  // One id, several separated by commas, or none for all of them.
  ids: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((ids) => (ids === undefined ? undefined : (Array.isArray(ids) ? ids : ids.split(",")).map((id) => id.trim()).filter(Boolean))),
});

/** The signed-in person's notifications, newest first, with the unread count. */
export async function loader({ context }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const { unread, notifications } = await listNotifications(user);
  return apiJson({
    unread,
    notifications: notifications.map((notification) => ({
      ...notification,
      createdAt: notification.createdAt.toISOString(),
      readAt: notification.readAt?.toISOString() ?? null,
    })),
  });
}

/** Marks notifications read: `{ ids }` (or none, for all). */
export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireApiUser(context);
  const { ids } = await readApiInput(request, MarkReadInput);
  const marked = await markNotificationsRead(context.live, user, ids);
  const { unread } = await listNotifications(user, 1);
  return apiJson({ marked, unread });
}
