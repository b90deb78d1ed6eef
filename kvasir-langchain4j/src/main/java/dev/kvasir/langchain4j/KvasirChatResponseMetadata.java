package dev.kvasir.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.Objects;

/**
 * Response metadata with what the prompt cache saved: {@link #cachedTokens()} prompt tokens came from a
 * cached earlier call of the conversation, only {@link #computedTokens()} were computed.
 */
public final class KvasirChatResponseMetadata extends ChatResponseMetadata {
    private final int cachedTokens;
    private final int computedTokens;

    private KvasirChatResponseMetadata(Builder builder) {
        super(builder);
        this.cachedTokens = builder.cachedTokens;
        this.computedTokens = builder.computedTokens;
    }

    /** Leading prompt tokens taken from the prompt cache, not computed. */
    public int cachedTokens() {
        return cachedTokens;
    }

    /** Prompt tokens this call computed. */
    public int computedTokens() {
        return computedTokens;
    }

    @Override
    public Builder toBuilder() {
        return ((Builder) super.toBuilder(new Builder())).cachedTokens(cachedTokens).computedTokens(computedTokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvasirChatResponseMetadata k && super.equals(o) && cachedTokens == k.cachedTokens
                && computedTokens == k.computedTokens;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), cachedTokens, computedTokens);
    }

    @Override
    public String toString() {
        return "KvasirChatResponseMetadata{" + super.toString() + ", cachedTokens=" + cachedTokens
                + ", computedTokens=" + computedTokens + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KvasirChatResponseMetadata}. */
    public static final class Builder extends ChatResponseMetadata.Builder<Builder> {
        private int cachedTokens;
        private int computedTokens;

        public Builder cachedTokens(int n) {
            this.cachedTokens = n;
            return this;
        }

        public Builder computedTokens(int n) {
            this.computedTokens = n;
            return this;
        }

        @Override
        public KvasirChatResponseMetadata build() {
            return new KvasirChatResponseMetadata(this);
        }
    }
}
