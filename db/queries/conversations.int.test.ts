import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createConversation, deleteMessagesFrom, insertMessage, listMessages } from "./conversations";
import { createUser, SYSTEM_ACTOR } from "./users";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("conversations", () => {
  it("drops a conversation's messages from a point on (regenerating the last answer)", async () => {
    const user = await createUser(t.db, { email: "c@x.test", name: "C", role: "agent", passwordHash: "x", actor: SYSTEM_ACTOR });
    const c = await createConversation(t.db, { userId: user.id, title: "t" });
    await insertMessage(t.db, { conversationId: c.id, role: "user", content: "first" });
    await insertMessage(t.db, { conversationId: c.id, role: "assistant", content: "answer" });
    await new Promise((r) => setTimeout(r, 5));
    const again = await insertMessage(t.db, { conversationId: c.id, role: "user", content: "second" });
    await insertMessage(t.db, { conversationId: c.id, role: "assistant", content: "interrupted", status: "incomplete" });
    await deleteMessagesFrom(t.db, { conversationId: c.id, from: again.createdAt });
    expect((await listMessages(t.db, { conversationId: c.id })).map((m) => m.content)).toEqual(["first", "answer"]);
  });
});
