/**
 * What a review item is filed under, in words a reviewer reads: the admin's topic name
 * ("Large refunds and credits"), else the risk category's ("Money commitment"), else the id.
 */
import { categoryName } from "./classifier/categories";

export function topicLabel(id: string, topics: readonly { id: string; name: string }[]): string {
  const name = topics.find((t) => t.id === id)?.name ?? categoryName(id);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A labeller for one page: every id it is asked about, by the policy's topics as they are now. */
export function topicLabeller(topics: readonly { id: string; name: string }[]): (id: string) => string {
  return (id) => topicLabel(id, topics);
}
