import { notFound } from "~/utils/session.server";

// Every address no other route claims answers with the friendly 404 page.
export async function loader() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
