package dev.kvasir.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.tools.ToolCall;
import java.util.List;

/** OpenAI response and stream-chunk objects for chat and text completions. */
final class Responses {
    private final String id;
    private final String model;
    private final boolean chat;
    private final long created = System.currentTimeMillis() / 1000;

    Responses(String id, String model, boolean chat) {
        this.id = id;
        this.model = model;
        this.chat = chat;
    }

    ObjectNode full(Completion c) {
        ObjectNode root = header(chat ? "chat.completion" : "text_completion");
        ArrayNode choices = root.putArray("choices");
        for (Choice ch : c.choices()) {
            ObjectNode choice = choices.addObject();
            choice.put("index", ch.index());
            if (chat) {
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant");
                if (ch.hasToolCalls() && ch.content().isEmpty()) {
                    message.putNull("content");
                } else {
                    message.put("content", ch.content());
                }
                if (ch.hasToolCalls()) {
                    ArrayNode calls = message.putArray("tool_calls");
                    for (ToolCall call : ch.parsed().calls()) {
                        ObjectNode o = calls.addObject();
                        o.put("id", call.id());
                        o.put("type", "function");
                        o.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                    }
                }
            } else {
                choice.put("text", ch.text());
            }
            logprobs(choice, ch.logprobs(), 0);
            choice.put("finish_reason", ch.finishReason());
        }
        root.set("usage", usage(c));
        return root;
    }

    /** A chunk carrying {@code text} of choice {@code index}; the first chat chunk of a choice also carries the role. */
    ObjectNode delta(int index, String text, boolean first, List<TokenLogprob> logprobs, int textOffset) {
        ObjectNode root = header(chunkObject());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", index);
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
        } else {
            choice.put("text", text);
        }
        logprobs(choice, logprobs, textOffset);
        choice.putNull("finish_reason");
        return root;
    }

    /** Chunks announcing tool calls as OpenAI streams them: id, type and name first, then the arguments. */
    List<ObjectNode> toolCallDeltas(int index, List<ToolCall> calls, boolean first) {
        List<ObjectNode> out = new java.util.ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            ObjectNode head = chunkWithDelta(index);
            ObjectNode delta = (ObjectNode) head.get("choices").get(0).get("delta");
            if (first && i == 0) {
                delta.put("role", "assistant");
                delta.putNull("content");
            }
            ObjectNode tc = delta.putArray("tool_calls").addObject();
            tc.put("index", i);
            tc.put("id", call.id());
            tc.put("type", "function");
            tc.putObject("function").put("name", call.name()).put("arguments", "");
            out.add(head);
            ObjectNode args = chunkWithDelta(index);
            ObjectNode argsCall = ((ObjectNode) args.get("choices").get(0).get("delta")).putArray("tool_calls").addObject();
            argsCall.put("index", i);
            argsCall.putObject("function").put("arguments", call.arguments());
            out.add(args);
        }
        return out;
    }

    private ObjectNode chunkWithDelta(int index) {
        ObjectNode root = header(chunkObject());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", index);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root;
    }

    ObjectNode finish(Choice c) {
        ObjectNode root = header(chunkObject());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", c.index());
        if (chat) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", c.finishReason());
        return root;
    }

    /** The last chunk of a stream with {@code include_usage}: no choices, only usage. */
    ObjectNode usageChunk(Completion c) {
        ObjectNode root = header(chunkObject());
        root.putArray("choices");
        root.set("usage", usage(c));
        return root;
    }

    /**
     * OpenAI's logprobs shapes: chat {@code {"content": [{token, logprob, bytes, top_logprobs}], "refusal": null}},
     * completions {@code {tokens, token_logprobs, top_logprobs: [{token: logprob}], text_offset}}; null when not asked.
     */
    private void logprobs(ObjectNode choice, List<TokenLogprob> lps, int textOffset) {
        if (lps == null) {
            choice.putNull("logprobs");
            return;
        }
        ObjectNode out = choice.putObject("logprobs");
        if (chat) {
            ArrayNode content = out.putArray("content");
            for (TokenLogprob lp : lps) {
                ObjectNode e = entry(content.addObject(), lp);
                ArrayNode top = e.putArray("top_logprobs");
                lp.top().forEach(t -> entry(top.addObject(), t));
            }
            out.putNull("refusal");
            return;
        }
        ArrayNode tokens = out.putArray("tokens");
        ArrayNode values = out.putArray("token_logprobs");
        ArrayNode top = out.putArray("top_logprobs");
        ArrayNode offsets = out.putArray("text_offset");
        int offset = textOffset;
        for (TokenLogprob lp : lps) {
            tokens.add(lp.token());
            values.add(lp.logprob());
            ObjectNode alternatives = top.addObject();
            lp.top().forEach(t -> alternatives.put(t.token(), t.logprob()));
            offsets.add(offset);
            offset += lp.token().length();
        }
    }

    private static ObjectNode entry(ObjectNode o, TokenLogprob lp) {
        o.put("token", lp.token());
        o.put("logprob", lp.logprob());
        ArrayNode bytes = o.putArray("bytes");
        for (byte b : lp.bytes()) {
            bytes.add(b & 0xFF);
        }
        return o;
    }

    private String chunkObject() {
        return chat ? "chat.completion.chunk" : "text_completion";
    }

    private ObjectNode header(String object) {
        ObjectNode root = Fields.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("system_fingerprint", "kvasir");
        return root;
    }

    static ObjectNode usage(Completion c) {
        ObjectNode u = Fields.MAPPER.createObjectNode();
        u.put("prompt_tokens", c.promptTokens());
        u.put("completion_tokens", c.completionTokens());
        u.put("total_tokens", c.promptTokens() + c.completionTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", c.cachedTokens());
        return u;
    }

    static ArrayNode emptyArray() {
        return Fields.MAPPER.createArrayNode();
    }
}
