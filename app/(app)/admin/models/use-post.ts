"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { send } from "./send";

/** A POST from an Admin › Models button: pending while it runs, the server's message on failure, the page rendered again on success. */
export function usePost(): { pending: boolean; error: string | null; post: (url: string, body: unknown) => Promise<boolean> } {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function post(url: string, body: unknown): Promise<boolean> {
    setPending(true);
    setError(null);
    const result = await send(url, "POST", body);
    setPending(false);
    if (!result.ok) {
      setError(result.message);
      return false;
    }
    router.refresh();
    return true;
  }
  return { pending, error, post };
}
