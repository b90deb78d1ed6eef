package dev.kvasir.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kvasir_compose} extension of {@code /v1/completions}: the prompt is
 * {@code prefix + documents... + prompt}, and each document's KV is reused from a segment cached
 * after the same prefix (looked up by content hash, computed and kept on a miss), with
 * {@code recompute} percent of the document tokens recomputed in the composed context (CacheBlend).
 * See docs/server.md.
 */
record ComposeSpec(String prefix, List<String> documents, double fraction) {
    static final String FIELD = "kvasir_compose";
    /** The CLI's default, measured in docs/prompt-caching.md. */
    static final double DEFAULT_PERCENT = 15;
    private static final int MAX_DOCUMENTS = 64;

    static Optional<ComposeSpec> parse(Fields f) {
        return f.object(FIELD).map(o -> {
            String prefix = o.string("prefix").orElse("");
            JsonNode docs = o.raw("documents");
            String where = FIELD + ".documents";
            if (docs == null) {
                throw ApiException.missing(where);
            }
            if (!docs.isArray() || docs.isEmpty() || docs.size() > MAX_DOCUMENTS) {
                throw Fields.wrongType(where, "an array of 1 to " + MAX_DOCUMENTS + " strings", docs);
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                if (!docs.get(i).isTextual() || docs.get(i).textValue().isBlank()) {
                    throw ApiException.invalid(where + "[" + i + "]", "'" + where + "[" + i + "]' must be a non-empty string");
                }
                texts.add(docs.get(i).textValue());
            }
            double percent = o.number("recompute", 0, 100).orElse(DEFAULT_PERCENT);
            return new ComposeSpec(prefix, List.copyOf(texts), percent / 100);
        });
    }
}
