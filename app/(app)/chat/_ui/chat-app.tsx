"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { MessageView } from "@/lib/chat/views";
import type { SourceSnapshot } from "@/lib/rag/sources";
import { ConversationList, type ConversationSummary } from "./conversation-list";
import { MessageItem } from "./message-item";
import { SourcePanel } from "./source-panel";
import { readChatEvents } from "./stream";
import { conversationTitle, QUESTION_MAX_CHARS } from "@/lib/chat/question";

function draftAnswer(id: string, sources: SourceSnapshot[], model: string | null): MessageView {
  return { id, role: "assistant", content: "", status: "streaming", sources, model, usage: { promptTokens: null, completionTokens: null }, feedback: null, notice: null, quoted: null, review: null, heldNotice: null, createdAt: new Date().toISOString() };
}

export function ChatApp({ conversations: initialConversations, conversation, modelLabel }: { conversations: ConversationSummary[]; conversation: { id: string; title: string; messages: MessageView[] } | null; modelLabel: string }) {
  const [conversations, setConversations] = useState(initialConversations);
  const [conversationId, setConversationId] = useState(conversation?.id);
  const [messages, setMessages] = useState<MessageView[]>(conversation?.messages ?? []);
  const [input, setInput] = useState("");
  // While the answer waits for the writing model: its place in line (from the server's "queue" events).
  const [line, setLine] = useState<{ position: number; etaSeconds: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ message: MessageView; n: number } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const localIds = useRef(0);

  /**
   * A fresh thread. After the first answer the address became /chat/<id> by replaceState, which the
   * router does not see: a link to /chat is then no navigation at all, and the old thread stayed.
   */
  function startNew() {
    abort.current?.abort();
    setConversationId(undefined);
    setMessages([]);
    setOpen(null);
    setError(null);
    setLine(null);
    if (window.location.pathname !== "/chat") window.history.replaceState(null, "", "/chat");
  }

  // Braces matter: newer browsers return a Promise from scrollIntoView, and an effect may only return a cleanup function.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages]);

  // Held answers change state when a reviewer acts: poll until none is pending.
  const waiting = messages.some((m) => m.status === "held");
  const reload = useCallback(async () => {
    if (!conversationId) return;
    const res = await fetch(`/api/conversations/${conversationId}`, { cache: "no-store" });
    if (res.ok) setMessages((await res.json()).conversation.messages);
  }, [conversationId]);
  useEffect(() => {
    if (!waiting || busy) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [waiting, busy, reload]);

  async function send(question: string, regenerate?: string) {
    if (!question.trim() || busy) return;
    setBusy(true);
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    const tempUser: MessageView = { ...draftAnswer(`local-${++localIds.current}`, [], null), role: "user", content: question, status: "complete" };
    setMessages((all) => [...(regenerate ? all.slice(0, -2) : all), tempUser]);
    let answerId = "";
    try {
      const res = await fetch("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ conversationId, message: question, regenerate }), signal: controller.signal });
      if (!res.ok) {
        // Not asked: the question goes back where it was typed, and out of the thread.
        setInput((typed) => typed || question);
        setMessages((all) => all.filter((m) => m !== tempUser));
        throw new Error((await res.json().catch(() => ({}))).message ?? `The request failed (${res.status}).`);
      }
      for await (const event of readChatEvents(res)) {
        if (event.type === "start") {
          answerId = event.messageId;
          if (!conversationId) {
            setConversationId(event.conversationId);
            // Listed here rather than by re-rendering the route, which would remount this component and close an open source.
            setConversations((all) => [{ id: event.conversationId, title: conversationTitle(question) }, ...all]);
            window.history.replaceState(null, "", `/chat/${event.conversationId}`);
          }
          setMessages((all) => [...all.slice(0, -1), { ...tempUser, id: event.userMessageId }, draftAnswer(event.messageId, event.sources, event.model)]);
        } else if (event.type === "queue") {
          setLine({ position: event.position, etaSeconds: event.etaSeconds });
        } else if (event.type === "token") {
          setLine(null);
          setMessages((all) => all.map((m) => (m.id === answerId ? { ...m, content: m.content + event.text } : m)));
        } else if (event.type === "held") {
          setMessages((all) => all.map((m) => (m.id === answerId ? { ...m, content: "", status: "held", heldNotice: event.message, review: { id: event.reviewItemId, status: "pending", note: null } } : m)));
        } else if (event.type === "notice") {
          setMessages((all) => all.map((m) => (m.id === answerId ? { ...m, notice: event.message } : m)));
        } else if (event.type === "done") {
          const final = event.message as Pick<MessageView, "status" | "content" | "model" | "quoted">;
          setMessages((all) => all.map((m) => (m.id === answerId ? { ...m, status: final.status, content: final.status === "held" ? "" : final.content, model: final.model, quoted: final.quoted } : m)));
        } else if (event.type === "error") {
          setError(event.message);
        }
      }
    } catch (e) {
      if ((e as Error).name !== "AbortError") setError((e as Error).message);
      else setMessages((all) => all.map((m) => (m.id === answerId ? { ...m, status: "incomplete" } : m)));
    } finally {
      setBusy(false);
      setLine(null);
      abort.current = null;
    }
  }

  const tooLong = input.length > QUESTION_MAX_CHARS;
  /** Sends the typed question; the text comes back to the box if the question could not be asked. */
  function submit() {
    if (!input.trim() || tooLong || busy) return;
    const question = input;
    setInput("");
    void send(question);
  }

  const lastAnswer = [...messages].reverse().find((m) => m.role === "assistant");
  const source = open ? open.message.sources.find((s) => s.n === open.n) : undefined;
  // The question an open answer replied to: the user's message before it.
  const openAt = open ? messages.findIndex((m) => m.id === open.message.id) : -1;
  const openQuestion = openAt > 0 ? [...messages.slice(0, openAt)].reverse().find((m) => m.role === "user")?.content ?? "" : "";
  return (
    <div className="-mx-4 -my-6 grid h-[calc(100dvh-6rem)] grid-cols-1 md:grid-cols-[16rem_1fr] lg:grid-cols-[16rem_1fr_auto]">
      <ConversationList conversations={conversations} activeId={conversationId} onNew={startNew} />
      <section aria-label="Conversation" className="flex min-h-0 flex-col">
        <details className="border-b border-slate-200 bg-white px-4 py-2 text-sm md:hidden">
          <summary className="cursor-pointer font-medium">Conversations</summary>
          <ul className="mt-2 space-y-1">
            <li><Link href="/chat" onClick={startNew} className="text-indigo-700">New conversation</Link> · <Link href="/chat/awaiting-review" className="text-indigo-700">Awaiting review</Link></li>
            {conversations.map((c) => <li key={c.id}><Link href={`/chat/${c.id}`} className="block truncate py-0.5">{c.title}</Link></li>)}
          </ul>
        </details>
        <div className="flex-1 overflow-y-auto px-4 py-6">
          {messages.length === 0 ? (
            <div className="mx-auto mt-16 max-w-md text-center text-slate-600">
              <h1 className="text-xl font-semibold text-slate-900">Ask the knowledge base</h1>
              <p className="mt-2 text-sm">Answers cite their sources; click a number to see the passage. High-stakes answers go to a reviewer first.</p>
              <p className="mt-4 text-xs text-slate-500">Answering model: {modelLabel}</p>
            </div>
          ) : (
            <ol className="mx-auto max-w-3xl space-y-4" aria-live="polite">
              {messages.map((m) => (
                <MessageItem key={m.id} message={m} streaming={busy && m.id === lastAnswer?.id} line={m.id === lastAnswer?.id ? line : null} isLast={m.id === lastAnswer?.id && !busy}
                  onCite={(message, n) => setOpen({ message, n })}
                  onRegenerate={() => { const q = messages[messages.length - 2]; if (q?.role === "user" && lastAnswer) void send(q.content, lastAnswer.id); }} />
              ))}
            </ol>
          )}
          <div ref={bottom} />
        </div>
        <form className="border-t border-slate-200 bg-white p-3" onSubmit={(e) => { e.preventDefault(); submit(); }}>
          {error && <p role="alert" className="mx-auto mb-2 max-w-3xl rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
          <div className="mx-auto flex max-w-3xl items-end gap-2">
            <textarea value={input} onChange={(e) => setInput(e.target.value)} rows={2} aria-label="Your question" aria-describedby="question-length" placeholder="Ask a question… (Enter sends, Shift+Enter for a new line)"
              onKeyDown={(e) => { if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) { e.preventDefault(); submit(); } }}
              className="min-h-[2.75rem] flex-1 resize-y rounded-lg border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none" />
            {busy ? (
              <button type="button" onClick={() => abort.current?.abort()} className="rounded-lg bg-slate-700 px-4 py-2 font-medium text-white hover:bg-slate-600">Stop</button>
            ) : (
              <button type="submit" disabled={!input.trim() || tooLong} className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50">Send</button>
            )}
          </div>
          {input.length >= QUESTION_MAX_CHARS * 0.9 && (
            <p id="question-length" data-testid="question-length" className={`mx-auto mt-1 max-w-3xl text-right text-xs ${tooLong ? "text-red-700" : "text-slate-500"}`}>
              {input.length.toLocaleString("en")} / {QUESTION_MAX_CHARS.toLocaleString("en")} characters{tooLong ? ": shorten the question to send it" : ""}
            </p>
          )}
        </form>
      </section>
      {source && open && (
        <div className="fixed inset-0 z-20 bg-white lg:static lg:z-auto lg:w-96">
          <SourcePanel source={source} answer={open.message.content} messageId={open.message.id} question={openQuestion} onClose={() => setOpen(null)} />
        </div>
      )}
    </div>
  );
}
