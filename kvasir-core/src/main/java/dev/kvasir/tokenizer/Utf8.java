package dev.kvasir.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 helpers: tokenizers work on UTF-8 bytes as llama.cpp does, Java strings are UTF-16. */
final class Utf8 {
    private Utf8() {
    }

    /** Encoded length in bytes (unpaired surrogates count as the 1-byte '?' Java substitutes). */
    static int length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** llama.cpp's unicode_len_utf8: sequence length announced by a lead byte; 1 for stray continuation bytes. */
    static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        if (b < 0xC0) {
            return 1;
        }
        if (b < 0xE0) {
            return 2;
        }
        return b < 0xF0 ? 3 : 4;
    }
}
