package dev.kvasir.template;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's chat template ({@code tokenizer.chat_template}) rendered exactly like transformers'
 * {@code apply_chat_template(..., tokenize=False)}: variables messages, tools (None when absent),
 * documents (None), add_generation_prompt, bos_token, eos_token, plus caller-supplied extras.
 */
public final class ChatTemplate {
    /**
     * Fallback for models without {@code tokenizer.chat_template}: ChatML, transformers' historical
     * default. It needs string contents (a tool-call-only assistant turn raises a TemplateException).
     */
    public static final String CHATML = "{% for message in messages %}"
            + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private final Template template;
    private final Clock clock;

    private ChatTemplate(Template template, Clock clock) {
        this.template = template;
        this.clock = clock;
    }

    public static ChatTemplate parse(String source) {
        return new ChatTemplate(Template.parse(source), Clock.systemDefaultZone());
    }

    /** The ChatML fallback template. */
    public static ChatTemplate chatMl() {
        return parse(CHATML);
    }

    /** The same template with {@code strftime_now} reading {@code clock} (tests use a fixed one). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(template, clock);
    }

    /**
     * Renders the prompt text. tools may be null (the template sees None); extraVars (nullable) are added
     * last, e.g. {@code date_string} or {@code enable_thinking}.
     */
    public String render(List<ChatMessage> messages, List<Map<String, Object>> tools, boolean addGenerationPrompt,
            String bosToken, String eosToken, Map<String, Object> extraVars) {
        List<Object> messageValues = new ArrayList<>();
        messages.forEach(m -> messageValues.add(m.toTemplateValue()));
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("messages", messageValues);
        vars.put("tools", tools);
        vars.put("documents", null);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        if (extraVars != null) {
            vars.putAll(extraVars);
        }
        return template.render(vars, clock);
    }
}
